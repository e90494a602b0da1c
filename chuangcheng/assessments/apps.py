from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "chuangcheng.assessments"
    label = "assessments"
    verbose_name = "考核问责"
