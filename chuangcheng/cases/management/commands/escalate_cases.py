"""``manage.py escalate_cases``: 催办/督办/提级督办 of overdue cases (cron in the embedded default)."""

from django.core.management.base import BaseCommand

from chuangcheng.cases.services import escalate_overdue_cases


class Command(BaseCommand):
    help = "Remind on the deadline day, supervise after it, escalate after repeated send-backs or returns."

    def handle(self, *args, **options):
        report = escalate_overdue_cases()
        self.stdout.write(
            f"催办 {len(report.reminded)} 件，督办 {len(report.supervised)} 件，提级督办 {len(report.escalated)} 件"
        )
