from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "chuangcheng.standards"
    label = "standards"
    verbose_name = "标准体系"
