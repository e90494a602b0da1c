from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "chuangcheng.audit"
    label = "audit"
    verbose_name = "审计日志"
