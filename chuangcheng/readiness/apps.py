from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "chuangcheng.readiness"
    label = "readiness"
    verbose_name = "迎检预测"
