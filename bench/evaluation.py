"""Benchmark: score a 模拟测评 round of 100 points × 300 测评标准 × 5 observations (150,000 observations).

    .venv/bin/python bench/evaluation.py                       # SQLite test database (created and dropped)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/evaluation.py
                                                               # PostgreSQL: database bench_mockeval (dropped after)

Data (deterministic): 100 sites in 10 categories over 5 districts; a standard of 10 测评项目, 60 测评内容 and
300 observation-scored 测评标准 (分值 1–4, every tenth 待核实, two on the 负面清单 of which one is a veto),
each applying to every category with 观察频次 5; one submitted round with every standard observed 5 times at
every point (about 85 % 达标, 2 % 不适用): 150,000 observations.

Measured in the same process (median of 5 after one warm-up):
1. ``evaluation.round_evaluation`` — the queries (visits, districts, per-group COUNTs, 负面清单 findings,
   items) and the pure scoring — 得分率 per point, category, district, 测评内容 and 测评项目;
2. the pure scoring alone (``observation.score_observations`` on the already-loaded 30,000 groups);
3. the baseline: one plain Python loop over the 150,000 raw observation rows (a cursor fetch of
   visit, item, passed) computing the same rates with floats, checked against ours.
"""

from __future__ import annotations

import os
import random
import sys
import time
import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_mockeval")  # PostgreSQL only; SQLite uses a temporary file

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.measure import cpu_seconds, timed  # noqa: E402

N_POINTS, N_ITEMS, N_OBS, N_CATEGORIES, N_DISTRICTS = 100, 300, 5, 10, 5
PASS_RATE, NA_RATE = 0.85, 0.02


