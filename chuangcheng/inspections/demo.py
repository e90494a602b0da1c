"""Demo inspection rounds for 示范市 (演示), made through the real services; a second run changes nothing.

* last month's covert round (暗访): drawn, walked by the demo inspector, closed and published, so its
  deductions became cases and the forecast has history to rest on;
* this month's random check (随机抽查): drawn, half of its visits done;
* next month's mock evaluation (模拟测评): planned, not drawn.

Findings are drawn from a fixed seed; every note says 演示.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.models import User
from chuangcheng.cases.demo import simulated_clock
from chuangcheng.inspections.models import InspectionRound, RoundKind, SiteVisit
from chuangcheng.inspections.services import field, rounds
from chuangcheng.places.models import Area, AreaLevel
from chuangcheng.standards.models import CheckItem, StandardKind
from chuangcheng.standards.selectors import current_standard

SEED = 2026
FINDING_RATE = 0.12
RARE_RATE = 0.01  # negative-list and veto items
SITES_PER_CATEGORY = {"covert": 3, "random": 2}


def _names(today: date) -> dict[str, str]:
    last = today.replace(day=1) - timedelta(days=1)
    following = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    return {
        "covert": f"{last.year}年{last.month}月市级暗访（演示）",
        "random": f"{today.year}年{today.month}月随机抽查（演示）",
        "mock": f"{following.year}年{following.month}月迎检模拟测评（演示）",
    }


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _walk(visit: SiteVisit, inspector, rng: random.Random) -> None:
    """The inspector's submission for one site, as the phone would send it."""
    items = []
    for item in field.checklist_items(visit):
        deduct = rng.random() < (RARE_RATE if item.is_negative_list or item.is_veto else FINDING_RATE)
        items.append(
            {
                "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "check_item": item.pk,
                "result": "deduct" if deduct else "pass",
                "count": rng.randint(1, 2) if deduct else 0,
                "note": f"演示：{item.title[:40]}" if deduct else "",
            }
        )
    site = visit.site
    field.sync_visit(actor=inspector, visit=visit, items=items, lng=site.lng, lat=site.lat, accuracy=8.0)


def _round(office, inspector, *, name, kind, standard, start, end, population, per_category):
    round_ = rounds.create_round(
        actor=office,
        name=name,
        kind=kind,
        unit=office.memberships.select_related("unit").first().unit,
        period_start=start,
        period_end=end,
        standard=standard,
        inspectors=[inspector],
        population=population,
    )
    if per_category:
        # The 2021 rubric's check items name their site categories; sample a few sites of each (演示 scale).
        categories = CheckItem.objects.filter(standard=standard, site_categories__isnull=False)
        quotas = {line.category_id: 0 for line in round_.sampling_lines.all()}
        quotas |= {c: per_category for c in categories.values_list("site_categories", flat=True).distinct()}
        rounds.set_sampling_plan(round_=round_, actor=office, quotas=quotas)
    return round_


@transaction.atomic
def seed_demo_inspections() -> list[InspectionRound]:
    office = User.objects.filter(username="office").first()
    inspector = User.objects.filter(username="inspector").first()
    standard = current_standard(StandardKind.SANITARY_CITY)
    if office is None or inspector is None or standard is None:
        return []
    today = timezone.localdate()
    names = _names(today)
    if InspectionRound.objects.filter(name__in=names.values()).exists():
        return list(InspectionRound.objects.filter(name__in=names.values()).order_by("period_start"))
    city = Area.objects.filter(level=AreaLevel.CITY).first()
    population = city.population if city else None
    rng = random.Random(SEED)
    last_month = today.replace(day=1) - timedelta(days=1)
    common = {"standard": standard, "population": population}

    # Planned and drawn a few days before the field work (each step on its own past day).
    with simulated_clock(_at(last_month.replace(day=6), 10)):
        covert = _round(
            office,
            inspector,
            name=names["covert"],
            kind=RoundKind.COVERT,
            start=last_month.replace(day=10),
            end=last_month.replace(day=14),
            per_category=SITES_PER_CATEGORY["covert"],
            **common,
        )
        rounds.draw_round(round_=covert, actor=office, seed=SEED)
        rounds.assign_visits(round_=covert, actor=office, assignments="auto")
    # The field work, closing and publication happen on their own (past) days, so the cases the
    # publication makes are dated then, not today.
    visits = list(covert.visits.select_related("site", "round").order_by("sort_order"))
    for n, visit in enumerate(visits):
        day = covert.period_start + timedelta(days=n * (covert.period_end - covert.period_start).days // len(visits))
        with simulated_clock(_at(day, 9 + n % 8)):
            _walk(visit, inspector, rng)
    with simulated_clock(_at(covert.period_end, 17)):
        rounds.close_round(round_=covert, actor=office)
    with simulated_clock(_at(covert.period_end + timedelta(days=2), 9)):
        rounds.publish_round(round_=covert, actor=office)

    with simulated_clock(min(_at(today.replace(day=1), 8), timezone.now())):
        checking = _round(
            office,
            inspector,
            name=names["random"],
            kind=RoundKind.RANDOM,
            start=today.replace(day=1),
            end=today + timedelta(days=7),
            per_category=SITES_PER_CATEGORY["random"],
            **common,
        )
        rounds.draw_round(round_=checking, actor=office, seed=SEED + 1)
        rounds.assign_visits(round_=checking, actor=office, assignments="auto")
    visits = list(checking.visits.select_related("site", "round").order_by("sort_order"))
    for n, visit in enumerate(visits[: len(visits) // 2]):
        day = min(checking.period_start + timedelta(days=n % 5), today)
        moment = min(_at(day, 9 + n % 8), timezone.now())
        with simulated_clock(moment):
            _walk(visit, inspector, rng)

    following = names["mock"]
    first_next = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    planned = _round(
        office,
        inspector,
        name=following,
        kind=RoundKind.MOCK,
        start=first_next + timedelta(days=14),
        end=first_next + timedelta(days=18),
        per_category=0,
        **common,
    )
    return [covert, checking, planned]
