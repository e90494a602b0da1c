"""Writes for assessment periods: create, compute (background), publish (frozen with a content hash)."""

from __future__ import annotations

import gc
import json
import logging
from collections import defaultdict
from contextlib import contextmanager
from datetime import date
from operator import attrgetter

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from chuangcheng.assessments import scoring, selectors, tasks
from chuangcheng.assessments.indicators import compute_indicators, indicator_counts, indicator_values
from chuangcheng.assessments.models import (
    IndicatorResult,
    Period,
    PeriodKind,
    PeriodStatus,
    Scheme,
    ScoreLine,
    UnitScore,
)
from chuangcheng.assessments.services.schemes import require_manager
from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import Conflict, DomainError

logger = logging.getLogger(__name__)

PERIOD_FIELDS = (
    "name",
    "kind",
    "start",
    "end",
    "topic",
    "category_codes",
    "issuer",
    "doc_number",
    "bulletin_title",
    "addressees",
    "bulletin_body",
    "signer",
    "sign_date",
)
RESULT_FIELDS = {"kind", "start", "end", "category_codes"}
FROZEN = "已发布的考核周期已冻结，不能修改或重新计算"


def _lock(period: Period) -> Period:
    return Period.objects.select_for_update(no_key=True).get(pk=period.pk)


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise DomainError("截止日期不能早于起始日期", field="end")


