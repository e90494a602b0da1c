"""``manage.py seed_inspections_demo``: three demo rounds (演示) through the real services (idempotent)."""

from django.core.management.base import BaseCommand

from chuangcheng.inspections.demo import seed_demo_inspections
from chuangcheng.inspections.models import Finding


class Command(BaseCommand):
    help = "Create last month's published covert round, this month's round in progress and next month's plan."

    def handle(self, *args, **options):
        made = seed_demo_inspections()
        if not made:
            self.stdout.write("督查演示：缺少演示账号或内置标准，未创建")
            return
        findings = Finding.objects.filter(visit__round__in=made, result="deduct").count()
        self.stdout.write(f"督查演示：{len(made)} 个轮次，{findings} 条扣分发现")
