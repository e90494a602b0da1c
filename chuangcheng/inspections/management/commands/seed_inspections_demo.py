"""``manage.py seed_inspections_demo``: the demo rounds (演示) through the real services (idempotent):
three 创卫 rounds and two 创文 模拟测评 rounds on the demo 测评手册 (CIV-DEMO)."""

from django.core.management.base import BaseCommand

from chuangcheng.inspections.demo import seed_demo_inspections
from chuangcheng.inspections.demo_mock import seed_demo_evaluation_rounds
from chuangcheng.inspections.models import Finding


class Command(BaseCommand):
    help = (
        "Create last month's published covert round, this month's round in progress and next month's plan, "
        "and two 模拟测评 rounds scored by observation (last month's and this month's)."
    )

    def handle(self, *args, **options):
        made = seed_demo_inspections()
        if not made:
            self.stdout.write("督查演示：缺少演示账号或内置标准，未创建")
        else:
            findings = Finding.objects.filter(visit__round__in=made, result="deduct").count()
            self.stdout.write(f"督查演示：{len(made)} 个轮次，{findings} 条扣分发现")
        _mock, message = seed_demo_evaluation_rounds()
        self.stdout.write(message)
