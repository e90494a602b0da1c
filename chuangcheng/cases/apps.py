from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "chuangcheng.cases"
    label = "cases"
    verbose_name = "问题整改"

    def ready(self):
        from chuangcheng.cases.chain import verify_case_timelines
        from chuangcheng.core.chains import register_chain

        register_chain("问题处置记录", verify_case_timelines)
