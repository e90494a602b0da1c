from django.core.management.base import BaseCommand

from chuangcheng.dashboard.services import refresh_dashboard


class Command(BaseCommand):
    help = "Rebuild the command centre's aggregates (snapshots and daily flows); --full for all history."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Rebuild every day's flows, not only recent days.")

    def handle(self, *args, **options):
        result = refresh_dashboard(full=options["full"])
        self.stdout.write(
            f"指挥中心汇总完成：单位 {result['units']} 个，区域 {result['areas']} 个，日期 {result['days']} 天"
        )
