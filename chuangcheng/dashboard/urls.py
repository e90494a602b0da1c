from django.urls import path

from chuangcheng.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("bigscreen/", views.BigScreenView.as_view(), name="bigscreen"),
    path("levels/", views.LevelsView.as_view(), name="levels"),
]
