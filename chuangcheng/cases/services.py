"""Writes for cases: intake, assignment, rules, photos, escalation, bulk actions.

Status changes go through ``workflow.transition`` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.cases import chain, evidence, routing, workflow
from chuangcheng.cases.conf import setting
from chuangcheng.cases.deadlines import local_date
from chuangcheng.cases.models import Case, CaseCounter, CaseSource, CaseStatus, PhotoKind, Severity
from chuangcheng.cases.permissions import can_create_case, can_manage_rules
from chuangcheng.cases.rules import (  # noqa: F401  (the office's rules: re-exported, callers use services.*)
    create_deadline_rule,
    create_routing_rule,
    delete_deadline_rule,
    delete_routing_rule,
    update_deadline_rule,
    update_routing_rule,
)
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted

NUMBER_PREFIX = "WT"


def next_number(year: int) -> str:
    """``WT2026-000123``: unique per year.

    PostgreSQL: a per-year sequence (``nextval`` takes no lock held to commit, so
    concurrent intakes do not queue; a rolled-back intake leaves a gap). SQLite
    serialises writers anyway: a per-year counter row, incremented in the transaction.
    """
    if connection.vendor == "postgresql":
        return f"{NUMBER_PREFIX}{year}-{_sequence_next(year):06d}"
    try:
        with transaction.atomic():
            CaseCounter.objects.get_or_create(year=year)
    except IntegrityError:
        pass
    counter = CaseCounter.objects.select_for_update(no_key=True).get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{NUMBER_PREFIX}{year}-{counter.last:06d}"


def _sequence_name(year: int) -> str:
    return f"cases_case_number_{int(year)}"


def _sequence_next(year: int) -> int:
    name = _sequence_name(year)
    with connection.cursor() as cursor:
        # Checked every time (a catalog lookup): a process-wide "exists" cache went stale when the
        # transaction that created the sequence was rolled back after its on-commit hooks had run
        # (as test harnesses do), or when a database is restored.
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if not cursor.fetchone()[0]:
            _create_sequence(cursor, year)
        cursor.execute("SELECT nextval(%s)", [name])
        return cursor.fetchone()[0]


def _create_sequence(cursor, year: int) -> None:
    """Start after the year's counter row and after any number already issued for that year."""
    prefix = f"{NUMBER_PREFIX}{year}-"
    cursor.execute(
        "SELECT GREATEST("
        " (SELECT last FROM cases_casecounter WHERE year = %s),"
        " (SELECT max(substr(number, %s)::bigint) FROM cases_case"
        "  WHERE left(number, %s) = %s AND substr(number, %s) ~ '^[0-9]+$'), 0)",
        [year, len(prefix) + 1, len(prefix), prefix, len(prefix) + 1],
    )
    start = cursor.fetchone()[0] + 1
    try:
        with transaction.atomic():  # a concurrent first intake of the year may create it first
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {_sequence_name(year)} START WITH {int(start)}")
    except (IntegrityError, ProgrammingError):
        pass


def _locate_area(lng, lat):
    try:
        from chuangcheng.places.lookup import locate
    except ImportError:
        return None
    areas = locate(lng, lat)
    return areas[0] if areas else None


def find_rebound_origin(*, site, check_item, now=None):
    """The latest case at the same site and check item closed within ``CASE_REBOUND_DAYS``."""
    if site is None or check_item is None:
        return None
    since = (now or timezone.now()) - timedelta(days=setting("CASE_REBOUND_DAYS"))
    return (
        Case.objects.filter(site=site, check_item=check_item, status=CaseStatus.CLOSED, closed_at__gte=since)
        .order_by("-closed_at")
        .first()
    )


