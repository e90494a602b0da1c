from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "chuangcheng.dashboard"
    label = "dashboard"
    verbose_name = "指挥中心"
