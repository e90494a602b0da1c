from django.urls import path

from chuangcheng.core import calendar_views

app_name = "core"
urlpatterns = [
    path("", calendar_views.CalendarView.as_view(), name="calendar"),
    path("<int:pk>/delete/", calendar_views.CalendarDeleteView.as_view(), name="calendar_delete"),
]
