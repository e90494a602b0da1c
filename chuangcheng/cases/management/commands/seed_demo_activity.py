"""``manage.py seed_demo_activity``: sixty days of demo problems through the real workflow."""

import time

from django.core.management.base import BaseCommand

from chuangcheng.cases.demo import simulate_activity


class Command(BaseCommand):
    help = "Generate 60 days of demo cases and their handling (skipped when cases exist)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=50)
        parser.add_argument("--per-day", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        started = time.perf_counter()
        result = simulate_activity(days=options["days"], per_day=options["per_day"], seed=options["seed"])
        if result.skipped:
            self.stdout.write(f"演示问题：{result.skipped}")
            return
        states = "，".join(f"{label} {count}" for label, count in result.by_status.items())
        self.stdout.write(
            f"演示问题：{result.cases} 件（{states}）；返工 {result.send_backs} 次，退回 {result.returns} 次，"
            f"反弹 {result.rebounds} 件；分派规则 {result.rules} 条，演示承办账号 {result.users} 个"
            f"（{time.perf_counter() - started:.1f} 秒）"
        )
