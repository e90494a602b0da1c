from django.core.management.base import BaseCommand

from chuangcheng.notifications.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Re-send due reminders of notifications not yet acknowledged (respects the quiet period; idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"本次发出催办提醒 {send_due_reminders()} 条")
