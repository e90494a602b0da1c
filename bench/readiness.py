"""Benchmark: command-centre API latency and the readiness forecast, on 1,000,000 generated cases.

    .venv/bin/python bench/readiness.py                  # PostgreSQL database bench_readiness (created)
    .venv/bin/python bench/readiness.py --cases 100000   # smaller
    BENCH_DATABASE_URL=sqlite:///var/bench.sqlite3 .venv/bin/python bench/readiness.py --cases 100000

Data: the demo city (units, 2,235 areas, 3,000 sites from ``seed_demo``), a synthetic published standard
(clearly named 基准测试标准（合成）, 8 check items per site category, some with points 待核实, one
negative-list item per category, a sampling quota of 8 per category) and N bulk-inserted cases spread
over the last 365 days (about 5 % open, 40 % at a site with a check item, 2 % sent back once).

Figures, each beside a baseline measured in the same run:
* dashboard API p95 over the pre-aggregated tables vs the same figures by raw SQL over the cases table;
* 10,000 forecast runs (vectorised) vs a plain-Python loop on a subset, extrapolated.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_readiness"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if url.startswith("postgres"):
        _ensure_pg_database(url)
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]


def _ensure_pg_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare_reference_data() -> None:
    from django.core.management import call_command

    from chuangcheng.places.models import Site

    call_command("migrate", verbosity=0)
    call_command("load_site_categories", verbosity=0)
    if not Site.objects.exists():
        call_command("seed_demo", verbosity=0)


def synthetic_standard():
    """A published standard for the bench only (the built-in catalogue has no points to deduct)."""
    from chuangcheng.places.models import SiteCategory
    from chuangcheng.standards.models import CheckItem, Clause, SamplingQuota, Standard

    existing = Standard.objects.filter(code="BENCH-SYNTHETIC").first()
    if existing is not None:
        return existing
    standard = Standard.objects.create(
        kind="sanitary_city", code="BENCH-SYNTHETIC", name="基准测试标准（合成）", version="bench", status="draft"
    )
    clause = Clause.objects.create(standard=standard, number="B1", title="合成条款")
    rng = random.Random(1)
    for order, category in enumerate(SiteCategory.objects.order_by("sort_order", "code")):
        for n in range(8):
            item = CheckItem.objects.create(
                standard=standard,
                clause=clause,
                code=f"B{category.pk:03d}-{n}",
                title=f"{category.name}检查项{n + 1}",
                points=None if n == 7 else rng.choice([0.5, 1, 2]),
                cap_per_site=4 if n < 3 else None,
                is_negative_list=n == 6,
                is_sample=True,
                sort_order=order * 10 + n,
            )
            item.site_categories.set([category])
        SamplingQuota.objects.create(
            standard=standard,
            category=category,
            category_name=category.name,
            min_samples_small=6,
            min_samples_medium=8,
            min_samples_large=10,
        )
    Standard.objects.filter(pk=standard.pk).update(status="published", published_at=time_now())
    return standard


def time_now():
    from django.utils import timezone

    return timezone.now()


def generate_cases(n: int, standard, *, seed: int = 2026) -> None:
    """Bulk-insert ``n`` cases (COPY on PostgreSQL, bulk_create elsewhere)."""
    from django.db import connection

    from chuangcheng.cases.models import Case, CaseTransition
    from chuangcheng.org.models import Unit
    from chuangcheng.places.models import Area, Site
    from chuangcheng.standards.models import CheckItem

    have = Case.objects.count()
    if have >= n:
        print(f"已有 {have} 件问题，跳过生成")
        return
    rng = random.Random(seed + have)
    units = list(Unit.objects.filter(kind__in=["department", "street", "district"]).values_list("pk", flat=True))
    grids = list(Area.objects.filter(level=5).values_list("pk", flat=True)) or list(
        Area.objects.values_list("pk", flat=True)
    )
    sites = list(Site.objects.values_list("pk", "category_id", "area_id"))
    items: dict[int, list[int]] = {}
    for item_id, category_id in CheckItem.objects.filter(standard=standard).values_list("pk", "site_categories"):
        items.setdefault(category_id, []).append(item_id)
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    defaults = {f.attname: (f.get_default() if f.has_default() else None) for f in fields}
    for f in fields:
        if defaults[f.attname] is None and not f.null:
            defaults[f.attname] = ""
    now = time_now()
    open_statuses = ["registered", "dispatched", "signed", "rectifying", "deferred", "submitted"]
    started = time.perf_counter()
    batch: list[tuple] = []
    sendbacks: list[int] = []

    def flush():
        if not batch:
            return
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY cases_case ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in batch:
                    copy.write_row(row)
        else:
            created_field = Case._meta.get_field("created_at")
            created_field.auto_now_add = False  # keep the generated dates
            try:
                Case.objects.bulk_create(
                    [Case(**dict(zip([f.attname for f in fields], row, strict=True))) for row in batch],
                    batch_size=2000,
                )
            finally:
                created_field.auto_now_add = True
        batch.clear()

    for index in range(have, n):
        created = now - timedelta(seconds=rng.randrange(365 * 86400))
        roll = rng.random()
        status = rng.choice(open_statuses) if roll < 0.05 else "invalid" if roll < 0.07 else "closed"
        values = dict(defaults)
        values.update(
            number=f"BM{index:09d}",
            source=rng.choice(["patrol", "citizen", "hotline", "inspection"]),
            title="基准测试问题",
            severity="normal",
            status=status,
            created_at=created,
            registered_at=created if status != "invalid" else None,
            dispatched_at=created + timedelta(hours=2) if status not in ("invalid", "registered") else None,
            lead_unit_id=rng.choice(units) if status != "invalid" else None,
            deadline=(created + timedelta(days=10)).date(),
            closed_at=created + timedelta(days=rng.randint(1, 20)) if status == "closed" else None,
            sendback_count=1 if rng.random() < 0.02 else 0,
            is_rebound=rng.random() < 0.01,
            area_id=rng.choice(grids),
        )
        if rng.random() < 0.4:
            site_id, category_id, area_id = rng.choice(sites)
            values.update(site_id=site_id, category_id=category_id, area_id=area_id or values["area_id"])
            if items.get(category_id):
                values["check_item_id"] = rng.choice(items[category_id])
        if values["sendback_count"]:
            sendbacks.append(index)
        batch.append(tuple(values[f.attname] for f in fields))
        if len(batch) >= 20_000:
            flush()
    flush()
    ids = dict(Case.objects.filter(number__in=[f"BM{i:09d}" for i in sendbacks]).values_list("number", "pk"))
    CaseTransition.objects.bulk_create(
        [
            CaseTransition(
                case_id=pk,
                from_status="submitted",
                to_status="rectifying",
                action="send_back",
                at=now,
                prev_hash="0",
                hash="0",
            )
            for pk in ids.values()
        ],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case")
    print(f"生成问题 {n - have} 件，用时 {time.perf_counter() - started:.1f} 秒")


ENDPOINTS = ("summary", "trends", "funnel", "rankings", "map", "map/shading", "map/shapes", "map/shapes 304")


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def bench_dashboard(repeats: int) -> list[tuple]:
    from django.db import connection
    from rest_framework.test import APIClient

    from chuangcheng.accounts.models import Membership, Role, User
    from chuangcheng.dashboard.services import refresh_dashboard

    started = time.perf_counter()
    refresh_dashboard(full=True)
    full_refresh = time.perf_counter() - started
    started = time.perf_counter()
    refresh_dashboard()
    recent_refresh = time.perf_counter() - started
    print(f"汇总刷新：全量 {full_refresh:.2f} 秒，近35天（定时任务）{recent_refresh:.2f} 秒")

    office = User.objects.filter(memberships__role=Role.OFFICE_ADMIN).first()
    district = Membership.objects.filter(role=Role.UNIT_HEAD, unit__kind="district").select_related("user").first()
    rows = []
    for label, user in (("全市（创建办）", office), ("区（区负责人）", district.user if district else None)):
        if user is None:
            continue
        client = APIClient()
        client.force_authenticate(user)
        for endpoint in ENDPOINTS:
            path, headers, expected = f"/api/v1/dashboard/{endpoint}/", {}, 200
            if endpoint == "map/shapes 304":  # the browser revalidating its copy of the shapes
                path, expected = "/api/v1/dashboard/map/shapes/", 304
                headers = {"HTTP_IF_NONE_MATCH": client.get(path)["ETag"]}
            size = len(client.get(path, **headers).content)
            samples = []
            for _ in range(repeats):
                t = time.perf_counter()
                response = client.get(path, **headers)
                samples.append((time.perf_counter() - t) * 1000)
                assert response.status_code == expected, (endpoint, response.status_code)
            rows.append((label, f"{endpoint} ({size:,} B)", statistics.median(samples), p95(samples)))
    # Baseline: the same headline figures straight from the cases table, by hand-written SQL.
    from django.utils import timezone

    from chuangcheng.cases.models.cases import OPEN_STATUSES

    today = timezone.localdate()
    week = today - timedelta(days=today.weekday())
    placeholders = ", ".join(["%s"] * len(OPEN_STATUSES))
    summary_sql = (
        f"SELECT SUM(CASE WHEN status IN ({placeholders}) THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN status IN ({placeholders}) AND deadline < %s AND status <> 'deferred' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN status = 'closed' AND closed_at >= %s THEN 1 ELSE 0 END),"
        " SUM(sendback_count), SUM(CASE WHEN is_rebound THEN 1 ELSE 0 END) FROM cases_case"
    )
    summary_params = [*map(str, OPEN_STATUSES), *map(str, OPEN_STATUSES), today, week]
    trends_sql = "SELECT DATE(created_at), COUNT(*) FROM cases_case WHERE created_at >= %s GROUP BY DATE(created_at)"
    rank_sql = (
        f"SELECT lead_unit_id, SUM(CASE WHEN status IN ({placeholders}) THEN 1 ELSE 0 END) AS o FROM cases_case"
        " GROUP BY lead_unit_id ORDER BY o DESC LIMIT 15"
    )
    for name, sql, params in (
        ("summary", summary_sql, summary_params),
        ("trends", trends_sql, [timezone.now() - timedelta(days=30)]),
        ("rankings", rank_sql, list(map(str, OPEN_STATUSES))),
    ):
        samples = []
        for _ in range(max(5, repeats // 10)):
            t = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
            samples.append((time.perf_counter() - t) * 1000)
        rows.append(("基线：直接 SQL 扫描问题表（全市）", name, statistics.median(samples), p95(samples)))
    return rows


def plain_loop(categories, rules, runs: int, seed: int, pass_line: float) -> list[float]:
    """The obvious implementation: per run, per category, sample sites, then per site, per item."""
    rng = random.Random(seed)
    total_sites = sum(min(c.sample_size, c.n_sites) for c in categories)
    scores = []
    prepared = []
    for c in categories:
        open_by_site: dict[int, dict[int, int]] = {}
        for s, j, k in zip(c.open_site_ids.tolist(), c.open_item_ids.tolist(), c.open_counts.tolist(), strict=True):
            open_by_site.setdefault(s, {})[j] = k
        # clean sites are numbered after the problem sites
        site_ids = list(open_by_site) + [-(i + 1) for i in range(c.n_sites - len(open_by_site))]
        items = [(int(j), float(r)) for j, r in zip(c.item_ids.tolist(), c.rates.tolist(), strict=True)]
        prepared.append((c, open_by_site, site_ids, items))
    for _ in range(runs):
        loss, failed = 0.0, False
        for c, open_by_site, site_ids, items in prepared:
            for site in rng.sample(site_ids, min(c.sample_size, c.n_sites)):
                opens = open_by_site.get(site, {})
                for item_id, rate in items:
                    count = opens.get(item_id, 0) + (1 if rng.random() < rate else 0)
                    if not count:
                        continue
                    points = rules.points.get(item_id)
                    cap = rules.caps.get(item_id)
                    loss += min(count * (points or 0.0), cap if cap is not None else float("inf"))
                    failed = failed or item_id in rules.negative
        scores.append(max(0.0, 100 - loss / total_sites))
    return scores


def bench_forecast(standard, runs: int, loop_runs: int) -> list[tuple]:
    from chuangcheng.readiness.forecast import simulate
    from chuangcheng.readiness.inputs import Parameters, build_inputs

    params = Parameters(standard_id=standard.pk, runs=runs, seed=7)
    started = time.perf_counter()
    inputs = build_inputs(params)
    build = time.perf_counter() - started
    simulate(inputs.categories, inputs.rules, runs=200, seed=1, pass_line=90)  # warm-up
    timings, cpu = [], []
    for repeat in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = simulate(inputs.categories, inputs.rules, runs=runs, seed=7 + repeat, pass_line=90)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    started = time.perf_counter()
    loop_scores = plain_loop(inputs.categories, inputs.rules, loop_runs, 7, 90)
    loop = time.perf_counter() - started
    open_problems = int(sum(c.open_counts.sum() for c in inputs.categories))
    print(
        f"预测输入：{len(inputs.categories)} 类点位，抽取 {result.drawn_sites} 个，未办结点位问题 {open_problems} 件；"
        f"期望得分 {result.scores.mean():.2f}（普通循环 {statistics.mean(loop_scores):.2f}），"
        f"通过概率 {result.p_pass:.3f}"
    )
    return [
        ("读取输入（数据库）", build),
        (f"{runs} 次模拟，向量化（3 次中位数）", statistics.median(timings)),
        (f"{runs} 次模拟，向量化，进程 CPU 时间（3 次中位数）", statistics.median(cpu)),
        (f"基线：普通 Python 循环 {loop_runs} 次，外推到 {runs} 次", loop / loop_runs * runs),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=100, help="requests per endpoint")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--loop-runs", type=int, default=200)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    setup_django(url)
    from django.db import connection

    print(f"数据库：{connection.vendor}（{url}）；CPU {os.cpu_count()} 核；开始时负载 {os.getloadavg()}")
    prepare_reference_data()
    standard = synthetic_standard()
    generate_cases(args.cases, standard)
    print("\n指挥中心接口（毫秒）")
    print(f"{'范围':<22}{'接口（响应字节）':<30}{'中位数':>10}{'p95':>10}")
    for label, endpoint, median, high in bench_dashboard(args.repeats):
        print(f"{label:<22}{endpoint:<30}{median:>10.1f}{high:>10.1f}")
    print("\n迎检预测（秒）")
    for label, seconds in bench_forecast(standard, args.runs, args.loop_runs):
        print(f"{label:<40}{seconds:>10.3f}")
    print(f"结束时负载 {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
