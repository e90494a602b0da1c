"""Benchmark: compute an assessment period for 300 units over 1,000,000 cases, beside raw SQL.

    .venv/bin/python bench/assessments.py                 # PostgreSQL database bench_assessments (re-created)
    .venv/bin/python bench/assessments.py --reuse         # keep the generated cases of an earlier run
    .venv/bin/python bench/assessments.py --cases 100000  # smaller

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bench_assessments). Data: 300
scored units (10 districts, 90 streets, 200 departments), 100 areas, N cases registered uniformly over
2025-01-01 … 2026-03-31 (deterministic, generated with one INSERT … SELECT generate_series). For each period
the engine (``services.compute_period``: load, score, rank, write lines) is timed beside one hand-written
SQL aggregate of the same per-unit figures, and the two are compared unit by unit. ``lines`` are the stored
score lines (one per rule and unit for the per-case rules), ``cases`` the case entries listed in them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_assessments"
TZ = ZoneInfo("Asia/Shanghai")

GENERATE_CASES = """
INSERT INTO cases_case (number, source, title, description, severity, route_reason, status, version, deadline,
    deadline_reason, pending_request, deferral_plan, created_at, registered_at, dispatched_at, closed_at,
    sendback_count, return_count, misroute_count, is_rebound, escalation_level, external_ref, reporter_name,
    reporter_phone, timeline_head, lead_unit_id, area_id)
SELECT 'BN' || lpad(g::text, 8, '0'),
       (ARRAY['inspection','patrol','citizen','hotline','media','superior','self_check'])[1 + floor(r1 * 7)::int],
       '基准测试问题', '',
       CASE WHEN r2 < 0.2 THEN 'minor' WHEN r2 < 0.85 THEN 'normal' ELSE 'serious' END,
       '',
       CASE WHEN r3 < 0.02 THEN 'invalid' WHEN r3 < 0.03 THEN 'merged'
            WHEN closed_at IS NULL THEN 'rectifying' ELSE 'closed' END,
       1, deadline, '', '', '', reg, reg, reg + interval '2 hours', closed_at,
       CASE WHEN r7 < 0.03 THEN 2 WHEN r7 < 0.13 THEN 1 ELSE 0 END,
       CASE WHEN r8 < 0.05 THEN 1 ELSE 0 END,
       CASE WHEN r8 < 0.025 THEN 1 ELSE 0 END,
       r6 < 0.02, 0, '', '', '', '', unit_id, area_id
FROM (
    SELECT g, r1, r2, r3, r6, r7, r8, reg, unit_id, area_id,
           (reg AT TIME ZONE 'Asia/Shanghai')::date + (5 + floor(r4 * 11)::int) AS deadline,
           CASE WHEN r3 < 0.03 OR r5 > 0.95 THEN NULL
                WHEN reg + (1 + r5 * 25) * interval '1 day' > timestamptz '2026-04-10 00:00+08' THEN NULL
                ELSE reg + (1 + r5 * 25) * interval '1 day' END AS closed_at
    FROM (
        SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5, random() r6, random() r7,
               random() r8, timestamptz '2025-01-01 00:00+08' + random() * interval '455 days' AS reg,
               (%(units)s::bigint[])[1 + floor(random() * %(n_units)s)::int] AS unit_id,
               (%(areas)s::bigint[])[1 + floor(random() * %(n_areas)s)::int] AS area_id
        FROM generate_series(1, %(n)s) g
    ) a
) b
"""

RAW_AGGREGATE = """
WITH cal AS (
    SELECT d::date AS d, SUM(CASE WHEN extract(isodow FROM d) < 6 THEN 1 ELSE 0 END) OVER (ORDER BY d) AS cum
    FROM generate_series(%(start)s::date - 1, %(end)s::date, interval '1 day') d
), c AS (
    SELECT lead_unit_id AS u, deadline, paused_on, sendback_count, return_count, misroute_count, is_rebound,
           (registered_at AT TIME ZONE 'Asia/Shanghai')::date AS reg,
           (closed_at AT TIME ZONE 'Asia/Shanghai')::date AS clo
    FROM cases_case
    WHERE lead_unit_id IS NOT NULL AND status NOT IN ('reported', 'invalid', 'merged')
      AND registered_at < %(hi)s AND (closed_at IS NULL OR closed_at >= %(lo)s)
), o AS (
    SELECT c.*, GREATEST(deadline + 1, %(start)s::date) AS olo,
           LEAST(COALESCE(clo, %(end)s::date), %(end)s::date, COALESCE(paused_on, %(end)s::date)) AS ohi
    FROM c
)
SELECT o.u,
       COUNT(*) FILTER (WHERE reg <= %(end)s::date AND (clo IS NULL OR clo > %(end)s::date)) AS open_end,
       COUNT(*) FILTER (WHERE deadline IS NOT NULL AND olo <= ohi) AS overdue,
       COALESCE(SUM(c2.cum - c1.cum) FILTER (WHERE deadline IS NOT NULL AND olo <= ohi), 0) AS overdue_days,
       COALESCE(SUM(sendback_count) FILTER (WHERE clo BETWEEN %(start)s AND %(end)s), 0) AS sendbacks,
       COALESCE(SUM(GREATEST(return_count - misroute_count, 0)) FILTER (WHERE clo BETWEEN %(start)s AND %(end)s), 0)
           AS unjustified,
       COUNT(*) FILTER (WHERE is_rebound AND reg BETWEEN %(start)s AND %(end)s) AS rebounds,
       COUNT(*) FILTER (WHERE reg BETWEEN %(start)s AND %(end)s) AS registered
