"""Reads that turn database rows into scoring facts, and the canonical content of a period."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.models import Min, Q
from django.db.models.functions import TruncDate

from chuangcheng.assessments import scoring
from chuangcheng.assessments.models import (
    AccountabilityRecord,
    Commendation,
    Decision,
    Period,
    PeriodStatus,
    Scheme,
    ScoreLine,
    UnitScore,
)
from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area, AreaLevel, SiteCategory

NO_FINDINGS = (
    "督查发现：暂无数据来源（督查测评模块尚未提供发现数据），“督查发现问题扣分”及来自督查发现的负面清单事项本期计 0 分"
)
NO_CASES = "案件：暂无数据来源（问题整改模块尚未提供），与案件有关的规则本期计 0 分"
CASE_FIELDS = (
    "id",
    "number",
    "lead_unit_id",
    "source",
    "severity",
    "status",
    "registered_on",
    "dispatched_on",
    "deadline",
    "closed_on",
    "sendback_count",
    "return_count",
    "misroute_count",
    "is_rebound",
    "check_item__is_negative_list",
    "area_id",
    "paused_on",
)


def scheme_spec(scheme: Scheme) -> scoring.SchemeSpec:
    return scoring.SchemeSpec(
        base_score=scheme.base_score,
        rules=tuple(rule.spec() for rule in scheme.rules.all()),
        normalisation=scheme.normalisation,
        max_deduction=scheme.max_deduction,
        max_bonus=scheme.max_bonus,
        min_score=scheme.min_score,
        red_count=scheme.red_count,
        black_count=scheme.black_count,
    )


def scored_units(scheme: Scheme) -> list[tuple[Unit, str]]:
    """Each active unit once, in the first peer group (by order) that names it or its kind."""
    chosen: dict[int, tuple[Unit, str]] = {}
    ground = scheme.campaign.unit if scheme.campaign_id else None
    ground = ground if ground is not None and ground.parent_id is not None else None
    for group in scheme.peer_groups.prefetch_related("units").order_by("sort_order", "id"):
        explicit = [unit for unit in group.units.all() if unit.is_active]
        kinds = Unit.objects.filter(kind__in=group.unit_kinds or [], is_active=True)
        if ground is not None:  # a lower level's scheme ranks the units of its own ground
            kinds = kinds.filter(path__startswith=ground.path)
        by_kind = list(kinds) if group.unit_kinds else []
        for unit in explicit + by_kind:
            chosen.setdefault(unit.pk, (unit, group.name))
    return sorted(chosen.values(), key=lambda pair: (pair[1], pair[0].path))


def workday_counter(start: date, end: date) -> tuple[scoring.WorkdayCounter, str]:
    try:
        from chuangcheng.core.workdays import is_working_day
    except ImportError:  # pragma: no cover - the calendar is on main
        return scoring.WorkdayCounter(scoring.weekday_is_working, start, end), "工作日：按周一至周五计算（日历未载入）"
    return scoring.WorkdayCounter(is_working_day, start, end + timedelta(days=60)), "工作日：按法定工作日历计算"


def _bounds(period: Period) -> tuple[datetime, datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(period.start, time.min, tz), datetime.combine(period.end + timedelta(days=1), time.min, tz)


def _local_date(value, tz) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(tz).date() if value.tzinfo else value.date()
    return value


def case_model():
    try:
        return apps.get_model("cases", "Case")
    except LookupError:
        return None


def load_cases(period: Period) -> tuple[list[scoring.CaseFact], dict[int, int | None], list[str]]:
    """Cases relevant to the period: registered by its end and not closed before its start."""
    Case = case_model()
    if Case is None:
        return [], {}, [NO_CASES]
    tz = ZoneInfo(settings.TIME_ZONE)
    lo, hi = _bounds(period)
    query = Case.objects.filter(registered_at__lt=hi).exclude(status__in=scoring.NOT_COUNTED)
    query = query.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=lo)).exclude(lead_unit__isnull=True)
    if period.category_codes:
        query = query.filter(category__code__in=period.category_codes)
    signed = _signed_dates(period, lo, hi, tz)
    query = query.annotate(
        registered_on=TruncDate("registered_at", tzinfo=tz),
        dispatched_on=TruncDate("dispatched_at", tzinfo=tz),
        closed_on=TruncDate("closed_at", tzinfo=tz),
    )
    facts, areas = [], {}
    make = scoring.CaseFact
    for row in _rows(query.order_by().values_list(*CASE_FIELDS)):
        pk, number, unit_id, source, severity, status, registered, dispatched, deadline, closed, *rest = row
        sendbacks, returns, misroutes, rebound, negative, area_id, paused_on = rest
        facts.append(
            make(
                pk,
                number,
                unit_id,
                source,
                severity,
                status,
                registered,
                dispatched,
                signed.get(pk),
                deadline,
                closed,
                sendbacks or 0,
                returns or 0,
                misroutes or 0,
                bool(rebound),
                bool(negative),
                paused_on,
            )
        )
        if area_id is not None:
            areas[pk] = area_id
    return facts, areas, []


def _rows(queryset, chunk: int = 20000):
    """A values_list query's rows. On PostgreSQL through a plain client cursor: a server-side cursor (what
    ``.iterator()`` uses there) is planned for the first rows and streamed in round trips, which made reading
    a quarter's cases twice as slow; the selected columns need no conversion there (dates come as dates).
    """
    if connection.vendor != "postgresql":
        yield from queryset.iterator(chunk_size=chunk)
        return
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk):
            yield from rows


def _signed_dates(period: Period, lo: datetime, hi: datetime, tz) -> dict[int, date]:
    try:
        Transition = apps.get_model("cases", "CaseTransition")
    except LookupError:
        return {}
    rows = (
        Transition.objects.filter(to_status="signed", case__registered_at__gte=lo, case__registered_at__lt=hi)
        .values("case_id")
        .annotate(first=Min("at"))
        .values_list("case_id", "first")
    )
    return {case_id: _local_date(at, tz) for case_id, at in rows}


def load_findings(period: Period, unit_ids: list[int]) -> tuple[dict[int, list[scoring.FindingFact]], list[str]]:
    """Inspection findings (扣分) at the unit's sites: to the territorial unit and to the sectoral department.

    Source: ``inspections.selectors.findings_for_period``. Without it, an explicit note, never invented data.
    """
    try:
        from chuangcheng.inspections.selectors import findings_for_period
    except ImportError:
        return {}, [NO_FINDINGS]
    tz = ZoneInfo(settings.TIME_ZONE)
    wanted = set(unit_ids)
    categories = None
    if period.category_codes:
        categories = set(SiteCategory.objects.filter(code__in=period.category_codes).values_list("id", flat=True))
    by_unit: dict[int, list[scoring.FindingFact]] = defaultdict(list)
    for finding in findings_for_period(period.start, period.end):
        visit = finding.visit
        site = visit.site if visit.site_id else None
        if categories is not None and (site is None or site.category_id not in categories):
            continue
        item = finding.check_item
        label = f"{site.name if site else ''} {item.code} {item.title}".strip()
        found_on = _local_date(visit.submitted_at, tz)
        for role, unit_id in (("territorial", visit.unit_id), ("department", visit.department_id)):
            if unit_id in wanted:
                by_unit[unit_id].append(
                    scoring.FindingFact(
                        id=finding.pk,
                        unit_id=unit_id,
                        found_on=found_on,
                        label=label,
                        count=finding.count or 1,
                        points=finding.points,
                        is_negative_list=finding.is_negative_list,
                        role=role,
                    )
                )
    return by_unit, []


def load_commendations(period: Period, unit_ids: list[int]) -> dict[int, list[scoring.CommendationFact]]:
    rows = Commendation.objects.filter(unit_id__in=unit_ids, awarded_on__range=(period.start, period.end))
    by_unit: dict[int, list[scoring.CommendationFact]] = defaultdict(list)
    for item in rows.order_by("awarded_on", "id"):
        by_unit[item.unit_id].append(scoring.CommendationFact(item.pk, item.unit_id, item.title, item.awarded_on))
    return by_unit


def unit_measures(unit_ids: list[int]) -> dict[int, tuple[int | None, float | None]]:
    """Population and area of the top-level areas each unit owns (None = 待核实)."""
    rows = Area.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "level", "population", "area_m2")
    best: dict[int, list] = {}
    for unit_id, level, population, area_m2 in rows:
        current = best.get(unit_id)
        if current is None or level < current[0]:
            best[unit_id] = [level, population, area_m2]
        elif level == current[0]:
            current[1] = None if current[1] is None or population is None else current[1] + population
            current[2] = None if current[2] is None or area_m2 is None else current[2] + area_m2
    return {unit_id: (values[1], values[2]) for unit_id, values in best.items()}


def area_rollup(area_ids: set[int]) -> dict[int, list[int]]:
    """For each case area: its ancestors (itself included) at district and street level."""
    if not area_ids:
        return {}
    parents = dict(Area.objects.values_list("id", "parent_id"))
    levels = dict(Area.objects.values_list("id", "level"))
    rollup = {}
    for area_id in area_ids:
        chain, node = [], area_id
        while node is not None and len(chain) < 10:
            if levels.get(node) in (AreaLevel.DISTRICT, AreaLevel.STREET):
                chain.append(node)
            node = parents.get(node)
        rollup[area_id] = chain
    return rollup


# ---------------------------------------------------------------- content hash


def canonical_content(period: Period) -> list:
    scores = UnitScore.objects.filter(period=period).select_related("unit").order_by("group", "rank", "unit__code")
    lines_by_score: dict[int, list] = defaultdict(list)
    line_rows = (
        ScoreLine.objects.filter(period=period)
        .order_by("score_id", "sort")
        .values_list(
            "score_id",
            "sort",
            "kind",
            "rule_id",
            "points",
            "case_ref",
            "finding_ref",
            "indicator_code",
            "ref",
            "explanation",
            "items",
        )
    )
    for score_id, *rest in line_rows:
        rest[3] = str(rest[3])
        if not rest[-1]:  # lines without cases hash exactly as before ``items`` existed
            rest.pop()
        lines_by_score[score_id].append(rest)
    return [
        {
            "unit": score.unit.code,
            "group": score.group,
            "base": str(score.base),
            "total": str(score.total),
            "rank": score.rank,
            "flag": score.flag,
            "fund": str(score.fund_deduction),
            "ineligible": score.award_ineligible,
            "lines": lines_by_score[score.pk],
        }
        for score in scores
    ]


def content_hash(period: Period) -> str:
    text = json.dumps(canonical_content(period), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def period_is_intact(period: Period) -> bool:
    return period.status == PeriodStatus.PUBLISHED and content_hash(period) == period.content_hash


def ranking(period: Period) -> list[UnitScore]:
    """The published ranking (totals, ranks, flags) that the bulletin announces to every unit."""
    return list(UnitScore.objects.filter(period=period).select_related("unit").order_by("group", "rank", "unit__code"))


# Sources of the 通报's 会议缺席和迟到情况: callables (start, end) -> lapses, registered by the app that owns meetings
# (campaigns, a higher layer) in its AppConfig.ready(), so assessments never imports it.
LAPSE_SOURCES: list = []


def register_lapse_source(source) -> None:
    if source not in LAPSE_SOURCES:
        LAPSE_SOURCES.append(source)


@dataclass
class BulletinOutcomes:
    """What the period's 通报 reports beside the ranking: decisions, accountability, meeting lapses."""

    decisions: list
    accountability: list
    meeting_lapses: list


