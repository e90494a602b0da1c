"""Cases benchmark on PostgreSQL: 1,000,000 cases, inbox and ledger latency, intake throughput.

    .venv/bin/python bench/cases.py [--cases 1000000] [--requests 200] [--seconds 20]
        [--clients 16] [--batch 100] [--bulk-clients 4] [--port 8199] [--skip-latency] [--skip-throughput]

Uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_cases),
creates it, migrates, seeds the demo city and bulk-loads cases with COPY (only the missing ones).
Each figure is printed beside a raw-SQL baseline measured in the same run:
- p50/p95 of a unit's inbox (GET /api/v1/cases/inbox/) and of the filtered ledger
  (GET /api/v1/cases/?status=...&category=...&overdue=true), through the full Django stack
  in-process, vs the same query written by hand;
- cases created and routed per second through POST /api/v1/cases/ (auto_register: register,
  route, dispatch, timeline, audit, notifications) under gunicorn, vs plain INSERTs committed one by one;
- beside it, the floor: GET /api/v1/me/ by the same clients (token authentication, two small reads);
- the same through POST /api/v1/cases/bulk/ (``--batch`` cases per request, ``--bulk-clients`` clients),
  vs multi-row INSERTs of the same size.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

from measure import cpu_seconds, timed  # bench/ is on sys.path when a benchmark runs as a script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_cases")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # gunicorn is reached over plain HTTP
os.environ.setdefault("CHUANGCHENG_VAR_DIR", str(ROOT / "var"))


def ensure_database() -> None:
    import psycopg

    url = urlparse(BENCH_URL)
    name = url.path.lstrip("/")
    admin = BENCH_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


ensure_database()
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from chuangcheng.accounts.models import User  # noqa: E402
from chuangcheng.cases.models import Case  # noqa: E402
from chuangcheng.places.models import Site  # noqa: E402

STATUS_MIX = (
    ("closed", 70), ("rectifying", 10), ("dispatched", 5), ("signed", 5), ("submitted", 3),
    ("registered", 2), ("reported", 2), ("deferred", 1), ("invalid", 2),
)  # fmt: skip
COLUMNS = (
    "number", "source", "title", "description", "category_id", "site_id", "area_id", "unit_id", "lng", "lat",
    "severity", "lead_unit_id", "route_reason", "status", "status_changed_at", "version", "deadline",
    "deadline_days", "deadline_reason", "pending_request", "deferral_plan", "created_at", "registered_at",
    "dispatched_at", "closed_at", "sendback_count", "return_count", "misroute_count", "is_rebound",
    "escalation_level", "external_ref", "reporter_name", "reporter_phone", "timeline_head",
)  # fmt: skip


def staff_units() -> None:
    """A handler in every unit a site belongs to (the demo city's units are mostly empty): each dispatched case
    then notifies someone, as in a staffed city."""
    from chuangcheng.accounts.models import Membership, Role

    unit_ids = set(Site.objects.exclude(unit=None).values_list("unit_id", flat=True).distinct())
    staffed = set(
        Membership.objects.filter(unit_id__in=unit_ids, role=Role.UNIT_HANDLER).values_list("unit_id", flat=True)
    )
    missing = sorted(unit_ids - staffed)
    users = User.objects.bulk_create([User(username=f"bench-handler-{pk}", password="!") for pk in missing])
    Membership.objects.bulk_create(
        [Membership(user=user, unit_id=pk, role=Role.UNIT_HANDLER) for user, pk in zip(users, missing, strict=True)]
    )
    print(f"点位所属单位 {len(unit_ids)} 个，新增处理员 {len(missing)} 名（此前已有 {len(staffed)} 个单位有处理员）")


def generate(total: int) -> None:
    """COPY ``total`` cases in (only the missing ones), spread over two years, then ANALYZE."""
    have = Case.objects.count()
    if have >= total:
        print(f"已有 {have:,} 条案件，跳过生成")
        vacuum()
        return
    sites = list(Site.objects.values_list("id", "category_id", "area_id", "unit_id", "lng", "lat"))
    statuses = [s for s, weight in STATUS_MIX for _ in range(weight)]
    sources = ["inspection", "patrol", "citizen", "hotline", "media", "superior", "self_check"]
    rng = random.Random(20261122)
    now = datetime.now(UTC)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.connection
        with raw.cursor().copy(f"COPY cases_case ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for i in range(have, total):
                site_id, category_id, area_id, unit_id, lng, lat = sites[rng.randrange(len(sites))]
                status = statuses[rng.randrange(len(statuses))]
                created = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
                dispatched = (
                    created + timedelta(hours=2) if status not in ("reported", "registered", "invalid") else None
                )
                deadline = (dispatched + timedelta(days=rng.randrange(3, 14))).date() if dispatched else None
                closed = dispatched + timedelta(days=rng.randrange(1, 20)) if status == "closed" else None
                copy.write_row((
                    f"WB{created.year}-{i:08d}", sources[i % 7], f"基准问题{i}", "", category_id, site_id, area_id,
                    unit_id, lng, lat, "normal", unit_id if dispatched or status == "registered" else None,
                    "基准数据：属地单位", status, created, 1, deadline, 7 if deadline else None, "", "", "",
                    created, created if status != "reported" else None, dispatched, closed, 0, 0, 0, False,
                    1 if status == "rectifying" and deadline and deadline < date.today() else 0, "", "", "", "",
                ))  # fmt: skip
        raw.commit()
    print(f"生成 {total - have:,} 条案件：{time.perf_counter() - started:.1f} 秒（COPY）")
    vacuum()


# What intake writes: each run leaves dead rows behind (the audit seal updates every row it seals).
VACUUMED = ("cases_case", "cases_casetransition", "audit_auditevent", "notifications_notification")


def vacuum() -> None:
    """VACUUM ANALYZE the tables intake writes, as autovacuum would in production (it is off on the build
    box): fresh statistics and a visibility map, so index-only scans can skip the heap, and no dead rows from
    earlier runs (without it the audit seal's search for pending rows walked ~650,000 dead index entries,
    0.7 s a time, under its lock)."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in VACUUMED:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    print(f"VACUUM ANALYZE {', '.join(VACUUMED)}：{time.perf_counter() - started:.1f} 秒")


def raw_query(sql: str, params: list):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return run


def latency(requests: int) -> list[tuple[str, tuple, tuple]]:
    from chuangcheng.core.scoping import scope_of

    street = User.objects.get(username="street")
    office = User.objects.get(username="office")
    results = []
    client = Client()
    client.force_login(street)
    units = sorted(scope_of(street).unit_ids)
    inbox_sql = (
        "SELECT c.*, u.name FROM cases_case c LEFT JOIN org_unit u ON u.id = c.lead_unit_id "
        "WHERE c.lead_unit_id = ANY(%s) AND c.status IN ('signed','rectifying') "
        "ORDER BY c.escalation_level DESC, c.deadline, c.id LIMIT 50"
    )
    count_sql = "SELECT count(*) FROM cases_case WHERE lead_unit_id = ANY(%s) AND status IN ('signed','rectifying')"

    def raw_inbox():
        raw_query(count_sql, [units])()
        raw_query(inbox_sql, [units])()

    api = timed(lambda: client.get("/api/v1/cases/inbox/?tab=rectifying"), requests)
    results.append(("单位待办 /api/v1/cases/inbox/?tab=rectifying（街道负责人）", api, timed(raw_inbox, requests)))

    office_client = Client()
    office_client.force_login(office)
    category = Case.objects.values_list("category_id", flat=True).first()
    url = f"/api/v1/cases/?status=rectifying&status=signed&category={category}&overdue=true"
    today = date.today()
    ledger_sql = (
        "SELECT c.*, u.name, k.name FROM cases_case c LEFT JOIN org_unit u ON u.id = c.lead_unit_id "
        "LEFT JOIN places_sitecategory k ON k.id = c.category_id WHERE c.status IN ('rectifying','signed') "
        "AND c.category_id = %s AND c.deadline < %s ORDER BY c.id DESC LIMIT 50"
    )
    ledger_count = (
        "SELECT count(*) FROM cases_case c WHERE c.status IN ('rectifying','signed') "
        "AND c.category_id = %s AND c.deadline < %s"
    )

    def raw_ledger():
        raw_query(ledger_count, [category, today])()
        raw_query(ledger_sql, [category, today])()

    api = timed(lambda: office_client.get(url), requests)
    results.append(("问题台账筛选 /api/v1/cases/?status&category&overdue（创建办）", api, timed(raw_ledger, requests)))
    return results


def throughput(
    seconds: int, threads: int = 16, port: int = 8199, batch: int = 100, bulk_clients: int = 4, workers: int = 4
) -> dict[str, tuple[float, int, float]]:
    """Intake under gunicorn (``workers`` sync workers): ``single`` = ``threads`` clients posting one case per request
    to POST /api/v1/cases/, ``bulk`` = ``bulk_clients`` clients posting ``batch`` cases per request to
    POST /api/v1/cases/bulk/; each ``(cases/s, errors, gunicorn CPU ms per case)``, after a 3 s warm-up.
    ``floor``: the same clients reading GET /api/v1/me/ (token authentication and two small reads), what one
    authenticated API request costs before any work."""
    from rest_framework.authtoken.models import Token

    office = User.objects.get(username="office")
    token, _ = Token.objects.get_or_create(user=office)
    site_ids = list(Site.objects.values_list("id", flat=True)[:2000])
    headers = {"Authorization": f"Token {token.key}", "Content-Type": "application/json"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--timeout", "120", "--log-level", "warning"], cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip
    lock = threading.Lock()

    def item(rng) -> dict:
        return {"source": "patrol", "title": "基准上报", "site": rng.choice(site_ids), "auto_register": True}

    def run(duration: float, clients: int, path: str, per_request: int) -> tuple[int, int]:
        """``clients`` clients posting for ``duration`` seconds; (cases created, failed requests)."""
        done, errors = [0], [0]
        stop = time.perf_counter() + duration

        def worker(n: int):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            rng = random.Random(n + int(duration * 1000))
            while time.perf_counter() < stop:
                if per_request == 0:  # the floor: an authenticated read that does almost nothing
                    conn.request("GET", path, headers=headers)
                elif per_request == 1:
                    conn.request("POST", path, json.dumps(item(rng)), headers)
                else:
                    conn.request("POST", path, json.dumps({"items": [item(rng) for _ in range(per_request)]}), headers)
                response = conn.getresponse()
                response.read()
                with lock:
                    if response.status == (200 if per_request == 0 else 201):
                        done[0] += max(per_request, 1)
                    else:
                        errors[0] += 1

        pool = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        return done[0], errors[0]

    def measure(clients: int, path: str, per_request: int) -> tuple[float, int, float]:
        # Warm-up, not counted: every worker imports, connects and takes the intake path once or more
        # (a cold worker's first request costs ~0.5 s of CPU, which would otherwise count per case).
        run(3, clients, path, per_request)
        started, cpu_before = time.perf_counter(), cpu_seconds(server.pid)
        created, failed = run(seconds, clients, path, per_request)
        rate = created / (time.perf_counter() - started)
        return rate, failed, (cpu_seconds(server.pid) - cpu_before) * 1000 / max(created, 1)

    try:
        for _ in range(300):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                probe.request("GET", "/api/v1/")
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.5)
        results = {}
        if threads:
            results["floor"] = measure(threads, "/api/v1/me/", 0)
            results["single"] = measure(threads, "/api/v1/cases/", 1)
        if batch:
            results["bulk"] = measure(bulk_clients, "/api/v1/cases/bulk/", batch)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    return results


def raw_baseline(seconds: int, threads: int = 16, batch: int = 100) -> tuple[float, float]:
    """Plain INSERTs from ``threads`` connections for up to 10 s: one row per commit, and ``batch`` rows
    per commit (one multi-row INSERT); rows/s each."""
    import psycopg

    insert = (
        "INSERT INTO cases_case (number, source, title, description, lng, lat, severity, route_reason,"
        " status, version, deadline_reason, pending_request, deferral_plan, created_at, sendback_count,"
        " return_count, misroute_count, is_rebound, escalation_level, external_ref, reporter_name,"
        " reporter_phone, timeline_head) VALUES "
    )
    row = "(%s,'patrol','基准','',120,30,'normal','','reported',1,'','','',now(),0,0,0,false,0,'','','','')"

    def rate(per_commit: int) -> float:
        counted = [0]
        stop = time.perf_counter() + min(seconds, 10)

        def raw_worker(n: int):
            with psycopg.connect(BENCH_URL) as conn:
                i = 0
                while time.perf_counter() < stop:
                    i += 1
                    numbers = [f"RAW-{per_commit}.{n}.{i}.{k}" for k in range(per_commit)]
                    conn.execute(insert + ",".join([row] * per_commit), numbers)
                    conn.commit()
                    counted[0] += per_commit

        started = time.perf_counter()
        pool = [threading.Thread(target=raw_worker, args=(i,)) for i in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        return counted[0] / (time.perf_counter() - started)

    try:
        return rate(1), rate(batch)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_case WHERE number LIKE 'RAW-%%'")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument("--clients", type=int, default=16, help="single-case intake clients (0: skip)")
    parser.add_argument("--batch", type=int, default=100, help="cases per bulk intake request (0: skip)")
    parser.add_argument("--bulk-clients", type=int, default=4, help="bulk intake clients")
    parser.add_argument("--port", type=int, default=8199, help="gunicorn's port")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn's sync workers")
    parser.add_argument("--with-handlers", action="store_true", help="a handler in every site's unit (notified)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="office").exists():
        call_command("load_site_categories", verbosity=0)
        call_command("seed_demo", verbosity=0)
    generate(args.cases)
    if args.with_handlers:
        staff_units()
    print(
        f"案件总数 {Case.objects.count():,}；PostgreSQL {connection.pg_version}；CPU {os.cpu_count()} 核；"
        f"开始时负载 {os.getloadavg()[0]:.1f}"
    )
    for label, (p50, p95), (r50, r95) in [] if args.skip_latency else latency(args.requests):
        print(f"{label}\n  应用 p50 {p50:.1f} ms  p95 {p95:.1f} ms   |  手写SQL p50 {r50:.1f} ms  p95 {r95:.1f} ms")
    if not args.skip_throughput:
        load = os.getloadavg()[0]
        results = throughput(
            args.seconds, threads=args.clients, port=args.port, batch=args.batch, bulk_clients=args.bulk_clients,
            workers=args.workers,
        )  # fmt: skip
        raw_single, raw_batch = raw_baseline(args.seconds, batch=args.batch or 100)
        end = os.getloadavg()[0]
        if "floor" in results:
            rate, errors, cpu_ms = results["floor"]
            print(
                f"下限：令牌认证的 GET /api/v1/me/（同样 gunicorn {args.workers} 进程、{args.clients} 并发；"
                "两次小查询）："
                f"{rate:.0f} 次/秒（错误 {errors}；gunicorn 进程 CPU {cpu_ms:.1f} ms/次）"
            )
        if "single" in results:
            rate, errors, cpu_ms = results["single"]
            print(
                f"上报并自动立案/分派/派遣 POST /api/v1/cases/（gunicorn {args.workers} 进程，{args.clients} 并发，"
                "每请求 1 件）："
                f"{rate:.0f} 件/秒（错误 {errors}；gunicorn 进程 CPU {cpu_ms:.1f} ms/件）"
                f"  |  手写 INSERT（16 并发，逐条提交）：{raw_single:.0f} 行/秒"
            )
        if "bulk" in results:
            rate, errors, cpu_ms = results["bulk"]
            print(
                f"批量上报 POST /api/v1/cases/bulk/（gunicorn {args.workers} 进程，{args.bulk_clients} 并发，"
                f"每请求 {args.batch} 件）："
                f"{rate:.0f} 件/秒（错误 {errors}；gunicorn 进程 CPU {cpu_ms:.1f} ms/件）"
                f"  |  手写多行 INSERT（16 并发，每次提交 {args.batch} 行）：{raw_batch:.0f} 行/秒"
            )
        print(f"吞吐测量开始时负载 {load:.1f}，结束时 {end:.1f}")


if __name__ == "__main__":
    main()
