"""``manage.py seed_assessments_demo``: the demo scheme (示例) and a published last-month period (idempotent)."""

from django.core.management.base import BaseCommand

from chuangcheng.assessments.demo import seed_demo_assessments


class Command(BaseCommand):
    help = "Create the sample assessment scheme and publish last month's demo period; a second run changes nothing."

    def handle(self, *args, **options):
        scheme, period = seed_demo_assessments()
        self.stdout.write(f"考核：{scheme}；{period.name if period else '无'}（{period.get_status_display()}）")
