from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "chuangcheng.public"
    label = "public"
    verbose_name = "市民参与"
