"""Create the missing monthly partitions of the partitioned tables (PostgreSQL); idempotent."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from chuangcheng.core.partitions import MONTHS_AHEAD, ensure_partitions, partitioned_tables


class Command(BaseCommand):
    help = "创建分区表缺少的月分区（自本月起，默认向后 24 个月；仅 PostgreSQL；可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--months-ahead", type=int, default=MONTHS_AHEAD, help="向后创建的月数")
        parser.add_argument("--since", default="", help="同时补建自该月起的历史分区，格式 YYYY-MM（导入历史数据前）")

    def handle(self, *args, months_ahead, since, **options):
        if months_ahead < 0 or months_ahead > 120:
            raise CommandError("--months-ahead 须在 0 到 120 之间")
        first = None
        if since:
            try:
                first = dt.datetime.strptime(since, "%Y-%m").date()
            except ValueError as exc:
                raise CommandError(f"--since 格式应为 YYYY-MM，收到“{since}”") from exc
        tables = partitioned_tables()
        if not tables:
            self.stdout.write("没有分区表（非 PostgreSQL 数据库，或尚未迁移）")
            return
        created = ensure_partitions(months_ahead=months_ahead, since=first)
        names = "、".join(table for table, _ in tables)
        self.stdout.write(
            f"分区表：{names}；新建分区 {len(created)} 个" + (f"：{', '.join(created)}" if created else "")
        )