def build():
    from chuangcheng.inspections.models import InspectionRound, Observation, RoundStatus, SiteVisit, VisitStatus
    from chuangcheng.org.models import Unit, UnitKind
    from chuangcheng.places.models import Area, Site, SiteCategory
    from chuangcheng.standards.models import CheckItem, Clause, ClauseLevel, Standard

    rng = random.Random(2026)

    def unit(code, name, kind, parent=None):
        made = Unit.objects.create(code=code, name=name, kind=kind, parent=parent)
        made.path = f"{parent.path if parent else '/'}{made.pk}/"
        made.depth = made.path.count("/") - 2
        made.save(update_fields=["path", "depth"])
        return made

    city = unit("BC", "基准市", UnitKind.CITY)
    office = unit("BO", "基准创建办", UnitKind.OFFICE, city)
    districts = [unit(f"BD{n}", f"区{n}", UnitKind.DISTRICT, city) for n in range(N_DISTRICTS)]
    areas = [Area.objects.create(code=f"BA{n}", name=f"区域{n}", level=2, unit=d) for n, d in enumerate(districts)]
    categories = [SiteCategory.objects.create(code=f"bc{n}", name=f"类别{n}") for n in range(N_CATEGORIES)]
    sites = Site.objects.bulk_create(
        [
            Site(
                code=f"BS{n:04d}",
                name=f"点位{n}",
                category=categories[n % N_CATEGORIES],
                area=areas[n % N_DISTRICTS],
                unit=districts[n % N_DISTRICTS],
                lng=120.0,
                lat=30.0,
            )
            for n in range(N_POINTS)
        ]
    )
    standard = Standard.objects.create(kind="civilized_city", code="CIV-BENCH", name="基准测评体系", version="1")
    sections = [
        Clause.objects.create(standard=standard, level=ClauseLevel.SECTION, number=f"S{n}", title=f"测评项目{n}")
        for n in range(10)
    ]
    articles = [
        Clause.objects.create(
            standard=standard,
            parent=sections[n // 6],
            section=sections[n // 6],
            number=f"S{n // 6}-{n}",
            title=f"内容{n}",
        )
        for n in range(60)
    ]
    items = CheckItem.objects.bulk_create(
        [
            CheckItem(
                standard=standard,
                clause=articles[n // 5],
                code=f"O{n:03d}",
                title=f"测评标准{n}",
                judgement="observe",
                observations=N_OBS,
                full_points=None if n % 10 == 9 else Decimal(1 + n % 4),
                is_negative_list=n in (298, 299),
                is_veto=n == 299,
                points=Decimal("2") if n == 298 else None,
            )
            for n in range(N_ITEMS)
        ]
    )
    round_ = InspectionRound.objects.create(
        name="基准模拟测评",
        kind="mock",
        unit=office,
        standard=standard,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 5),
        status=RoundStatus.CLOSED,
    )
    visits = SiteVisit.objects.bulk_create(
        [
            SiteVisit(
                round=round_,
                site=s,
                category_id=s.category_id,
                area_id=s.area_id,
                unit_id=s.unit_id,
                status=VisitStatus.DONE,
                submitted_at=timezone.now(),
                sort_order=n,
            )
            for n, s in enumerate(sites)
        ]
    )
    rows = []
    for visit in visits:
        for item in items:
            for seq in range(1, N_OBS + 1):
                draw = rng.random()
                passed = None if draw < NA_RATE else draw < NA_RATE + PASS_RATE * (1 - NA_RATE)
                rows.append(Observation(visit=visit, check_item=item, seq=seq, passed=passed, client_uuid=uuid.uuid4()))
    Observation.objects.bulk_create(rows, batch_size=5000)
    return round_, len(rows)


def plain_loop(round_id: int) -> dict:
    """The baseline: fetch the raw rows and compute the same rates in one plain loop (floats)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.id, v.site_id, v.category_id, u.path FROM inspections_sitevisit v "
            "JOIN org_unit u ON u.id = v.unit_id WHERE v.round_id = %s AND v.status = 'done'",
            [round_id],
        )
        visit_keys = {
            vid: {"point": site, "category": cat, "district": path.strip("/").split("/")[1]}
            for vid, site, cat, path in cursor.fetchall()
        }
        cursor.execute(
            "SELECT i.id, i.full_points, c.number, i.is_negative_list FROM standards_checkitem i "
            "JOIN standards_clause c ON c.id = i.clause_id JOIN inspections_inspectionround r ON r.standard_id = "
            "i.standard_id WHERE r.id = %s",
            [round_id],
        )
        items = {iid: (None if fp is None else float(fp), clause, neg) for iid, fp, clause, neg in cursor.fetchall()}
        cursor.execute(
            "SELECT o.visit_id, o.check_item_id, o.passed FROM inspections_observation o "
            "JOIN inspections_sitevisit v ON v.id = o.visit_id WHERE v.round_id = %s AND v.status = 'done'",
            [round_id],
        )
        rows = cursor.fetchall()
    sums = {dim: defaultdict(lambda: [0, 0]) for dim in ("point", "category", "district", "clause", "total")}
    for visit_id, item_id, passed in rows:
        if passed is None:
            continue
        keys = visit_keys[visit_id]
        fp, clause, negative = items[item_id]
        if negative:
            continue
        for dim, key in (
            ("point", keys["point"]),
            ("category", keys["category"]),
            ("district", keys["district"]),
            ("clause", clause),
            ("total", None),
        ):
            counts = sums[dim][(key, item_id)]
            counts[0] += 1 if passed else 0
            counts[1] += 1
    rates = {}
    for dim, table in sums.items():
        score, full = defaultdict(float), defaultdict(float)
        for (key, item_id), (passed, observed) in table.items():
            fp = items[item_id][0]
            if fp is not None and observed:
                score[key] += fp * passed / observed
                full[key] += fp
        rates[dim] = {key: score[key] / full[key] for key in full}
    return rates


def server_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (from /proc; same machine), 0 on SQLite (in-process)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cpu_seconds(cursor.fetchone()[0])


def server_text(ms: float) -> str:
    return f" + PostgreSQL backend CPU {ms:.0f} ms/run" if connection.vendor == "postgresql" else ""


def main() -> None:
    from chuangcheng.inspections import evaluation, observation

    load_before = os.getloadavg()
    print(f"database: {connection.vendor}; load average " + " / ".join(f"{x:.1f}" for x in load_before))
    started = time.perf_counter()
    round_, n_rows = build()
    print(
        f"data: {N_POINTS} points × {N_ITEMS} standards × {N_OBS} = {n_rows} observations "
        f"({time.perf_counter() - started:.1f} s)"
    )

    cpu, server = time.process_time(), server_cpu()
    ms_ours, p95_ours = timed(lambda: evaluation.round_evaluation(round_), 5)
    cpu_ours, server_ours = (time.process_time() - cpu) / 6 * 1000, (server_cpu() - server) / 6 * 1000
    score, _names = evaluation.round_evaluation(round_)

    points, items, groups = _loaded(round_)
    cpu = time.process_time()
    ms_pure, _ = timed(lambda: observation.score_observations(points, items, groups), 5)
    cpu_pure = (time.process_time() - cpu) / 6 * 1000
    cpu, server = time.process_time(), server_cpu()
    ms_loop, p95_loop = timed(lambda: plain_loop(round_.pk), 5)
    cpu_loop, server_loop = (time.process_time() - cpu) / 6 * 1000, (server_cpu() - server) / 6 * 1000
    loop = plain_loop(round_.pk)

    def before_deduction(tally):  # the loop does not apply the 负面清单
        return float(tally.score / tally.full)

    total_loop = loop["total"][None]
    assert abs(before_deduction(score.total) - total_loop) < 1e-9, (score.total.rate, total_loop)
    for dim, attr in (("point", "by_point"), ("category", "by_category"), ("clause", "by_clause")):
        ours = getattr(score, attr)
        assert all(abs(before_deduction(ours[k]) - v) < 1e-9 for k, v in loop[dim].items()), dim
    assert len(score.by_point) == N_POINTS and len(loop["point"]) == N_POINTS
    print(
        f"1. round_evaluation (queries + pure scoring; per point, category, district, 测评内容, 测评项目): "
        f"median {ms_ours:.0f} ms, p95 {p95_ours:.0f} ms, CPU {cpu_ours:.0f} ms/run{server_text(server_ours)}"
    )
    print(f"2. pure score_observations on {len(groups)} groups: median {ms_pure:.0f} ms, CPU {cpu_pure:.0f} ms/run")
    print(
        f"3. plain Python loop over the {n_rows} raw rows (fetch + loop, floats): median {ms_loop:.0f} ms, "
        f"p95 {p95_loop:.0f} ms, CPU {cpu_loop:.0f} ms/run{server_text(server_loop)}"
    )
    print(
        f"   得分率 {observation.percent(score.total.rate)} (loop {total_loop * 100:.2f}% before the "
        f"负面清单 deduction "
        f"{score.total.deduction}), 待核实 {score.total.unknown_items} standards, veto hits {score.total.veto_hits}"
    )
    load_after = os.getloadavg()
    print(f"load average after: {load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f}")


def _loaded(round_):
    """The rows ``round_evaluation`` reads, loaded once (to time the pure scoring alone)."""
    from chuangcheng.inspections import evaluation
    from chuangcheng.inspections.observation import GroupRow, PointRow

    captured = {}
    original = evaluation.score_observations

    def capture(points, items, groups):
        captured.update(points=list(points), items=list(items), groups=list(groups))
        return original(captured["points"], captured["items"], captured["groups"])

    evaluation.score_observations = capture
    try:
        evaluation.round_evaluation(round_)
    finally:
        evaluation.score_observations = original
    assert all(isinstance(p, PointRow) for p in captured["points"][:1])
    assert all(isinstance(g, GroupRow) for g in captured["groups"][:1])
    return captured["points"], captured["items"], captured["groups"]


if __name__ == "__main__":
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