@transaction.atomic
def create_case(
    *,
    actor,
    source: str,
    title: str,
    description: str = "",
    check_item=None,
    category=None,
    site=None,
    area=None,
    lng: float | None = None,
    lat: float | None = None,
    severity: str = Severity.NORMAL,
    photos=(),
    reporter_name: str = "",
    reporter_phone: str = "",
    external_ref: str = "",
    auto_register: bool = False,
    round_visit=None,
) -> Case:
    """Take in a problem from any source. ``actor`` None = system/citizen intake.

    ``auto_register`` registers, routes and (when a unit is found) dispatches at
    once, as the system; unmatched cases wait in the office's 待分派 queue.
    """
    if actor is not None and not can_create_case(actor):
        raise NotPermitted("您无权上报问题")
    title = (title or "").strip()
    if not title:
        raise DomainError("请填写问题标题", field="title")
    if source not in CaseSource.values:
        raise DomainError(f"未知的问题来源“{source}”", field="source")
    if severity not in Severity.values:
        raise DomainError(f"未知的严重程度“{severity}”", field="severity")
    if (lng is None) != (lat is None):
        raise DomainError("经纬度须同时填写", field="lng")
    if lng is not None and not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise DomainError("经纬度超出范围", field="lng")
    external_ref = (external_ref or "").strip()
    if external_ref and Case.objects.filter(source=source, external_ref=external_ref).exists():
        raise DomainError(f"外部编号“{external_ref}”已存在", field="external_ref")
    area_id = area.pk if area is not None else None
    category_id = category.pk if category is not None else None
    if site is not None:
        category_id = category_id or site.category_id
        area_id = area_id or site.area_id
        if lng is None:
            lng, lat = site.lng, site.lat
    if area_id is None and lng is not None:
        located = _locate_area(lng, lat)
        area_id = located.pk if located is not None else None
    territory_id = site.unit_id if site is not None and site.unit_id else None
    if territory_id is None:
        territory_id = next((a.unit_id for a in routing.area_chain(area_id) if a.unit_id), None)
    now = timezone.now()
    origin = find_rebound_origin(site=site, check_item=check_item, now=now)
    case = Case(
        number=next_number(timezone.localtime(now).year),
        source=source,
        title=title[:200],
        description=description,
        check_item=check_item,
        category_id=category_id,
        site=site,
        area_id=area_id,
        unit_id=territory_id,
        lng=lng,
        lat=lat,
        severity=severity,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        external_ref=external_ref,
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
        round_visit_id=getattr(round_visit, "pk", round_visit),
        is_rebound=origin is not None,
        rebound_of=origin,
        status=CaseStatus.REPORTED,
        status_changed_at=now,
    )
    case.save()
    for upload in photos:
        evidence.add_photo(case=case, upload=upload, kind=PhotoKind.BEFORE, actor=actor)
    data = {"source": source}
    if origin is not None:
        data["rebound_of"] = origin.number
    chain.append(case, action="report", from_status="", to_status=CaseStatus.REPORTED, actor=actor, data=data, at=now)
    if not auto_register:  # otherwise the registration's save writes the head with the rest
        case.save(update_fields=["timeline_head"])
    record(
        actor=actor,
        verb="cases.created",
        target=case,
        changes={"number": [None, case.number], "source": [None, source], "title": [None, case.title]},
    )
    if auto_register:
        fresh = {"actor": None, "created_in_this_transaction": True}
        workflow.transition(case, workflow.Action.REGISTER, note="自动立案", **fresh)
        if case.lead_unit_id:
            workflow.transition(case, workflow.Action.DISPATCH, note="自动派遣", **fresh)
    return case


@transaction.atomic
def add_case_photos(*, actor, case: Case, uploads, kind: str = PhotoKind.BEFORE) -> list:
    if kind not in PhotoKind.values:
        raise DomainError("未知的照片类型", field="kind")
    locked = Case.objects.select_for_update(no_key=True).get(pk=case.pk)
    attempt = locked.sendback_count + 1
    photos = [evidence.add_photo(case=locked, upload=u, kind=kind, actor=actor, attempt=attempt) for u in uploads]
    record(
        actor=actor,
        verb="cases.photos_added",
        target=locked,
        unit=locked.lead_unit,
        changes={"photos": [None, [p.pk for p in photos]]},
    )
    return photos


