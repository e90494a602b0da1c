from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chuangcheng.core"
    verbose_name = "框架"
