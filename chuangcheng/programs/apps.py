from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "chuangcheng.programs"
    label = "programs"
    verbose_name = "创建活动"
