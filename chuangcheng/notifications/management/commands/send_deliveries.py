from django.core.management.base import BaseCommand

from chuangcheng.notifications.outbox import send_due_deliveries


class Command(BaseCommand):
    help = "Send due e-mail, SMS and group-robot deliveries of the outbox (retries with backoff; idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"本次发送完成 {send_due_deliveries()} 条消息")
