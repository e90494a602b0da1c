from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "chuangcheng.campaigns"
    label = "campaigns"
    verbose_name = "工作方案"

    def ready(self):
        from chuangcheng.assessments.selectors import register_lapse_source
        from chuangcheng.campaigns.meeting_selectors import attendance_lapses

        register_lapse_source(attendance_lapses)
