"""``manage.py seed_demo [--scale N]``: the demo city on 淮北市's real divisions (演示; deterministic, idempotent)."""

import time

from django.core.management.base import BaseCommand, CommandError

from chuangcheng.places.demo.names import CITY_NAME
from chuangcheng.places.demo.seed import seed_demo_city


class Command(BaseCommand):
    help = "Create the demo city (units, areas, grids, sites, one user per role); a second run changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="multiply communities, grids and sites by N")

    def handle(self, *args, **options):
        if options["scale"] < 1:
            raise CommandError("--scale 必须是正整数")
        started = time.perf_counter()
        result = seed_demo_city(actor=None, scale=options["scale"])
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{CITY_NAME}（演示）：新增单位 {result.units} 个、区域 {result.areas} 个、点位 {result.sites} 个、"
            f"用户 {result.users} 个、角色 {result.memberships} 个（{elapsed:.1f} 秒）"
        )
