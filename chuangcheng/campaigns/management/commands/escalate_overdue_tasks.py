from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from chuangcheng.campaigns.services import escalate_overdue_tasks


class Command(BaseCommand):
    help = "Escalate unfinished campaign tasks past their deadline (idempotent for a given day)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date.fromisoformat, help="Treat this date (YYYY-MM-DD) as today.")

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        escalated = escalate_overdue_tasks(today=today)
        for task in escalated:
            self.stdout.write(f"督办 {task.number} {task.title}：级别 {task.escalation_level}")
        self.stdout.write(f"共督办 {len(escalated)} 项超期任务（{today:%Y-%m-%d}）")
