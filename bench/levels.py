"""A province on one installation: 20 cities, 150 counties, 10,000,000 cases, 50,000,000 timeline rows.

    .venv/bin/python bench/levels.py [--cases 10000000] [--per-case 5] [--requests 200] [--skip-generate]

Uses its own PostgreSQL database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_levels),
migrates it (so the case timeline and the audit log are partitioned by month, ``core.partitions``) and generates
the data with set-based SQL (``generate_series``, no ORM): the unit tree (province → 20 cities → 150 counties,
each with 8 streets and 3 departments), then cases and timeline rows in chunks of 1,000,000 cases, with the
secondary indexes dropped during the load and rebuilt after it, then VACUUM ANALYZE and the dashboard's full
refresh (``dashboard.services.refresh_dashboard(full=True)``). Only missing cases are generated, so a second
run measures at once.

Then p50/p95 over ``--requests`` samples each, through the whole Django stack in-process (test client), each
beside hand-written SQL for the same result in the same run:
- a county handler's inbox, ``GET /api/v1/cases/inbox/?tab=rectifying`` (``cases.selectors.unit_inbox``);
- a county office's ledger, ``GET /api/v1/cases/`` and with ``?status=rectifying&overdue=true``
  (``visible_to`` over the county's subtree);
- the province's command centre, ``GET /api/v1/dashboard/summary/`` and ``/rankings/`` and the page
  ``GET /dashboard/`` (the province office sees everything).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_levels")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("CHUANGCHENG_VAR_DIR", str(ROOT / "var"))


def ensure_database() -> None:
    import psycopg

    name = urlparse(BENCH_URL).path.lstrip("/")
    with psycopg.connect(BENCH_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


ensure_database()
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from levels_data import SPAN_DAYS, build_units, insert_cases, insert_timeline, sql  # noqa: E402
from measure import timed  # noqa: E402

CHUNK = 1_000_000


def build_users() -> dict[str, object]:
    from chuangcheng.accounts.models import Membership, User
    from chuangcheng.org.models import Unit

    county = Unit.objects.get(code="BENCH-K1")
    province = Unit.objects.get(code="BENCH-P")
    users = {}
    for username, unit, role in (
        ("bench_county_handler", county, "unit_handler"),
        ("bench_county_office", county, "office_staff"),
        ("bench_province_office", province, "office_admin"),
    ):
        user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        users[username] = user
    return users


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """Non-unique indexes of ``table`` (names and definitions), dropped during the load."""
    return sql(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary",
        [table],
    )


def generate(total: int, per_case: int) -> None:
    have = sql("SELECT COALESCE(max(id), 0) FROM cases_case")[0][0]
    done = sql("SELECT COALESCE(max(case_id), 0) FROM cases_casetransition")[0][0]
    if have >= total and done >= have:
        print(f"已有 {have:,} 条案件，跳过生成")
        return
    from datetime import date, timedelta

    from chuangcheng.core.partitions import ensure_partitions

    ensure_partitions(since=date.today() - timedelta(days=SPAN_DAYS + 1))
    sql("CREATE TABLE IF NOT EXISTS bench_dropped_indexes (name text PRIMARY KEY, definition text)")
    for table in ("cases_case", "cases_casetransition"):
        for name, definition in secondary_indexes(table):
            sql("INSERT INTO bench_dropped_indexes VALUES (%s, %s) ON CONFLICT DO NOTHING", [name, definition])
            sql(f'DROP INDEX "{name}"')
    sql(
        "CREATE TEMP TABLE bench_leads AS SELECT row_number() OVER (ORDER BY u.id) - 1 AS idx, u.id AS lead,"
        " CASE WHEN u.kind = 'street' THEN u.id ELSE (SELECT min(s.id) FROM org_unit s WHERE s.parent_id ="
        " u.parent_id AND s.kind = 'street') END AS street FROM org_unit u WHERE u.code LIKE 'BENCH-K%%-%%'"
    )
    sql("CREATE UNIQUE INDEX ON bench_leads (idx)")
    leads = sql("SELECT count(*) FROM bench_leads")[0][0]
    started = time.perf_counter()
    # A bulk load: foreign-key triggers off (the rows are consistent by construction), as pg_restore does.
    sql("SET session_replication_role = replica")
    for lo in range(done + 1, total + 1, CHUNK):
        hi = min(lo + CHUNK - 1, total)
        t = time.perf_counter()
        if hi > have:
            insert_cases(max(lo, have + 1), hi, total, leads)
        insert_timeline(lo, hi, per_case)
        print(f"  案件 {lo:,}–{hi:,} 及其处置记录：{time.perf_counter() - t:.0f} 秒", flush=True)
    sql("SET session_replication_role = origin")
    loaded = time.perf_counter() - started
    t = time.perf_counter()
    sql("SET maintenance_work_mem = '1GB'")
    for name, definition in sql("SELECT name, definition FROM bench_dropped_indexes"):
        sql(definition.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
        sql("DELETE FROM bench_dropped_indexes WHERE name = %s", [name])
    indexed = time.perf_counter() - t
    t = time.perf_counter()
    sql("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT max(id) FROM cases_case))")
    sql("VACUUM (ANALYZE) cases_case")
    sql("VACUUM (ANALYZE) cases_casetransition")
    print(f"生成：写入 {loaded:.0f} 秒，重建索引 {indexed:.0f} 秒，VACUUM ANALYZE {time.perf_counter() - t:.0f} 秒")


def sizes() -> str:
    rows = sql(
        "SELECT 'cases_case', pg_total_relation_size('cases_case') UNION ALL"
        " SELECT 'cases_casetransition', sum(pg_total_relation_size(inhrelid)) FROM pg_inherits"
        " WHERE inhparent = 'cases_casetransition'::regclass UNION ALL"
        " SELECT 'database', pg_database_size(current_database())"
    )
    parts = sql("SELECT count(*) FROM pg_inherits WHERE inhparent = 'cases_casetransition'::regclass")[0][0]
    counts = sql(
        "SELECT (SELECT count(*) FROM cases_case), (SELECT count(*) FROM cases_casetransition),"
        " (SELECT count(*) FROM org_unit)"
    )[0]
    size = "；".join(f"{name} {int(value) / 2**30:.1f} GiB" for name, value in rows)
    return f"案件 {counts[0]:,}，处置记录 {counts[1]:,}（{parts} 个分区），单位 {counts[2]:,}；{size}"


def get(client: Client, url: str):
    return lambda: client.get(url).status_code == 200 or sys.exit(f"{url} 未返回 200")


def raw(*statements: tuple[str, list]):
    return lambda: [sql(statement, params) for statement, params in statements]


def latency(users: dict, n: int) -> list[tuple[str, tuple, tuple]]:
    from datetime import date, timedelta

    from chuangcheng.core.scoping import scope_of

    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    county = sorted(scope_of(users["bench_county_handler"]).unit_ids)
    office = sorted(scope_of(users["bench_county_office"]).unit_ids)
    today = date.today()
    cols = "c.id, c.number, c.title, c.status, c.deadline, c.created_at, u.name"
    scoped = (
        "(c.lead_unit_id = ANY(%s) OR c.unit_id = ANY(%s) OR c.id = ANY(ARRAY(SELECT cu.case_id FROM"
        " cases_case_cooperating_units cu WHERE cu.unit_id = ANY(%s))))"
    )
    inbox_where = "c.lead_unit_id = ANY(%s) AND c.status IN ('signed','rectifying')"
    overdue = " AND c.status = 'rectifying' AND c.deadline < %s"
    week = today - timedelta(days=today.weekday())
    cases = [
        (
            "县承办人待办 GET /api/v1/cases/inbox/?tab=rectifying",
            get(clients["bench_county_handler"], "/api/v1/cases/inbox/?tab=rectifying"),
            raw(
                (f"SELECT count(*) FROM cases_case c WHERE {inbox_where}", [county]),
                (f"SELECT {cols} FROM cases_case c LEFT JOIN org_unit u ON u.id = c.lead_unit_id WHERE {inbox_where}"
                 " ORDER BY c.escalation_level DESC, c.deadline, c.id LIMIT 50", [county]),
            ),
        ),
        (
            "县创建办台账 GET /api/v1/cases/",
            get(clients["bench_county_office"], "/api/v1/cases/"),
            raw(
                (f"SELECT count(*) FROM cases_case c WHERE {scoped}", [office] * 3),
                (f"SELECT {cols} FROM cases_case c LEFT JOIN org_unit u ON u.id = c.lead_unit_id WHERE {scoped}"
                 " ORDER BY c.id DESC LIMIT 50", [office] * 3),
            ),
        ),
        (
            "县创建办台账筛选 GET /api/v1/cases/?status=rectifying&overdue=true",
            get(clients["bench_county_office"], "/api/v1/cases/?status=rectifying&overdue=true"),
            raw(
                (f"SELECT count(*) FROM cases_case c WHERE {scoped}{overdue}", [office] * 3 + [today]),
                (f"SELECT {cols} FROM cases_case c LEFT JOIN org_unit u ON u.id = c.lead_unit_id WHERE {scoped}"
                 f"{overdue} ORDER BY c.id DESC LIMIT 50", [office] * 3 + [today]),
            ),
        ),
        (
            "省指挥中心汇总 GET /api/v1/dashboard/summary/",
            get(clients["bench_province_office"], "/api/v1/dashboard/summary/"),
            raw(
                ("SELECT sum(open), sum(overdue), sum(deferred), sum(submitted), sum(sendbacks_total),"
                 " sum(rebounds_total), max(refreshed_at) FROM dashboard_unitcasestat", []),
                ("SELECT sum(closed), sum(reported), sum(sendbacks), sum(rebounds) FROM dashboard_dailycasestat"
                 " WHERE day BETWEEN %s AND %s", [week, today]),
            ),
        ),
        (
            "省指挥中心排名 GET /api/v1/dashboard/rankings/",
            get(clients["bench_province_office"], "/api/v1/dashboard/rankings/"),
            raw(("SELECT s.*, u.name FROM dashboard_unitcasestat s JOIN org_unit u ON u.id = s.unit_id"
                 " ORDER BY s.overdue DESC, s.open DESC, u.name LIMIT 15", []),),
        ),
        (
            "省指挥中心页面 GET /dashboard/（汇总、趋势、漏斗、排名、地图）",
            get(clients["bench_province_office"], "/dashboard/"),
            raw(
                ("SELECT sum(open), sum(overdue) FROM dashboard_unitcasestat", []),
                ("SELECT day, sum(reported), sum(closed) FROM dashboard_dailycasestat WHERE day >= %s GROUP BY day",
                 [today - timedelta(days=29)]),
                ("SELECT s.*, u.name FROM dashboard_unitcasestat s JOIN org_unit u ON u.id = s.unit_id"
                 " ORDER BY s.overdue DESC, s.open DESC, u.name LIMIT 15", []),
            ),
        ),
    ]  # fmt: skip
    if levels_served():  # the province's comparison of its cities (dashboard.rollup), where present
        cases.append((
            "省级各市对比 GET /api/v1/dashboard/levels/",
            get(clients["bench_province_office"], "/api/v1/dashboard/levels/"),
            raw(("SELECT c.id, c.name, sum(s.open), sum(s.overdue), sum(s.closed_total), sum(s.closed_on_time)"
                 " FROM org_unit c JOIN org_unit u ON u.path LIKE c.path || '%%' JOIN dashboard_unitcasestat s"
                 " ON s.unit_id = u.id WHERE c.kind = 'city' GROUP BY c.id, c.name ORDER BY 4 DESC, 3 DESC", []),),
        ))  # fmt: skip
    return [(label, timed(app, n), timed(baseline, n)) for label, app, baseline in cases]


def levels_served() -> bool:
    from django.urls import Resolver404, resolve

    try:
        return resolve("/api/v1/dashboard/levels/") is not None
    except Resolver404:
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000_000)
    parser.add_argument("--per-case", type=int, default=5, help="timeline rows per case")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--skip-generate", action="store_true")
    args = parser.parse_args()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True)
    call_command("migrate", verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage

    try:
        staticfiles_storage.stored_name("css/app.css")
    except ValueError:  # the pages need the production manifest
        call_command("collectstatic", interactive=False, verbosity=0)
    build_units()
    users = build_users()
    if not args.skip_generate:
        generate(args.cases, args.per_case)
        t = time.perf_counter()
        from chuangcheng.dashboard.services import refresh_dashboard

        refresh_dashboard(full=True)
        print(f"指挥中心全量汇总 refresh_dashboard(full=True)：{time.perf_counter() - t:.0f} 秒", flush=True)
    print(sizes())
    print(f"PostgreSQL {connection.pg_version}；CPU {os.cpu_count()} 核；开始测量时负载 {os.getloadavg()[0]:.1f}")
    for label, (p50, p95), (r50, r95) in latency(users, args.requests):
        print(f"{label}\n  应用 p50 {p50:.1f} ms  p95 {p95:.1f} ms   |  手写SQL p50 {r50:.1f} ms  p95 {r95:.1f} ms")
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
