from django.urls import path

from chuangcheng.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
]
