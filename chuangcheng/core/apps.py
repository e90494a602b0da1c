from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chuangcheng.core"
    verbose_name = "框架"

    def ready(self):
        from chuangcheng.core import text

        text.install()
