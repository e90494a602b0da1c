"""``manage.py notify_reporters [--days N]``: produce and send the notices for recent case events."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from chuangcheng.public.services.notices import SWEEP_DAYS, sync_case_notices


class Command(BaseCommand):
    help = "Notify residents (SMS backend) of dispatches and closures of their reports' cases; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=SWEEP_DAYS, help="look back this many days")

    def handle(self, *args, **options):
        made = sync_case_notices(since=timezone.now() - timedelta(days=options["days"]))
        self.stdout.write(f"新生成市民进度通知 {made} 条")