@transaction.atomic
def assign_case(
    *, actor, case: Case, lead_unit, cooperating_units=(), reason: str = "", expected_version: int | None = None
) -> Case:
    """Set the lead and cooperating units of a case not yet dispatched (after dispatch: ``reroute``)."""
    if not can_manage_rules(actor):
        raise NotPermitted("只有创建办可以指定责任单位")
    locked = Case.objects.select_for_update(no_key=True).get(pk=case.pk)
    expected = case.version if expected_version is None else expected_version
    if locked.version != expected:
        raise Conflict(workflow.CONCURRENT_UPDATE_MESSAGE, code="stale_version")
    if locked.status not in (CaseStatus.REPORTED, CaseStatus.REGISTERED, CaseStatus.RETURNED):
        raise DomainError("案件已派遣，如需更换单位请在退回后改派", field="lead_unit")
    if lead_unit is None:
        raise DomainError("请选择牵头单位", field="lead_unit")
    old = locked.lead_unit_id
    locked.lead_unit = lead_unit
    locked.routing_rule = None
    locked.route_reason = ("创建办人工指定" + (f"：{reason}" if reason else ""))[:300]
    locked.version += 1
    units = [u for u in cooperating_units if u.pk != lead_unit.pk]
    chain.append(
        locked,
        action="assign",
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        note=reason,
        data={"lead_unit": lead_unit.pk, "cooperating_units": [u.pk for u in units]},
    )
    locked.save()
    locked.cooperating_units.set(units)
    record(
        actor=actor, verb="cases.assigned", target=locked, unit=lead_unit, changes={"lead_unit": [old, lead_unit.pk]}
    )
    case.version, case.lead_unit_id, case.timeline_head = locked.version, locked.lead_unit_id, locked.timeline_head
    return locked


@dataclass
class BulkResult:
    done: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (case number, message)


def bulk_transition(*, actor, cases, action: str, note: str = "", **params) -> BulkResult:
    """Apply one action to many cases; each is its own transaction, failures are reported."""
    result = BulkResult()
    for case in cases:
        try:
            workflow.transition(case, action, actor=actor, note=note, expected_version=case.version, **params)
        except DomainError as exc:
            result.failed.append((case.number, exc.message))
        else:
            result.done.append(case.number)
    return result


@dataclass
class EscalationReport:
    reminded: list = field(default_factory=list)
    supervised: list = field(default_factory=list)
    escalated: list = field(default_factory=list)


ON_CLOCK = (CaseStatus.DISPATCHED, CaseStatus.SIGNED, CaseStatus.RECTIFYING)
ESCALATABLE = (
    CaseStatus.DISPATCHED,
    CaseStatus.SIGNED,
    CaseStatus.RETURNED,
    CaseStatus.RECTIFYING,
    CaseStatus.SUBMITTED,
)


def escalate_overdue_cases(now=None, *, actor=None) -> EscalationReport:
    """催办 on the deadline day, 督办 after it, 提级督办 after repeated send-backs or returns.

    Idempotent: each level is taken once per case (``escalation_level``). Deferred
    (挂账) cases are paused and skipped. Each step is a workflow transition, so it
    lands on the timeline and notifies.
    """
    now = now or timezone.now()
    today = local_date(now)
    report = EscalationReport()
    plans = (
        (
            workflow.Action.ESCALATE,
            report.escalated,
            Q(status__in=ESCALATABLE, escalation_level__lt=3)
            & (
                Q(sendback_count__gte=setting("CASE_ESCALATE_AFTER_SENDBACKS"))
                | Q(return_count__gte=setting("CASE_ESCALATE_AFTER_RETURNS"))
            ),
        ),
        (
            workflow.Action.SUPERVISE,
            report.supervised,
            Q(status__in=ON_CLOCK, deadline__lt=today, escalation_level__lt=2),
        ),
        (workflow.Action.REMIND, report.reminded, Q(status__in=ON_CLOCK, deadline=today, escalation_level__lt=1)),
    )
    for action, bucket, condition in plans:
        for case in Case.objects.filter(condition).only("pk", "version", "number").order_by("pk").iterator():
            note = {
                workflow.Action.REMIND: "系统催办：今日到期",
                workflow.Action.SUPERVISE: "系统督办：已超过整改期限",
                workflow.Action.ESCALATE: "系统提级督办：多次返工或退回",
            }[action]
            try:
                workflow.transition(case, action, actor=actor, note=note, now=now)
            except DomainError:
                continue
            bucket.append(case.number)
    return report
