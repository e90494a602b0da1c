"""Benchmark: draw 300 sites from 50,000 and score a round of 300 visits, beside plain baselines.

    .venv/bin/python bench/inspections.py                       # SQLite test database (created and dropped)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/inspections.py

Data (deterministic): 50,000 active sites in 20 categories over 10 districts; 2,000 of them inspected
recently (excluded); a plan of 15 sites per category (300). Then 300 done visits with 900 findings
(points 0.5–3, a cap on some items, some with unknown points, a few on the negative list).

Measured, each beside a baseline run in the same process:
1. the pure draw (numpy, per-stratum generators) vs a plain loop (set filter + ``random.sample``);
2. the whole ``draw_round`` service (candidate and exclusion queries, stored inputs, 300 visits, audit)
   vs a raw SQL fetch of the candidates plus the plain-loop draw (no writes);
3. ``round_score`` (two queries + the rubric) vs one hand-written SQL aggregate of points × count per
   area (no caps, no negative list), checked against each other on the uncapped total.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

N_SITES, N_CATEGORIES, PER_CATEGORY, N_EXCLUDED = 50_000, 20, 15, 2_000


def timed(fn, repeat: int = 5):
    runs, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), result


def plain_draw(candidates: dict[int, list[int]], quotas: dict[int, int], excluded: set[int], seed: int):
    rng = random.Random(seed)
    out = {}
    for category in sorted(quotas):
        pool = [s for s in candidates.get(category, []) if s not in excluded]
        out[category] = sorted(rng.sample(pool, min(quotas[category], len(pool))))
    return out


def build(world_seed: int = 7):
    from chuangcheng.accounts.models import Membership, Role, User
    from chuangcheng.inspections.models import InspectionRound, RoundStatus, SiteVisit, VisitStatus
    from chuangcheng.org.models import Unit
    from chuangcheng.places.models import Area, Site, SiteCategory
    from chuangcheng.standards.models import CheckItem, Standard

    rng = random.Random(world_seed)
    city = Unit.objects.create(code="CITY", name="基准市", kind="city", path="/")
    office = Unit.objects.create(code="OFFICE", name="创建办", kind="office", parent=city, path="/")
    admin = User.objects.create(username="bench-admin")
    Membership.objects.create(user=admin, unit=office, role=Role.OFFICE_ADMIN)
    districts = [
        Unit.objects.create(code=f"D{n}", name=f"区{n}", kind="district", parent=city, path="/") for n in range(10)
    ]
    areas = [Area.objects.create(code=f"A{n}", name=f"区{n}", level=2, unit=d) for n, d in enumerate(districts)]
    categories = [SiteCategory.objects.create(code=f"c{n}", name=f"类别{n}", sort_order=n) for n in range(N_CATEGORIES)]
    Site.objects.bulk_create(
        [
            Site(
                code=f"S{n:06d}",
                name=f"点位{n}",
                category=categories[n % N_CATEGORIES],
                lng=120.0,
                lat=30.0,
                area=areas[n % 10],
                unit=districts[n % 10],
            )
            for n in range(N_SITES)
        ],
        batch_size=2000,
    )
    standard = Standard.objects.create(kind="sanitary_city", code="B", name="基准标准", version="1")
    items = []
    for n in range(30):
        item = CheckItem.objects.create(
            standard=standard,
            code=f"K{n}",
            title=f"检查项{n}",
            points=None if n % 10 == 9 else Decimal(str(0.5 + (n % 6) * 0.5)),
            cap_per_site=Decimal("3") if n % 4 == 0 else None,
            is_negative_list=n == 29,
        )
        item.site_categories.set(categories)
        items.append(item)
    site_ids = list(Site.objects.values_list("pk", flat=True))
    earlier = InspectionRound.objects.create(
        name="上一轮",
        kind="covert",
        unit=office,
        period_start=date(2026, 8, 1),
        period_end=date(2026, 8, 2),
        status=RoundStatus.PUBLISHED,
    )
    recent = rng.sample(site_ids, N_EXCLUDED)
    sites = Site.objects.in_bulk(recent)
    SiteVisit.objects.bulk_create(
        [
            SiteVisit(
                round=earlier,
                site=sites[s],
                category_id=sites[s].category_id,
                status=VisitStatus.DONE,
                submitted_at=timezone.now() - timedelta(days=5),
            )
            for s in recent
        ],
        batch_size=2000,
    )
    return admin, office, standard, categories, items


def main() -> None:
    from chuangcheng.inspections import sampling, selectors, services
    from chuangcheng.inspections.models import Finding, FindingResult, SiteVisit, VisitStatus

    print(f"database: {connection.vendor}")
    t0 = time.perf_counter()
    admin, office, standard, categories, items = build()
    print(
        f"data: {N_SITES} sites, {N_CATEGORIES} categories, {N_EXCLUDED} recently inspected "
        f"(built in {time.perf_counter() - t0:.1f} s)"
    )

    # 1. pure draw vs plain loop
    candidates: dict[int, list[int]] = {}
    for site_id, category_id in __import__("chuangcheng.places.models", fromlist=["Site"]).Site.objects.values_list(
        "pk", "category_id"
    ):
        candidates.setdefault(category_id, []).append(site_id)
    excluded = set(SiteVisit.objects.values_list("site_id", flat=True))
    quotas = {c.pk: PER_CATEGORY for c in categories}
    ms_np, draw = timed(lambda: sampling.draw_sites(candidates, quotas, seed=99, exclude=excluded), 20)
    ms_loop, loop = timed(lambda: plain_draw(candidates, quotas, excluded, 99), 20)
    assert len(draw.site_ids) == sum(len(v) for v in loop.values()) == N_CATEGORIES * PER_CATEGORY
    assert not set(draw.site_ids) & excluded
    print(
        f"1. pure draw of {len(draw.site_ids)} from {N_SITES}: sampling.draw_sites {ms_np:.1f} ms | "
        f"plain loop {ms_loop:.1f} ms"
    )

    # 2. the whole service vs raw SQL + plain loop
    round_ = services.create_round(
        actor=admin,
        name="基准暗访",
        kind="covert",
        unit=office,
        standard=standard,
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
    )
    services.set_sampling_plan(round_=round_, actor=admin, quotas=quotas)
    ms_service, record = timed(lambda: services.draw_round(round_=round_, actor=admin, seed=99), 3)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, category_id FROM places_site WHERE is_active")
            pool: dict[int, list[int]] = {}
            for site_id, category_id in cursor.fetchall():
                pool.setdefault(category_id, []).append(site_id)
            cursor.execute(
                "SELECT DISTINCT site_id FROM inspections_sitevisit WHERE status = 'done' AND round_id <> %s",
                [round_.pk],
            )
            skip = {row[0] for row in cursor.fetchall()}
        return plain_draw(pool, quotas, skip, 99)

    ms_raw, _ = timed(raw, 3)
    assert services.replay_draw(record) == (record.result, record.recheck_result)
    print(
        f"2. draw_round service ({SiteVisit.objects.filter(round=round_).count()} visits written, inputs stored, "
        f"audited): {ms_service:.0f} ms | raw SQL fetch + plain loop (no writes) {ms_raw:.0f} ms"
    )

    # 3. scoring 300 visits
    rng = random.Random(5)
    visits = list(SiteVisit.objects.filter(round=round_))
    findings = []
    for visit in visits:
        for item in rng.sample(items, 3):
            findings.append(
                Finding(
                    visit=visit,
                    check_item=item,
                    result=FindingResult.DEDUCT,
                    count=rng.randint(1, 4),
                    points=item.points,
                    cap_per_site=item.cap_per_site,
                    is_negative_list=item.is_negative_list,
                    client_uuid=uuid.uuid4(),
                )
            )
    Finding.objects.bulk_create(findings, batch_size=1000)
    SiteVisit.objects.filter(round=round_).update(status=VisitStatus.DONE, submitted_at=timezone.now())
    ms_score, score = timed(lambda: selectors.round_score(round_), 10)

    def raw_score():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT v.area_id, SUM(f.points * f.count), COUNT(*) FROM inspections_finding f "
                "JOIN inspections_sitevisit v ON v.id = f.visit_id WHERE v.round_id = %s AND f.result = 'deduct' "
                "GROUP BY v.area_id",
                [round_.pk],
            )
            return cursor.fetchall()

    ms_sql, rows = timed(raw_score, 10)
    uncapped = sum(Decimal(str(r[1] or 0)) for r in rows)
    assert score.total.lost + score.total.capped == uncapped, (score.total.lost, score.total.capped, uncapped)
    print(
        f"3. round_score of {score.total.visits} visits / {len(findings)} findings (caps, negative list, "
        f"{score.total.unknown_findings} with unknown points): {ms_score:.1f} ms | "
        f"raw SQL SUM(points*count) per area (no rubric) {ms_sql:.1f} ms"
    )
    print(f"   total lost {score.total.lost}, capped {score.total.capped}, uncapped (SQL) {uncapped}")


if __name__ == "__main__":
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        main()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
