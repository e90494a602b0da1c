from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "chuangcheng.dossiers"
    label = "dossiers"
    verbose_name = "档案资料"
