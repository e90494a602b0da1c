"""12345 import at scale: 100,000 work orders through the real service, beside a raw baseline.

    .venv/bin/python bench/imports.py [--rows 100000] [--format csv|xlsx] [--cases 1000]

Runs in a throw-away SQLite database (or DATABASE_URL's server, in a scratch database created by
Django's test runner machinery). Measured in one run:
  1. the service: upload (read the file) + import_batch (map, validate every row, de-duplicate by
     工单编号, bulk insert, one audit event), cases not opened;
  2. a safe re-import of the same file (every row unchanged: nothing written);
  3. the raw baseline: csv.reader + one executemany INSERT of the same rows into a scratch table;
  4. opening cases (cases.services.create_case, routed and dispatched) for ``--cases`` new orders,
     reported per case and extrapolated.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CHUANGCHENG_VAR_DIR", tempfile.mkdtemp(prefix="cc-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

HEADERS = ["工单编号", "受理时间", "诉求内容", "诉求分类", "地址", "来电人", "来电号码", "承办单位", "办理时限"]


def generate(rows: int) -> list[list[str]]:
    kinds = ["暴露垃圾", "占道经营", "乱停车", "小广告", "噪音扰民"]
    return [
        [
            f"12345-{2026_0000000 + i}",
            f"2026-{i % 12 + 1:02d}-{i % 28 + 1:02d} {i % 24:02d}:{i % 60:02d}:00",
            f"市民反映第{i}号点位附近有{kinds[i % 5]}问题，请尽快处理。",
            kinds[i % 5],
            f"示范市东城区人民路{i % 999 + 1}号",
            "市民",
            f"138{i:08d}"[:11],
            "东城区" if i % 2 else "西城区",
            f"2026-{i % 12 + 1:02d}-28",
        ]
        for i in range(rows)
    ]


def to_csv(data) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(data)
    return buffer.getvalue().encode("utf-8")


def to_xlsx(data) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for row in data:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def raw_baseline(content: bytes) -> float:
    """csv.reader + one executemany into a scratch copy of the orders table (no validation, no dedup)."""
    started = time.perf_counter()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))[1:]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_orders")
        cursor.execute(
            "CREATE TABLE bench_raw_orders (number varchar(40) PRIMARY KEY, received_at varchar(30), content text,"
            " category_text varchar(100), address varchar(200), caller_name varchar(50), caller_phone varchar(30),"
            " handler_text varchar(100), deadline varchar(20))"
        )
        placeholders = ", ".join(["%s"] * 9)
        cursor.executemany(f"INSERT INTO bench_raw_orders VALUES ({placeholders})", rows)
        cursor.execute("DROP TABLE bench_raw_orders")
    return time.perf_counter() - started


def main() -> None:
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--cases", type=int, default=1000, help="new orders for which cases are opened (0: skip)")
    args = parser.parse_args()

    setup_test_environment()
    from django.conf import settings
    from django.test.utils import get_runner

    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        run(args)
    finally:
        runner.teardown_databases(old_config)
        print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def run(args) -> None:
    from chuangcheng.accounts.models import Role
    from chuangcheng.accounts.tests.factories import user_with_role
    from chuangcheng.org.models import UnitKind
    from chuangcheng.org.tests.factories import UnitFactory
    from chuangcheng.places.tests.factories import SiteCategoryFactory
    from chuangcheng.public.models import HotlineOrder
    from chuangcheng.public.services import hotline

    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    UnitFactory(code="EAST", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    UnitFactory(code="WEST", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    for code, name in (("litter", "暴露垃圾"), ("stall", "占道经营")):
        SiteCategoryFactory(code=code, name=name)
    actor = user_with_role(Role.OFFICE_ADMIN, office)

    data = generate(args.rows)
    content = to_csv(data) if args.format == "csv" else to_xlsx(data)
    name = f"orders.{args.format}"
    print(f"rows={args.rows} format={args.format} file={len(content) / 1e6:.1f} MB db={connection.vendor}")

    cpu = time.process_time()
    started = time.perf_counter()
    batch = hotline.upload_batch(actor=actor, data=content, filename=name)
    uploaded = time.perf_counter()
    batch = hotline.import_batch(batch=batch, actor=actor, open_cases=False)
    imported = time.perf_counter()
    assert batch.created_count == args.rows == HotlineOrder.objects.count()
    service_seconds = imported - started
    service_cpu = time.process_time() - cpu
    print(
        f"service import:   {imported - started:7.2f} s  (read {uploaded - started:.2f} s + validate/dedup/insert "
        f"{imported - uploaded:.2f} s)  {args.rows / (imported - started):,.0f} rows/s; CPU {service_cpu:.2f} s"
    )

    cpu = time.process_time()
    started = time.perf_counter()
    again = hotline.upload_batch(actor=actor, data=content, filename=name)
    again = hotline.import_batch(batch=again, actor=actor, open_cases=False)
    reimported = time.perf_counter()
    assert again.created_count == 0 and again.unchanged_count == args.rows
    print(
        f"safe re-import:   {reimported - started:7.2f} s  (all {args.rows} rows unchanged, nothing written); "
        f"CPU {time.process_time() - cpu:.2f} s"
    )

    if args.format == "csv":
        cpu = time.process_time()
        baseline = raw_baseline(content)
        baseline_cpu = time.process_time() - cpu
        print(
            f"raw baseline:     {baseline:7.2f} s  (csv.reader + one executemany, no validation or dedup); "
            f"CPU {baseline_cpu:.2f} s"
        )
        print(f"service / raw:    {service_seconds / baseline:7.1f} x wall, {service_cpu / baseline_cpu:.1f} x CPU")

    if args.cases:
        numbers = list(HotlineOrder.objects.order_by("number").values_list("number", flat=True)[: args.cases])
        started = time.perf_counter()
        opened = hotline.open_cases_for_orders(numbers=numbers, actor=actor)
        elapsed = time.perf_counter() - started
        per_case = elapsed / max(opened, 1)
        print(
            f"open cases:       {elapsed:7.2f} s for {opened} cases = {per_case * 1000:.1f} ms/case "
            f"(~{per_case * args.rows:,.0f} s for {args.rows:,} orders, done after commit in the worker)"
        )


if __name__ == "__main__":
    main()
