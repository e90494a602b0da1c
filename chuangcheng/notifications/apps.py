from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "chuangcheng.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from chuangcheng.notifications.models import Webhook
        from chuangcheng.notifications.selectors import webhooks_changed

        # Every process renews its kept webhooks (``selectors.active_webhooks``) once a change commits.
        post_save.connect(webhooks_changed, sender=Webhook, dispatch_uid="webhooks_changed.save")
        post_delete.connect(webhooks_changed, sender=Webhook, dispatch_uid="webhooks_changed.delete")
