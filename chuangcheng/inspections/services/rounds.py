"""Writes for rounds: plan, sampling plan, draw (audited, reproducible), assignment, close, publish."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.permissions import require_in_jurisdiction
from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.inspections import casebridge, sampling, selectors
from chuangcheng.inspections.models import (
    DrawRecord,
    Finding,
    InspectionRound,
    RoundKind,
    RoundStatus,
    SamplingLine,
    SiteVisit,
)
from chuangcheng.inspections.permissions import can_manage_round, can_plan_rounds
from chuangcheng.inspections.services import observations as observing
from chuangcheng.inspections.services.field import cases_for_findings
from chuangcheng.places.models import Site, SiteCategory
from chuangcheng.programs.services import campaign_for, changed_campaign, require_within

EDITABLE_FIELDS = (
    "name",
    "kind",
    "standard",
    "period_start",
    "period_end",
    "is_secret",
    "population",
    "exclusion_days",
    "recheck_count",
    "recheck_days",
    "campaign",
)


def _require_office(actor, round_: InspectionRound | None = None) -> None:
    if not can_plan_rounds(actor):
        raise NotPermitted("只有创建办可以安排督查轮次")
    if round_ is not None and not can_manage_round(actor, round_):
        raise NotPermitted("只有组织本轮次的创建办或其上级创建办可以操作")


def _lock(round_: InspectionRound) -> InspectionRound:
    return InspectionRound.objects.select_for_update(no_key=True).get(pk=round_.pk)


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise DomainError("结束日期不能早于开始日期", field="period_end")


def default_quotas(standard, population: int | None) -> dict[int, int]:
    """``{category_id: min samples}`` from the standard's SamplingQuota rows for the population band
    (for a sanitary-city standard without quotas, the review method's; see ``quota_standard_for``)."""
    if standard is None:
        return {}
    from chuangcheng.standards.selectors import quota_standard_for

    table: dict[int, list] = {}
    rows = (
        quota_standard_for(standard)
        .sampling_quotas.filter(category__isnull=False)
        .values_list("category_id", "min_samples_small", "min_samples_medium", "min_samples_large")
    )
    for category_id, small, medium, large in rows:
        known = table.get(category_id)
        values = [small, medium, large]
        table[category_id] = (
            values if known is None else [max(filter(None, p), default=None) for p in zip(known, values, strict=True)]
        )
    return sampling.default_quotas(table, population)


@transaction.atomic
def create_round(
    *,
    actor,
    name: str,
    kind: str,
    unit,
    period_start: date,
    period_end: date,
    standard=None,
    areas=(),
    inspectors=(),
    is_secret: bool | None = None,
    population: int | None = None,
    exclusion_days: int = 90,
    recheck_count: int = 0,
    recheck_days: int = 30,
    campaign=None,
) -> InspectionRound:
    _require_office(actor)
    require_in_jurisdiction(actor, [unit], field="unit", label="组织单位")
    require_in_jurisdiction(actor, areas, field="areas", label="检查范围")
    if kind not in RoundKind.values:
        raise DomainError(f"未知的轮次类型“{kind}”", field="kind")
    if not (name or "").strip():
        raise DomainError("请填写轮次名称", field="name")
    _check_period(period_start, period_end)
    campaign = campaign_for(actor, campaign, unit, standard=standard)
    require_within(campaign, [unit], field="unit", what="组织单位")
    require_within(campaign, areas, field="areas", what="检查范围")
    round_ = InspectionRound.objects.create(
        campaign=campaign,
        name=name.strip(),
        kind=kind,
        unit=unit,
        standard=standard,
        period_start=period_start,
        period_end=period_end,
        is_secret=(kind == RoundKind.COVERT) if is_secret is None else is_secret,
        population=population,
        exclusion_days=exclusion_days,
        recheck_count=recheck_count,
        recheck_days=recheck_days,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    round_.areas.set(areas)
    round_.inspectors.set(inspectors)
    quotas = default_quotas(standard, population)
    lines = [SamplingLine(round=round_, category_id=c, quota=q, default_quota=q) for c, q in quotas.items()]
    if not quotas:  # 模拟测评 on a standard without quotas: one editable line per observed category
        lines = [SamplingLine(round=round_, category_id=c, quota=q) for c, q in observing.default_plan(round_).items()]
    SamplingLine.objects.bulk_create(lines)
    record(
        actor=actor,
        verb="inspections.round_created",
        target=round_,
        unit=unit,
        changes={"name": [None, round_.name], "kind": [None, kind], "is_secret": [None, round_.is_secret]},
    )
    return round_


@transaction.atomic
def update_round(*, round_: InspectionRound, actor, areas=None, inspectors=None, **changes) -> InspectionRound:
    _require_office(actor, round_)
    require_in_jurisdiction(actor, areas or (), field="areas", label="检查范围")
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    locked = _lock(round_)
    if locked.status == RoundStatus.PUBLISHED:
        raise DomainError("已发布的轮次不可修改", field="status")
    if locked.status != RoundStatus.DRAFT and set(changes) & {"kind", "standard", "exclusion_days", "recheck_count"}:
        raise DomainError("已抽样的轮次不可修改类型、标准与抽样规则", field="status")
    _check_period(changes.get("period_start", locked.period_start), changes.get("period_end", locked.period_end))
    owner = changed_campaign(actor, locked.campaign, changes)
    require_within(owner, [locked.unit], field="unit", what="组织单位")
    require_within(owner, locked.areas.all() if areas is None else areas, field="areas", what="检查范围")
    delta = diff(locked, changes)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    if areas is not None:
        if locked.status != RoundStatus.DRAFT:
            raise DomainError("已抽样的轮次不可修改检查范围", field="areas")
        delta["areas"] = [sorted(a.pk for a in locked.areas.all()), sorted(a.pk for a in areas)]
        locked.areas.set(areas)
    if inspectors is not None:
        delta["inspectors"] = [sorted(u.pk for u in locked.inspectors.all()), sorted(u.pk for u in inspectors)]
        locked.inspectors.set(inspectors)
    record(actor=actor, verb="inspections.round_updated", target=locked, unit=locked.unit, changes=delta)
    return locked


@transaction.atomic
def set_sampling_plan(*, round_: InspectionRound, actor, quotas: dict) -> InspectionRound:
    """Replace the sampling plan: ``{category (or id): number of sites}``; 0 removes a category."""
    _require_office(actor, round_)
    locked = _lock(round_)
    if locked.status != RoundStatus.DRAFT:
        raise DomainError("已抽样的轮次不可修改抽样方案", field="quotas")
    wanted = {getattr(k, "pk", k): int(v) for k, v in quotas.items()}
    if any(v < 0 for v in wanted.values()):
        raise DomainError("抽样数不能为负数", field="quotas")
    known = set(SiteCategory.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if set(wanted) - known:
        raise DomainError("抽样方案中有未知的点位类别", field="quotas")
    existing = {line.category_id: line for line in locked.sampling_lines.all()}
    old = {c: line.quota for c, line in existing.items()}
    for category_id, quota in wanted.items():
        line = existing.get(category_id)
        if quota == 0 and line is not None:
            line.delete()
        elif line is not None:
            line.quota = quota
            line.save(update_fields=["quota"])
        elif quota:
            SamplingLine.objects.create(round=locked, category_id=category_id, quota=quota)
    new = {c: q for c, q in wanted.items() if q} | {c: q for c, q in old.items() if c not in wanted}
    record(actor=actor, verb="inspections.plan_set", target=locked, unit=locked.unit, changes={"quotas": [old, new]})
    return locked


def _inputs_hash(seed, quotas, candidates, excluded, rechecks) -> str:
    payload = json.dumps([seed, quotas, candidates, excluded, rechecks], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def recheck_candidates(round_: InspectionRound) -> list[int]:
    """Cases closed within ``recheck_days`` before the round starts (复查抽查 pool)."""
    if not round_.recheck_count:
        return []
    until = timezone.make_aware(datetime.combine(round_.period_start + timedelta(days=1), time.min))
    since = until - timedelta(days=round_.recheck_days + 1)
    return casebridge.closed_case_ids(
        since=since, until=until, area_ids=list(round_.areas.values_list("pk", flat=True))
    )


def replay_draw(draw: DrawRecord) -> tuple[dict[str, list[int]], list[int]]:
    """Re-run a stored draw from its seed and inputs; equal to ``draw.result`` when nothing was tampered."""
    result = sampling.draw_sites(
        {int(k): v for k, v in draw.candidates.items()},
        {int(k): v for k, v in draw.quotas.items()},
        seed=draw.seed,
        exclude=draw.excluded,
    )
    rechecks = list(sampling.draw_rechecks(draw.recheck_candidates, len(draw.recheck_result), seed=draw.seed))
    return {str(k): list(v) for k, v in result.by_stratum().items()}, rechecks


@transaction.atomic
def draw_round(*, round_: InspectionRound, actor, seed: int | None = None) -> DrawRecord:
    """Draw the sites (stratified by category) and the re-check sample; store every input; audit it."""
    _require_office(actor, round_)
    locked = _lock(round_)
    if locked.status not in (RoundStatus.DRAFT, RoundStatus.DRAWN):
        raise DomainError("检查已结束的轮次不能重新抽样", field="status")
    if (
        Finding.objects.filter(visit__round=locked).exists()
        or locked.visits.filter(observations__isnull=False).exists()
    ):
        raise Conflict("已有检查结果，不能重新抽样", field="status")
    quotas = {line.category_id: line.quota for line in locked.sampling_lines.all()}
    if not quotas and not locked.recheck_count:
        raise DomainError("请先制定抽样方案", field="quotas")
    seed = sampling.new_seed() if seed is None else int(seed)
    candidates = selectors.candidate_sites(locked, quotas)
    excluded = selectors.recently_inspected_site_ids(locked)
    rechecks_pool = recheck_candidates(locked)
    draw = sampling.draw_sites(candidates, quotas, seed=seed, exclude=excluded)
    rechecks = list(sampling.draw_rechecks(rechecks_pool, locked.recheck_count, seed=seed))
    str_quotas = {str(k): v for k, v in quotas.items()}
    str_candidates = {str(k): v for k, v in candidates.items()}
    result = {str(k): list(v) for k, v in draw.by_stratum().items()}
    record_ = DrawRecord.objects.create(
        round=locked,
        seed=seed,
        quotas=str_quotas,
        candidates=str_candidates,
        excluded=excluded,
        recheck_candidates=rechecks_pool,
        result=result,
        recheck_result=rechecks,
        inputs_hash=_inputs_hash(seed, str_quotas, str_candidates, excluded, rechecks_pool),
        drawn_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    SiteVisit.objects.filter(round=locked).delete()
    sites = Site.objects.in_bulk(draw.site_ids)
    visits = [
        SiteVisit(
            round=locked,
            site=sites[site_id],
            category_id=sites[site_id].category_id,
            area_id=sites[site_id].area_id,
            unit_id=sites[site_id].unit_id,
            department_id=sites[site_id].department_id,
            sort_order=n,
        )
        for n, site_id in enumerate(draw.site_ids)
    ]
    if rechecks:
        visits += casebridge.recheck_visits(locked, rechecks, start=len(visits))
    SiteVisit.objects.bulk_create(visits)
    old_seed = locked.seed
    locked.seed, locked.drawn_at, locked.status = seed, timezone.now(), RoundStatus.DRAWN
    locked.save(update_fields=["seed", "drawn_at", "status", "updated_at"])
    shortfall = {str(s.stratum): s.shortfall for s in draw.strata if s.shortfall}
    record(
        actor=actor,
        verb="inspections.round_drawn",
        target=locked,
        unit=locked.unit,
        changes={
            "seed": [old_seed, seed],
            "sites": [None, len(draw.site_ids)],
            "rechecks": [None, len(rechecks)],
            "excluded": [None, len(excluded)],
            "shortfall": [None, shortfall],
            "inputs_hash": [None, record_.inputs_hash],
        },
    )
    return record_


@transaction.atomic
def assign_visits(*, round_: InspectionRound, actor, assignments: dict) -> int:
    """Assign visits to inspectors: ``{visit (or id): inspector user or None}``; ``"auto"`` spreads evenly."""
    _require_office(actor, round_)
    locked = _lock(round_)
    if locked.status != RoundStatus.DRAWN:
        raise DomainError("只有已抽样、未结束的轮次可以分配点位", field="status")
    inspectors = list(locked.inspectors.order_by("pk"))
    allowed = {u.pk for u in inspectors}
    visits = {v.pk: v for v in SiteVisit.objects.filter(round=locked)}
    if assignments == "auto":
        if not inspectors:
            raise DomainError("请先为轮次指定督查员", field="inspectors")
        pending = [v for v in visits.values() if v.submitted_at is None]
        assignments = {
            v.pk: inspectors[n % len(inspectors)] for n, v in enumerate(sorted(pending, key=lambda v: v.sort_order))
        }
    changed = {}
    for key, user in assignments.items():
        visit = visits.get(getattr(key, "pk", key))
        if visit is None:
            raise DomainError("点位不属于本轮次", field="assignments")
        user_id = getattr(user, "pk", user)
        if user_id is not None and user_id not in allowed:
            raise DomainError("只能分配给本轮次的督查员", field="assignments")
        if visit.inspector_id != user_id:
            changed[visit.pk] = [visit.inspector_id, user_id]
            visit.inspector_id = user_id
    SiteVisit.objects.bulk_update([visits[k] for k in changed], ["inspector"])
    record(
        actor=actor,
        verb="inspections.visits_assigned",
        target=locked,
        unit=locked.unit,
        changes={"visits": [None, changed]},
    )
    return len(changed)


@transaction.atomic
def close_round(*, round_: InspectionRound, actor) -> InspectionRound:
    _require_office(actor, round_)
    locked = _lock(round_)
    if locked.status != RoundStatus.DRAWN:
        raise DomainError("只有检查中的轮次可以结束", field="status")
    locked.status = RoundStatus.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        verb="inspections.round_closed",
        target=locked,
        unit=locked.unit,
        changes={"status": [RoundStatus.DRAWN, RoundStatus.CLOSED]},
    )
    return locked


@transaction.atomic
def publish_round(*, round_: InspectionRound, actor) -> InspectionRound:
    """Publish: a secret round becomes visible and its deductions become cases routed to units."""
    _require_office(actor, round_)
    locked = _lock(round_)
    if locked.status != RoundStatus.CLOSED:
        raise DomainError("请先结束检查再发布", field="status")
    locked.status, locked.published_at = RoundStatus.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    made = cases_for_findings(round_=locked, actor=actor)
    record(
        actor=actor,
        verb="inspections.round_published",
        target=locked,
        unit=locked.unit,
        changes={"status": [RoundStatus.CLOSED, RoundStatus.PUBLISHED], "cases": [None, made]},
    )
    return locked
