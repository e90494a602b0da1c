"""Open311 GeoReport v2 benchmark on PostgreSQL: 10,000 published requests, lists under gunicorn.

    .venv/bin/python bench/open311.py [--reports 10000] [--seconds 15] [--clients 4] [--workers 4] [--port 8198]

Uses its own database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_open311),
creates it, migrates, seeds the demo city and adds accepted citizen reports (each with its case, half
with a photo, spread over the last 85 days so the default 90-day window holds them all) up to
``--reports``. Then, under gunicorn (``--workers`` sync workers, as in docs/operations.md), ``--clients``
clients each send one request after another for ``--seconds`` seconds (after a warm-up) to:

- ``/open311/v2/requests.json?page_size=1000`` and ``=100``, the same in XML, and ``services.json``;
- the raw baseline: a WSGI app (``raw_app`` below, in the same gunicorn set-up) running the same count
  and page as hand-written SQL and answering ``json.dumps`` of the rows.

Each line gives requests/s, errors, gunicorn CPU ms per request and the load generator's own CPU ms per
request (it shares the two cores; subtract nothing, read it as what the measurement costs).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from measure import cpu_seconds  # bench/ is on sys.path when a benchmark runs as a script

ROOT = Path(__file__).resolve().parent.parent
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_open311")

RAW_COUNT = (
    "SELECT count(*) FROM public_report r WHERE r.status = 'accepted' AND r.created_at >= %s AND r.created_at <= %s"
)
RAW_PAGE = """
SELECT r.number, k.name, k.code, coalesce(nullif(r.public_description, ''), r.description), r.created_at,
       r.updated_at, r.address, r.lat, r.lng, u.name, r.moderated_at, c.status, lu.name, c.status_changed_at,
       c.created_at, c.deadline, c.closed_at,
       (SELECT p.id FROM public_reportphoto p WHERE p.report_id = r.id ORDER BY p.sort_order, p.id LIMIT 1)
FROM public_report r
JOIN places_sitecategory k ON k.id = r.category_id
LEFT JOIN org_unit u ON u.id = r.unit_id
LEFT JOIN cases_case c ON c.id = r.case_id
LEFT JOIN org_unit lu ON lu.id = c.lead_unit_id
WHERE r.status = 'accepted' AND r.created_at >= %s AND r.created_at <= %s
ORDER BY r.created_at DESC, r.id DESC LIMIT %s OFFSET %s
"""
RAW_KEYS = (
    "service_request_id", "service_name", "service_code", "description", "requested_datetime",
    "updated_datetime", "address", "lat", "long", "unit", "moderated_at", "case_status", "agency_responsible",
    "status_changed_at", "case_created_at", "expected_datetime", "closed_at", "media_id",
)  # fmt: skip
_raw_connection = []


def raw_app(environ, start_response):
    """The baseline: the same count and page by hand-written SQL, each row a dict, ``json.dumps``."""
    from urllib.parse import parse_qs

    import psycopg

    if not _raw_connection:
        _raw_connection.append(psycopg.connect(BENCH_URL, autocommit=True))
    conn = _raw_connection[0]
    size = int(parse_qs(environ.get("QUERY_STRING", "")).get("page_size", ["1000"])[0])
    end = datetime.now(UTC)
    start = end - timedelta(days=90)
    total = conn.execute(RAW_COUNT, [start, end]).fetchone()[0]
    rows = conn.execute(RAW_PAGE, [start, end, size, 0]).fetchall()
    payload = [
        {key: v.isoformat() if hasattr(v, "isoformat") else v for key, v in zip(RAW_KEYS, row, strict=True)}
        for row in rows
    ]
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = [("Content-Type", "application/json; charset=utf-8"), ("X-Total-Count", str(total))]
    start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
    return [body]


def setup_django() -> None:
    import psycopg

    url = BENCH_URL.rsplit("/", 1)
    with psycopg.connect(url[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [url[1]]).fetchone():
            conn.execute(f'CREATE DATABASE "{url[1]}"')
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = BENCH_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # gunicorn is reached over plain HTTP
    os.environ.setdefault("CHUANGCHENG_VAR_DIR", str(ROOT / "var"))
    import django

    django.setup()


def generate(total: int) -> None:
    """Accepted reports up to ``total``: each with a case (a status mix), every other one with a photo."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from chuangcheng.accounts.models import User
    from chuangcheng.cases.models import Case
    from chuangcheng.places.models import Site
    from chuangcheng.public.models import Report, ReportPhoto, ReportStatus

    call_command("migrate", verbosity=0)
    if not User.objects.filter(username="office").exists():
        call_command("load_site_categories", verbosity=0)
        call_command("seed_demo", verbosity=0)
    have = Report.objects.filter(number__startswith="SPB").count()
    if have >= total:
        print(f"已有 {have:,} 条基准随手拍，跳过生成")
        return
    started = time.perf_counter()
    sites = list(Site.objects.order_by("id").values_list("id", "category_id", "area_id", "unit_id", "lng", "lat"))
    statuses = ["closed"] * 5 + ["rectifying", "dispatched", "signed", "submitted", "invalid"]
    now = datetime.now(UTC)
    office = User.objects.get(username="office")
    with transaction.atomic():
        cases, reports = [], []
        for i in range(have, total):
            site_id, category_id, area_id, unit_id, lng, lat = sites[i % len(sites)]
            status = statuses[i % len(statuses)]
            created = now - timedelta(minutes=(i * 37) % (85 * 24 * 60))
            cases.append(Case(
                number=f"WB-OPEN311-{i:06d}", source="citizen", title=f"市民反映{i}", category_id=category_id,
                site_id=site_id, area_id=area_id, unit_id=unit_id, lng=lng, lat=lat, lead_unit_id=unit_id,
                route_reason="基准数据", status=status, status_changed_at=created + timedelta(hours=3),
                deadline=(created + timedelta(days=7)).date(), closed_at=created + timedelta(days=2)
                if status == "closed" else None,
            ))  # fmt: skip
            reports.append(Report(
                number=f"SPB{i:07d}", follow_code_hash="0" * 64, category_id=category_id, lng=lng, lat=lat,
                address=f"示范路 {i} 号", area_id=area_id, unit_id=unit_id, description=f"市民反映的问题 {i}：垃圾暴露",
                public_description=f"公开描述 {i}" if i % 3 == 0 else "", status=ReportStatus.ACCEPTED,
                moderated_by=office, moderated_at=created + timedelta(hours=1),
            ))  # fmt: skip
        Case.objects.bulk_create(cases, batch_size=2000)
        for report, case in zip(reports, cases, strict=True):
            report.case = case
        Report.objects.bulk_create(reports, batch_size=2000)
        photos = [
            ReportPhoto(report=r, original=f"public/original/{r.number}.jpg", public_image=f"public/{r.number}.jpg")
            for n, r in enumerate(reports)
            if n % 2 == 0
        ]
        ReportPhoto.objects.bulk_create(photos, batch_size=2000)
        with connection.cursor() as cursor:  # spread the submission times (auto_now_add set them to now)
            cursor.execute(
                "UPDATE public_report SET created_at = now() - (substr(number, 4)::int * 37 % (85 * 24 * 60))"
                " * interval '1 minute' WHERE number LIKE 'SPB%%'"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) public_report")
        cursor.execute("VACUUM (ANALYZE) public_reportphoto")
    print(f"生成 {total - have:,} 条已受理随手拍（含案件、半数有照片）：{time.perf_counter() - started:.1f} 秒")