@transaction.atomic
def create_period(*, actor, scheme: Scheme, kind: str, start: date, end: date, name: str = "", **values) -> Period:
    require_manager(actor, scheme)
    unknown = set(values) - set(PERIOD_FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{'、'.join(sorted(unknown))}")
    if not scheme.is_published:
        raise DomainError("只能使用已发布的考核办法", field="scheme")
    if kind not in PeriodKind.values:
        raise DomainError("未知考核类型", field="kind")
    _check_dates(start, end)
    name = name.strip() or f"{start:%Y年%m月}至{end:%Y年%m月}{PeriodKind(kind).label}"
    values.setdefault("campaign", scheme.campaign)
    period = Period.objects.create(scheme=scheme, kind=kind, start=start, end=end, name=name, **values)
    record(actor=actor, verb="assessments.period_created", target=period, changes={"name": [None, name]})
    return period


def _clear_results(period: Period) -> None:
    ScoreLine.objects.filter(period=period).delete()
    UnitScore.objects.filter(period=period).delete()
    IndicatorResult.objects.filter(period=period).delete()


@transaction.atomic
def update_period(*, period: Period, actor, **changes) -> Period:
    require_manager(actor, period)
    changes.pop("scheme", None)
    unknown = set(changes) - set(PERIOD_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    period = _lock(period)
    if period.is_published:
        raise Conflict(FROZEN)
    _check_dates(changes.get("start", period.start), changes.get("end", period.end))
    delta = diff(period, changes)
    for name, value in changes.items():
        setattr(period, name, value)
    if RESULT_FIELDS & set(delta) and period.status != PeriodStatus.DRAFT:
        _clear_results(period)
        delta["status"] = [period.status, PeriodStatus.DRAFT]
        period.status = PeriodStatus.DRAFT
    period.save()
    if delta:
        record(actor=actor, verb="assessments.period_updated", target=period, changes=delta)
    return period


@transaction.atomic
def request_period_computation(*, period: Period, actor) -> Period:
    """Mark the period as computing and run ``compute_period`` in the background after commit."""
    require_manager(actor, period)
    period = _lock(period)
    if period.is_published:
        raise Conflict(FROZEN)
    old = period.status
    period.status = PeriodStatus.COMPUTING
    period.error = ""
    period.save(update_fields=["status", "error", "updated_at"])
    record(
        actor=actor, verb="assessments.period_compute_requested", target=period, changes={"status": [old, "computing"]}
    )
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    transaction.on_commit(lambda: tasks.compute_period_task.delay(period.pk, actor_id))
    return period


@transaction.atomic
def mark_period_failed(*, period: Period, actor, error: str) -> Period:
    period = _lock(period)
    if period.is_published:
        return period
    period.status = PeriodStatus.FAILED
    period.error = error[:2000]
    period.save(update_fields=["status", "error", "updated_at"])
    record(actor=actor, verb="assessments.period_failed", target=period, changes={"error": [None, period.error]})
    return period


def _unit_facts(period: Period, members, cases, counter) -> tuple[list[scoring.UnitFacts], list[str]]:
    scheme = period.scheme
    unit_ids = [unit.pk for unit, _ in members]
    findings, notes = selectors.load_findings(period, unit_ids)
    commendations = selectors.load_commendations(period, unit_ids)
    measures = selectors.unit_measures(unit_ids)
    by_unit: dict[int, list[scoring.CaseFact]] = defaultdict(list)
    for case in cases:
        by_unit[case.unit_id].append(case)
    for own in by_unit.values():  # a line's cases in a stable order, whatever order the rows came in
        own.sort(key=attrgetter("id"))
    facts = []
    for unit, group in members:
        own = by_unit.get(unit.pk, [])
        values = compute_indicators(
            own, period.start, period.end, counter, bands=scheme.bands, sign_limit_days=scheme.sign_limit_days
        )
        population, area_m2 = measures.get(unit.pk, (None, None))
        facts.append(
            scoring.UnitFacts(
                unit_id=unit.pk,
                name=unit.name,
                group=group,
                cases=own,
                findings=findings.get(unit.pk, []),
                commendations=commendations.get(unit.pk, []),
                indicators=values,
                workload=values["registered"].numerator,
                population=population,
                area_m2=area_m2,
            )
        )
    return facts, notes


def _area_indicators(period: Period, cases, case_areas, counter) -> list[IndicatorResult]:
    """Indicators per district and street area: counts once per case area, then added up the area tree."""
    scheme = period.scheme
    by_leaf: dict[int, list[scoring.CaseFact]] = defaultdict(list)
    for case in cases:
        area_id = case_areas.get(case.id)
        if area_id:
            by_leaf[area_id].append(case)
    rollup = selectors.area_rollup(set(by_leaf))
    totals: dict[int, list[int]] = {}
    for leaf, own in by_leaf.items():
        chain = rollup.get(leaf, [])
        if not chain:
            continue
        figures = indicator_counts(own, period.start, period.end, counter, sign_limit_days=scheme.sign_limit_days)
        for area_id in chain:
            total = totals.get(area_id)
            totals[area_id] = figures[:] if total is None else [a + b for a, b in zip(total, figures, strict=True)]
    rows = []
    for area_id, figures in totals.items():
        rows.extend(_indicator_rows(period, indicator_values(figures, bands=scheme.bands), area_id=area_id))
    return rows


def _indicator_rows(period: Period, values, *, unit_id=None, area_id=None) -> list[IndicatorResult]:
    return [
        IndicatorResult(
            period=period,
            unit_id=unit_id,
            area_id=area_id,
            code=v.code,
            name=v.name,
            numerator=v.numerator,
            denominator=v.denominator,
            value=v.value,
            grade=v.grade,
        )
        for v in values.values()
    ]


LINE_COLUMNS = (
    "score_id",
    "period_id",
    "unit_id",
    "rule_id",
    "kind",
    "points",
    "explanation",
    "case_ref",
    "finding_ref",
    "indicator_code",
    "ref",
    "sort",
    "items",
)


def _insert_lines(rows: list[tuple]) -> None:
    """Score lines in bulk: PostgreSQL COPY (a few thousand lines whose items list up to a million cases as
    JSON), else bulk_create."""
    if connection.vendor == "postgresql":
        table = ScoreLine._meta.db_table
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({', '.join(LINE_COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row((*row[:-1], dumps(row[-1])))
        return
    ScoreLine.objects.bulk_create(
        (ScoreLine(**dict(zip(LINE_COLUMNS, row, strict=True))) for row in rows), batch_size=2000
    )


@contextmanager
def without_cyclic_gc():
    """Pause Python's cyclic garbage collector while a period's facts and lines are built.

    Scoring a quarter allocates about a million small acyclic objects (case facts, line items); each
    allocation burst triggers collections that walk the whole growing heap, which cost about 40 % of the
    CPU time. Reference counting still frees everything; the collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@transaction.atomic
def compute_period(*, period: Period, actor) -> Period:
    """Score every unit of the scheme's peer groups; replaces the preview. Refuses a published period."""
    if actor is not None:
        require_manager(actor, period)
    period = _lock(period)
    if period.is_published:
        raise Conflict(FROZEN)
    with without_cyclic_gc():
        return _compute(period, actor)


def _compute(period: Period, actor) -> Period:
    spec = selectors.scheme_spec(period.scheme)
    members = selectors.scored_units(period.scheme)
    counter, calendar_note = selectors.workday_counter(period.start, period.end)
    cases, case_areas, notes = selectors.load_cases(period)
    facts, finding_notes = _unit_facts(period, members, cases, counter)
    results = scoring.score_period(spec, facts, period.start, period.end, counter)
    _clear_results(period)
    workloads = {item.unit_id: item.workload for item in facts}
    scores = UnitScore.objects.bulk_create(
        [
            UnitScore(
                period=period,
                unit_id=r.unit_id,
                group=r.group,
                base=r.base,
                deductions=r.deductions,
                bonuses=r.bonuses,
                total=r.total,
                rank=r.rank,
                group_size=r.group_size,
                flag=r.flag,
                fund_deduction=r.fund_deduction,
                fund_reasons="；".join(r.fund_reasons),
                award_ineligible=r.award_ineligible,
                ineligible_reasons="；".join(r.ineligible_reasons),
                workload=workloads.get(r.unit_id) or 0,
                line_count=len(r.lines),
            )
            for r in results
        ],
        batch_size=1000,
    )
    lines = [
        (
            score.pk,
            period.pk,
            result.unit_id,
            line.rule_id,
            line.kind,
            line.points,
            line.explanation,
            line.case_id,
            line.finding_id,
            line.indicator_code,
            line.ref[:60],
            sort,
            line.items or [],
        )
        for score, result in zip(scores, results, strict=True)
        for sort, line in enumerate(result.lines, start=1)
    ]
    _insert_lines(lines)
    indicator_rows = []
    for item in facts:
        indicator_rows.extend(_indicator_rows(period, item.indicators, unit_id=item.unit_id))
    indicator_rows.extend(_area_indicators(period, cases, case_areas, counter))
    IndicatorResult.objects.bulk_create(indicator_rows, batch_size=5000)
    old = period.status
    period.status = PeriodStatus.COMPUTED
    period.computed_at = timezone.now()
    period.error = ""
    period.notes = [calendar_note, *notes, *finding_notes]
    period.save(update_fields=["status", "computed_at", "error", "notes", "updated_at"])
    record(
        actor=actor,
        verb="assessments.period_computed",
        target=period,
        changes={"status": [old, "computed"], "units": [None, len(scores)], "lines": [None, len(lines)]},
    )
    return period


def run_period_computation(*, period_id: int, actor_id: int | None) -> str:
    """The background job's body: compute, or record why it failed on the period (never half-written)."""
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        return "missing"
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        compute_period(period=period, actor=actor)
    except DomainError as exc:
        mark_period_failed(period=period, actor=actor, error=exc.message)
        return "refused"
    except Exception as exc:  # noqa: BLE001 - the failure is stored on the period and logged
        logger.exception("assessment period %s failed", period_id)
        mark_period_failed(period=period, actor=actor, error=f"计算出错：{exc}")
        return "failed"
    return "computed"


@transaction.atomic
def publish_period(*, period: Period, actor) -> Period:
    """Freeze the preview: store the SHA-256 of its canonical lines; nothing about it changes afterwards."""
    require_manager(actor, period)
    period = _lock(period)
    if period.is_published:
        raise Conflict("该考核周期已发布")
    if period.status != PeriodStatus.COMPUTED:
        raise DomainError("请先计算并预览，再发布", field="status")
    period.content_hash = selectors.content_hash(period)
    period.status = PeriodStatus.PUBLISHED
    period.published_at = timezone.now()
    period.published_by = actor if getattr(actor, "is_authenticated", False) else None
    period.sign_date = period.sign_date or timezone.localdate()
    period.save()
    record(
        actor=actor,
        verb="assessments.period_published",
        target=period,
        changes={"status": ["computed", "published"], "content_hash": [None, period.content_hash]},
    )
    return period