FROM o
LEFT JOIN cal c1 ON c1.d = o.olo - 1
LEFT JOIN cal c2 ON c2.d = o.ohi
GROUP BY o.u
"""
POINTS = {
    "open_case": "0.5",
    "overdue_case": "1",
    "overdue_day": "0.1",
    "sendback": "1",
    "rebound": "2",
    "unjustified_return": "0.5",
}
RAW_COLUMNS = {
    "open_case": "open_end",
    "overdue_case": "overdue",
    "overdue_day": "overdue_days",
    "sendback": "sendbacks",
    "rebound": "rebounds",
    "unjustified_return": "unjustified",
}


def prepare_database(url: str, reuse: bool) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not reuse:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(n_cases: int) -> None:
    from django.db import connection, transaction

    from chuangcheng.org.models import Unit, UnitKind
    from chuangcheng.places.models import Area, AreaLevel

    with transaction.atomic():
        city = Unit.objects.create(code="CITY", name="示范市", kind=UnitKind.CITY, path="/")
        office = Unit.objects.create(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city, path="/")
        districts = [
            Unit(code=f"D{i:02d}", name=f"第{i}区", kind=UnitKind.DISTRICT, parent=city, path="/") for i in range(1, 11)
        ]
        Unit.objects.bulk_create(districts)
        streets = [
            Unit(
                code=f"D{d:02d}S{s}", name=f"第{d}区第{s}街道", kind=UnitKind.STREET, parent=districts[d - 1], path="/"
            )
            for d in range(1, 11)
            for s in range(1, 10)
        ]
        departments = [
            Unit(code=f"B{i:03d}", name=f"市直部门{i}", kind=UnitKind.DEPARTMENT, parent=city, path="/")
            for i in range(1, 201)
        ]
        Unit.objects.bulk_create(streets + departments)
        for unit in [city, office, *districts, *streets, *departments]:
            parent_path = unit.parent.path if unit.parent_id else "/"
            unit.path = f"{parent_path}{unit.pk}/"
            unit.depth = unit.path.count("/") - 2
        Unit.objects.bulk_update([city, office, *districts, *streets, *departments], ["path", "depth"])
        district_areas = [
            Area(code=f"A{d.code}", name=d.name, level=AreaLevel.DISTRICT, unit=d, population=500000) for d in districts
        ]
        Area.objects.bulk_create(district_areas)
        street_areas = [
            Area(
                code=f"A{s.code}",
                name=s.name,
                level=AreaLevel.STREET,
                unit=s,
                parent=district_areas[i // 9],
                population=50000,
            )
            for i, s in enumerate(streets)
        ]
        Area.objects.bulk_create(street_areas)
        scored = [u.pk for u in districts + streets + departments]
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")
            cursor.execute(
                GENERATE_CASES,
                {
                    "units": scored,
                    "n_units": len(scored),
                    "areas": [a.pk for a in street_areas],
                    "n_areas": len(street_areas),
                    "n": n_cases,
                },
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")


def build_scheme(actor):
    from chuangcheng.assessments import services

    scheme = services.create_scheme(
        actor=actor, code="BENCH", name="基准测试考核办法", red_count=3, black_count=3, is_sample=True
    )
    for order, (name, kind) in enumerate((("区县", "district"), ("街道", "street"), ("部门", "department"))):
        services.create_peer_group(actor=actor, scheme=scheme, name=name, unit_kinds=[kind], sort_order=order)
    for order, (kind, points) in enumerate(POINTS.items()):
        services.create_rule(actor=actor, scheme=scheme, kind=kind, points=Decimal(points), sort_order=order)
    services.create_rule(
        actor=actor,
        scheme=scheme,
        kind="indicator_grade",
        sort_order=20,
        params={"indicator": "ontime_closure_rate", "grade_points": {"A": 1, "D": -1, "E": -2}},
    )
    services.create_rule(actor=actor, scheme=scheme, kind="fund_deduction", params={"per_point": 100}, sort_order=21)
    services.create_rule(
        actor=actor, scheme=scheme, kind="award_ineligible", params={"black_list": True}, sort_order=22
    )
    return services.publish_scheme(scheme=scheme, actor=actor)


def raw(start: date, end: date) -> dict[int, dict]:
    from django.db import connection

    lo = datetime.combine(start, dtime.min, TZ)
    hi = datetime.combine(end + timedelta(days=1), dtime.min, TZ)
    with connection.cursor() as cursor:
        cursor.execute(RAW_AGGREGATE, {"start": start, "end": end, "lo": lo, "hi": hi})
        columns = [c.name for c in cursor.description]
        return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


def engine_sums(period) -> dict[int, dict]:
    from django.db.models import Sum

    from chuangcheng.assessments.models import ScoreLine

    sums: dict[int, dict] = {}
    rows = ScoreLine.objects.filter(period=period).values("unit_id", "kind").annotate(points=Sum("points"))
    for row in rows:
        sums.setdefault(row["unit_id"], {})[row["kind"]] = row["points"]
    return sums


def compare(period, figures: dict[int, dict]) -> int:
    engine = engine_sums(period)
    mismatches = 0
    for unit_id, raw_row in figures.items():
        for kind, column in RAW_COLUMNS.items():
            expected = -Decimal(POINTS[kind]) * Decimal(raw_row[column] or 0)
            got = engine.get(unit_id, {}).get(kind, Decimal(0))
            if expected != got:
                mismatches += 1
                if mismatches <= 5:
                    print(f"  mismatch unit {unit_id} {kind}: raw {expected} engine {got}")
    return mismatches


def dry_run(period) -> tuple[float, float, float]:
    """The engine without writes: read the facts (SQL → Python), then score and rank in Python.

    Returns (read wall s, score wall s, score CPU s): on a shared machine the CPU seconds of this
    process say what the scoring costs, the wall seconds what it took.
    """
    from chuangcheng.assessments import scoring, selectors
    from chuangcheng.assessments.services.periods import _unit_facts, without_cyclic_gc

    with without_cyclic_gc():  # as compute_period does
        t = time.perf_counter()
        counter, _ = selectors.workday_counter(period.start, period.end)
        cases, _, _ = selectors.load_cases(period)
        members = selectors.scored_units(period.scheme)
        read_s = time.perf_counter() - t
        t, cpu = time.perf_counter(), time.process_time()
        facts, _ = _unit_facts(period, members, cases, counter)
        scoring.score_period(selectors.scheme_spec(period.scheme), facts, period.start, period.end, counter)
        return read_s, time.perf_counter() - t, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        print("需要 PostgreSQL：设置 DATABASE_URL=postgres://…")
        return 2
    prepare_database(url, args.reuse)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from chuangcheng.accounts.models import Membership, Role, User
    from chuangcheng.assessments import selectors, services
    from chuangcheng.assessments.models import ScoreLine
    from chuangcheng.cases.models import Case
    from chuangcheng.org.models import Unit

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    if not Case.objects.exists():
        generate(args.cases)
        print(f"generated {Case.objects.count():,} cases in {time.perf_counter() - t0:.1f} s (INSERT … SELECT)")
    actor, _ = User.objects.get_or_create(username="bench-office", defaults={"full_name": "基准测试"})
    Membership.objects.get_or_create(user=actor, unit=Unit.objects.get(code="OFFICE"), role=Role.OFFICE_ADMIN)
    scheme = (
        build_scheme(actor)
        if not selectors.Scheme.objects.filter(code="BENCH").exists()
        else (selectors.Scheme.objects.get(code="BENCH", version=1))
    )
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    print(
        f"database: PostgreSQL {connection.cursor().connection.info.server_version}, "
        f"{Case.objects.count():,} cases, {len(selectors.scored_units(scheme))} scored units"
    )
    periods = (
        ("monthly", date(2026, 3, 1), date(2026, 3, 31), "2026年3月专项考核"),
        ("quarterly", date(2026, 1, 1), date(2026, 3, 31), "2026年第一季度面上考核"),
        ("annual", date(2025, 1, 1), date(2025, 12, 31), "2025年度考核"),
    )
    print(
        f"{'period':<16}{'relevant':>10}{'lines':>7}{'cases':>11}{'read s':>8}{'score s':>8}{'score cpu':>10}"
        f"{'engine s':>9}{'engine cpu':>11}{'raw SQL s':>10}{'publish s':>10}{'mismatch':>9}{'load':>6}",
        flush=True,
    )
    for kind, start, end, name in periods:
        period = services.create_period(actor=actor, scheme=scheme, kind=kind, start=start, end=end, name=name)
        t = time.perf_counter()
        read_s, score_s, score_cpu = dry_run(period)
        t, cpu = time.perf_counter(), time.process_time()
        period = services.compute_period(period=period, actor=actor)
        engine_s, engine_cpu = time.perf_counter() - t, time.process_time() - cpu
        t = time.perf_counter()
        figures = raw(start, end)
        raw_s = time.perf_counter() - t
        t = time.perf_counter()
        period = services.publish_period(period=period, actor=actor)
        publish_s = time.perf_counter() - t
        load = os.getloadavg()[0]
        relevant = len(selectors.load_cases(period)[0])
        lines = sum(period.scores.values_list("line_count", flat=True))
        listed = sum(len(items) for items in ScoreLine.objects.filter(period=period).values_list("items", flat=True))
        print(
            f"{name:<12}{relevant:>10,}{lines:>7,}{listed:>11,}{read_s:>8.2f}{score_s:>8.2f}{score_cpu:>10.2f}"
            f"{engine_s:>9.2f}{engine_cpu:>11.2f}{raw_s:>10.2f}{publish_s:>10.2f}{compare(period, figures):>9}"
            f"{load:>6.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
