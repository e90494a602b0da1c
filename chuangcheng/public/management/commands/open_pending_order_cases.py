"""``manage.py open_pending_order_cases [--limit N]``: open the cases of 12345 orders saved without one."""

from django.core.management.base import BaseCommand

from chuangcheng.public.services.hotline import open_pending_order_cases


class Command(BaseCommand):
    help = "Open a case for every 12345 order that has none (after an interrupted import); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="open at most this many this run")

    def handle(self, *args, **options):
        result = open_pending_order_cases(limit=options["limit"])
        self.stdout.write(
            f"补立案 {result.opened} 件（定位 {result.placed} 件，派遣 {result.routed} 件），"
            f"未能立案 {len(result.failed)} 条"
        )
        for number, reason in result.failed[:20]:
            self.stdout.write(f"  {number}：{reason}")
