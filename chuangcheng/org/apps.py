from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "chuangcheng.org"
    label = "org"
    verbose_name = "单位"
