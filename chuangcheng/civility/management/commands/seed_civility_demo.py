"""``manage.py seed_civility_demo``: 文明单位, 窗口行业 and publicity points of the demo city (演示, idempotent)."""

from django.core.management.base import BaseCommand

from chuangcheng.civility.demo import seed_civility_demo


class Command(BaseCommand):
    help = "Create demo 文明单位 with reviews, window industries with ratings and publicity points with checks."

    def handle(self, *args, **options):
        self.stdout.write(seed_civility_demo())