def serve(app: str, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), app, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120",
         "--log-level", "warning", "--pythonpath", f"{ROOT},{ROOT / 'bench'}"], cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip
    for _ in range(300):
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            probe.request("GET", "/open311/v2/discovery.json")
            probe.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def load(port: int, path: str, seconds: float, clients: int) -> tuple[int, int, float]:
    """``clients`` threads requesting ``path`` back to back for ``seconds``: (answers, errors, client CPU s)."""
    done, errors = [0], [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.perf_counter() < stop:
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                ok = False
            with lock:
                done[0] += ok
                errors[0] += not ok

    cpu = time.process_time()
    pool = [threading.Thread(target=worker) for _ in range(clients)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return done[0], errors[0], time.process_time() - cpu


def measure(server, port: int, path: str, seconds: float, clients: int) -> tuple[float, int, float, float]:
    load(port, path, 2, clients)  # warm-up: every worker imports and connects
    started, cpu_before = time.perf_counter(), cpu_seconds(server.pid)
    answered, errors, client_cpu = load(port, path, seconds, clients)
    elapsed = time.perf_counter() - started
    server_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / max(answered, 1)
    return answered / elapsed, errors, server_ms, client_cpu * 1000 / max(answered, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8198, help="gunicorn's port (the raw baseline's: one below)")
    args = parser.parse_args()
    setup_django()
    generate(args.reports)
    from django.db import connection

    from chuangcheng.public.models import Report

    print(
        f"已受理随手拍 {Report.objects.filter(status='accepted').count():,} 条；PostgreSQL {connection.pg_version}；"
        f"CPU {os.cpu_count()} 核；开始时负载 {os.getloadavg()[0]:.1f}"
    )
    connection.close()
    base = "/open311/v2"
    cases = [
        ("requests.json，每页 1,000 条", f"{base}/requests.json?page_size=1000", "/raw?page_size=1000"),
        ("requests.json，每页 100 条", f"{base}/requests.json?page_size=100", "/raw?page_size=100"),
        ("requests.xml，每页 1,000 条", f"{base}/requests.xml?page_size=1000", None),
        ("requests.xml，每页 100 条", f"{base}/requests.xml?page_size=100", None),
        ("services.json", f"{base}/services.json", None),
    ]
    results = {}
    app = serve("config.wsgi", args.port, args.workers)
    try:
        for label, path, _raw in cases:
            results[label] = measure(app, args.port, path, args.seconds, args.clients)
    finally:
        app.terminate()
        app.wait(timeout=60)
    raw = serve("open311:raw_app", args.port - 1, args.workers)
    try:
        for label, _path, raw_path in cases:
            if raw_path:
                results["raw " + label] = measure(raw, args.port - 1, raw_path, args.seconds, args.clients)
    finally:
        raw.terminate()
        raw.wait(timeout=60)
    for label, _path, raw_path in cases:
        rate, errors, server_ms, client_ms = results[label]
        line = (
            f"{label}（gunicorn {args.workers} 进程，{args.clients} 并发）：{rate:.1f} 次/秒（错误 {errors}；"
            f"gunicorn CPU {server_ms:.1f} ms/次，压测端 CPU {client_ms:.1f} ms/次）"
        )
        if raw_path:
            r_rate, r_errors, r_server, _ = results["raw " + label]
            line += f"  |  手写SQL+json.dumps：{r_rate:.1f} 次/秒（错误 {r_errors}；CPU {r_server:.1f} ms/次）"
        print(line)
    print(f"结束时负载 {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
