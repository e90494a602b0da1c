from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from chuangcheng.campaigns.services import escalate_overdue_notices


class Command(BaseCommand):
    help = "Escalate 抄告单 whose reply is late (idempotent for a given day); notifies unit heads and leaders."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Treat this date (YYYY-MM-DD) as today.")

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        escalated = escalate_overdue_notices(today=today)
        for notice in escalated:
            self.stdout.write(f"督办 抄告单{notice.number} {notice.title}：级别 {notice.escalation_level}")
        self.stdout.write(f"共督办 {len(escalated)} 份逾期未回复的抄告单（{today:%Y-%m-%d}）")
