"""Two demo 模拟测评 rounds (演示) on the demo 创文 测评手册 (CIV-DEMO), made through the real services.

* last month's: a covert 模拟测评, walked, closed and published (its failures became cases then);
* this month's: an open one, walked (cases at each submission) and closed, so the 得分率 page compares the
  two (Δ per 测评项目, 测评内容, district, category and point).

Each round samples 2 sites of up to 10 observed categories (about 20 points; a plan of the demo, not a
figure of any standard). Answers come from a fixed seed; every note says 演示. A second run changes nothing.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.models import User
from chuangcheng.cases.demo import simulated_clock
from chuangcheng.core.errors import DomainError
from chuangcheng.inspections.models import InspectionRound, RoundKind, SiteVisit
from chuangcheng.inspections.services import field, rounds
from chuangcheng.inspections.services.observations import required
from chuangcheng.places.models import Site
from chuangcheng.standards.models import Judgement

SEED = 2027
PER_CATEGORY, MAX_CATEGORIES = 2, 10
FAIL_RATE = {"previous": 0.16, "current": 0.08}  # the demo city improves between the two rounds
NA_RATE = 0.03


def _at(day: date, hour: int) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), timezone.now())


def _names(today: date) -> dict[str, str]:
    last = today.replace(day=1) - timedelta(days=1)
    return {
        "previous": f"{last.year}年{last.month}月创文模拟测评（演示）",
        "current": f"{today.year}年{today.month}月创文模拟测评（演示）",
    }


def _walk(visit: SiteVisit, inspector, rng: random.Random, fail_rate: float) -> None:
    """One point as the phone sends it: every observation of every observed item, deductions passed."""
    items, observations = [], []
    for item in field.checklist_items(visit):
        if item.judgement != Judgement.OBSERVE:
            items.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "check_item": item.pk})
            items[-1] |= {"result": "pass", "count": 0, "note": ""}
            continue
        answers = []
        for _seq in range(required(item)):
            draw = rng.random()
            answers.append(None if draw < NA_RATE else draw >= NA_RATE + fail_rate)
        note = f"演示：{item.title[:30]}不达标" if False in answers else ""
        for seq, passed in enumerate(answers, start=1):
            key = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            observations.append(
                {"uuid": key, "check_item": item.pk, "seq": seq, "passed": passed, "note": note if seq == 1 else ""}
            )
    site = visit.site
    field.sync_visit(
        actor=inspector, visit=visit, items=items, observations=observations, lng=site.lng, lat=site.lat, accuracy=8.0
    )


def _plan(standard) -> dict[int, int]:
    """2 sites of each of the first 10 observed categories that have active sites."""
    observed = set(
        standard.check_items.filter(judgement=Judgement.OBSERVE).values_list("site_categories", flat=True)
    ) - {None}
    with_sites = set(
        Site.objects.filter(is_active=True, category_id__in=observed).values_list("category_id", flat=True).distinct()
    )
    return {c: PER_CATEGORY for c in sorted(with_sites)[:MAX_CATEGORIES]}


def _round(office, inspector, standard, *, name, secret, start, end, quotas, seed):
    round_ = rounds.create_round(
        actor=office,
        name=name,
        kind=RoundKind.MOCK,
        unit=office.memberships.select_related("unit").first().unit,
        period_start=start,
        period_end=end,
        standard=standard,
        inspectors=[inspector],
        is_secret=secret,
        exclusion_days=0,
    )
    plan = {line.category_id: 0 for line in round_.sampling_lines.all()} | quotas
    rounds.set_sampling_plan(round_=round_, actor=office, quotas=plan)
    rounds.draw_round(round_=round_, actor=office, seed=seed)
    rounds.assign_visits(round_=round_, actor=office, assignments="auto")
    return round_


@transaction.atomic
def seed_demo_evaluation_rounds() -> tuple[list[InspectionRound], str]:
    """The two demo rounds (or the existing ones), and a message; ``[]`` with the reason when skipped."""
    office = User.objects.filter(username="office").first()
    inspector = User.objects.filter(username="inspector").first()
    if office is None or inspector is None:
        return [], "模拟测评演示：缺少演示账号，未创建"
    try:
        from chuangcheng.standards.demo_evaluation import ensure_demo_evaluation_standard
    except ImportError:
        return [], "模拟测评演示：缺少演示创文测评手册（CIV-DEMO），未创建"
    today = timezone.localdate()
    names = _names(today)
    existing = list(InspectionRound.objects.filter(name__in=names.values()).order_by("period_start"))
    if existing:
        return existing, f"模拟测评演示：已存在 {len(existing)} 个轮次"
    try:
        standard = ensure_demo_evaluation_standard(actor=office)
    except DomainError as exc:  # ImportFailed too: e.g. a city without the built-in civilized categories
        return [], f"模拟测评演示：演示创文测评手册（CIV-DEMO）无法建立（{exc}），未创建"
    quotas = _plan(standard)
    if not quotas:
        return [], "模拟测评演示：演示测评手册的测评标准没有可抽样的点位（点位类别无点位），未创建"
    rng = random.Random(SEED)
    last = today.replace(day=1) - timedelta(days=1)
    made = []
    for key, secret, start, end in (
        ("previous", True, last.replace(day=20), last.replace(day=24)),
        ("current", False, today.replace(day=1), today.replace(day=1) + timedelta(days=6)),
    ):
        with simulated_clock(_at(start - timedelta(days=3), 10)):
            round_ = _round(
                office,
                inspector,
                standard,
                name=names[key],
                secret=secret,
                start=start,
                end=end,
                quotas=quotas,
                seed=SEED,
            )
        visits = list(round_.visits.select_related("site", "round").order_by("sort_order"))
        for n, visit in enumerate(visits):
            with simulated_clock(_at(start + timedelta(days=n % 4), 9 + n % 8)):
                _walk(visit, inspector, rng, FAIL_RATE[key])
        with simulated_clock(_at(start + timedelta(days=4), 17)):
            rounds.close_round(round_=round_, actor=office)
        if secret:
            with simulated_clock(_at(end + timedelta(days=1), 9)):
                rounds.publish_round(round_=round_, actor=office)
        made.append(round_)
    points = "、".join(str(r.visits.count()) for r in made)
    return made, f"模拟测评演示：{len(made)} 个轮次（上月、本月），测评点位分别为 {points} 个"
