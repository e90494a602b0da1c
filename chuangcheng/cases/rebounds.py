"""Rebounds (反弹): a problem that comes back after it was closed.

Detection at intake, for every source and for single and batch intake alike: a new case is a
rebound of the latest case closed within ``CASE_REBOUND_DAYS`` that is

- at the same place: the same site, or (both with a point) within ``CASE_REBOUND_RADIUS_M``; and
- the same problem: the same check item when both name one, else the same category.

A case with neither a check item nor a category, or with neither a site nor a point, is never
matched (there is nothing to compare). The office can also mark or unmark a case by hand with a
reason (``mark_rebound``); assessments count ``Case.is_rebound``, so they follow the mark.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.cases import chain
from chuangcheng.cases.conf import setting
from chuangcheng.cases.evidence import distance_m
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.permissions import can_manage_rules
from chuangcheng.cases.workflow import CONCURRENT_UPDATE_MESSAGE
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.core.fetch import Select

ORIGIN_FIELDS = ("id", "number", "site_id", "check_item_id", "category_id", "lng", "lat", "closed_at")


@dataclass(frozen=True)
class Probe:
    """What a new case offers for comparison: its place and its problem."""

    site_id: int | None
    check_item_id: int | None
    category_id: int | None
    lng: float | None
    lat: float | None

    @property
    def comparable(self) -> bool:
        has_problem = self.check_item_id is not None or self.category_id is not None
        return has_problem and (self.site_id is not None or self.lng is not None)


def probe_for(*, site, check_item, placed: tuple) -> Probe:
    """``placed`` as from ``intake.place``: ``(category_id, area_id, lng, lat)``."""
    category_id, _area_id, lng, lat = placed
    return Probe(getattr(site, "pk", site), getattr(check_item, "pk", check_item), category_id, lng, lat)


def same_place(probe: Probe, case: Case, radius_m: float) -> bool:
    if probe.site_id is not None and probe.site_id == case.site_id:
        return True
    if probe.lng is None or case.lng is None or probe.lat is None or case.lat is None:
        return False
    return distance_m(probe.lng, probe.lat, case.lng, case.lat) <= radius_m


def same_problem(probe: Probe, case: Case) -> bool:
    if probe.check_item_id is not None and case.check_item_id is not None:
        return probe.check_item_id == case.check_item_id
    return probe.category_id is not None and probe.category_id == case.category_id


def _box(lng: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """``(lng from, lng to, lat from, lat to)`` of the square around a point holding the circle of ``radius_m``."""
    dlat = radius_m / 111_320
    dlng = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    return lng - dlng, lng + dlng, lat - dlat, lat + dlat


# Closed cases by place, read on every intake: one SELECT written once per shape (``core.fetch``).
CLOSED_NEAR = Select(Case, fields=ORIGIN_FIELDS)


def find_origins(probes: list[Probe], *, now=None) -> list[Case | None]:
    """For each probe, the case it is a rebound of (or None), in one query for all probes."""
    wanted = [p for p in probes if p.comparable]
    if not wanted:
        return [None] * len(probes)
    radius = setting("CASE_REBOUND_RADIUS_M")
    col = CLOSED_NEAR.col
    places, params = [], []
    sites = sorted({p.site_id for p in wanted if p.site_id is not None})
    if sites:
        places.append(f"{col('site')} IN ({', '.join(['%s'] * len(sites))})")
        params += sites
    # Near boxes, rounded so that a batch of cases at the same spot asks once.
    boxes = {(round(p.lng, 4), round(p.lat, 4)) for p in wanted if p.lng is not None and p.lat is not None}
    for lng, lat in sorted(boxes):
        places.append(f"({col('lng')} BETWEEN %s AND %s AND {col('lat')} BETWEEN %s AND %s)")
        params += _box(lng, lat, radius + 20)  # + the rounding (about 11 m)
    # The same problem needs the same category or the same check item (``same_problem``): a superset, in SQL.
    problems = []
    for name, ids in (
        ("category", sorted({p.category_id for p in wanted if p.category_id is not None})),
        ("check_item", sorted({p.check_item_id for p in wanted if p.check_item_id is not None})),
    ):
        if ids:
            problems.append(f"{col(name)} IN ({', '.join(['%s'] * len(ids))})")
            params += ids
    since = (now or timezone.now()) - timedelta(days=setting("CASE_REBOUND_DAYS"))
    closed = CLOSED_NEAR.fetch(
        f"({' OR '.join(places)}) AND ({' OR '.join(problems)}) AND {col('status')} = %s AND {col('closed_at')} >= %s",
        [*params, str(CaseStatus.CLOSED), CLOSED_NEAR.param("closed_at", since)],
        order=f"{col('closed_at')} DESC, {col('id')} DESC",
    )
    return [
        next((c for c in closed if same_place(p, c, radius) and same_problem(p, c)), None) if p.comparable else None
        for p in probes
    ]


def find_origin(probe: Probe, *, now=None) -> Case | None:
    return find_origins([probe], now=now)[0]


@transaction.atomic
def mark_rebound(
    *, actor, case: Case, rebound: bool, reason: str, origin: Case | None = None, expected_version: int | None = None
) -> Case:
    """The office marks ``case`` as a rebound (of ``origin``, optional) or removes the mark, with a reason.

    Assessments count ``is_rebound``, so they follow the mark. Timeline entry, audit row."""
    if not can_manage_rules(actor):
        raise NotPermitted("只有创建办可以标记或取消反弹")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写标记或取消反弹的理由", field="reason")
    locked = Case.objects.select_for_update(no_key=True).get(pk=case.pk)
    expected = case.version if expected_version is None else expected_version
    if locked.version != expected:
        raise Conflict(CONCURRENT_UPDATE_MESSAGE, code="stale_version")
    if origin is not None and not rebound:
        raise DomainError("取消反弹时不能指定原问题", field="origin")
    if origin is not None and origin.pk == locked.pk:
        raise DomainError("原问题不能是本案件自身", field="origin")
    if origin is not None and origin.created_at and locked.created_at and origin.created_at > locked.created_at:
        raise DomainError(f"原问题“{origin.number}”晚于本案件上报，不能作为反弹来源", field="origin")
    if rebound == locked.is_rebound and (not rebound or origin is None or origin.pk == locked.rebound_of_id):
        raise DomainError("案件已标记为反弹" if rebound else "案件未标记为反弹", field="rebound")
    old_flag, old_origin = locked.is_rebound, locked.rebound_of
    locked.is_rebound = rebound
    if rebound:
        locked.rebound_of = origin if origin is not None else old_origin
    else:
        locked.rebound_of = None
    locked.version += 1
    new_origin = locked.rebound_of
    chain.append(
        locked,
        action="mark_rebound" if rebound else "unmark_rebound",
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        note=reason,
        data={
            "is_rebound": rebound,
            "rebound_of": new_origin.number if new_origin else None,
            "previous_rebound_of": old_origin.number if old_origin else None,
        },
    )
    locked.save(update_fields=["is_rebound", "rebound_of", "version", "timeline_head"])
    record(
        actor=actor,
        verb="cases.rebound_marked" if rebound else "cases.rebound_unmarked",
        target=locked,
        unit=locked.lead_unit,
        changes={
            "is_rebound": [old_flag, rebound],
            "rebound_of": [getattr(old_origin, "pk", None), getattr(new_origin, "pk", None)],
            "reason": [None, reason],
        },
    )
    case.version, case.is_rebound, case.rebound_of_id = locked.version, locked.is_rebound, locked.rebound_of_id
    case.timeline_head = locked.timeline_head
    return locked
