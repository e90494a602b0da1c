from django.core.management.base import BaseCommand

from chuangcheng.programs.demo import attach_demo_rows, seed_demo_campaigns


class Command(BaseCommand):
    help = "Demo campaigns (演示) at city, county and town level; give unowned demo rows their campaign. Idempotent."

    def handle(self, *args, **options):
        campaigns = seed_demo_campaigns()
        counts = attach_demo_rows()
        self.stdout.write(f"创建活动 {len(campaigns)} 个；归属 {sum(counts.values())} 条已有记录")