def _in_period(period: Period, date_field: str) -> Q:
    """Rows attached to the period, or unattached rows dated inside it."""
    dated = {f"{date_field}__gte": period.start, f"{date_field}__lte": period.end}
    return Q(period=period) | Q(period__isnull=True, **dated)


def bulletin_outcomes(period: Period) -> BulletinOutcomes:
    """Decisions (奖惩决定), accountability records (约谈、通报批评…) and meeting absences of the period.

    Three queries; accountability rows carry ``person_label`` (name and position) for the text.
    """
    decisions = list(
        Decision.objects.filter(_in_period(period, "decided_on")).select_related("unit").order_by("decided_on", "id")
    )
    records = list(
        AccountabilityRecord.objects.filter(_in_period(period, "occurred_on"))
        .select_related("unit", "person")
        .order_by("occurred_on", "id")
    )
    for row in records:
        name = row.person_name or (row.person.display_name if row.person_id else "")
        row.person_label = "".join(part for part in (row.position, name) if part)
    lapses = [lapse for source in LAPSE_SOURCES for lapse in source(period.start, period.end)]
    return BulletinOutcomes(decisions, records, lapses)


@dataclass
class LatestScores:
    period: Period | None
    scores: list


def latest_scores(unit_ids) -> LatestScores:
    """The held units' scores in the latest published period (two queries); ``period`` None when none is."""
    period = Period.objects.filter(status=PeriodStatus.PUBLISHED).order_by("-end", "-id").first()
    if period is None:
        return LatestScores(None, [])
    scores = list(
        UnitScore.objects.filter(period=period, unit_id__in=list(unit_ids)).select_related("unit").order_by("rank")
    )
    return LatestScores(period, scores)
