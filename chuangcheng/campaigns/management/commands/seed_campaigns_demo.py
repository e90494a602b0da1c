"""``manage.py seed_campaigns_demo``: the demo campaign plan, letters, leader assignments and pledges (示例)."""

from django.core.management.base import BaseCommand

from chuangcheng.campaigns.demo import seed_campaigns_demo


class Command(BaseCommand):
    help = (
        "Create the demo plan scheduled backwards from the inspection window, letters, 包抓 and 门前三包 (idempotent)."
    )

    def handle(self, *args, **options):
        self.stdout.write(seed_campaigns_demo())
