"""Writes for cases: intake, assignment, rules, photos, escalation, bulk actions.

Status changes go through ``workflow.transition`` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chuangcheng.accounts.permissions import require_in_jurisdiction
from chuangcheng.audit.services import record
from chuangcheng.cases import chain, evidence, intake, workflow
from chuangcheng.cases.conf import setting
from chuangcheng.cases.deadlines import local_date
from chuangcheng.cases.intake import create_cases  # noqa: F401  (batch intake: callers use services.*)
from chuangcheng.cases.models import Case, CaseStatus, PhotoKind, Severity
from chuangcheng.cases.numbers import next_number, next_numbers  # noqa: F401
from chuangcheng.cases.permissions import can_manage_rules
from chuangcheng.cases.rebounds import mark_rebound  # noqa: F401  (callers use services.*)
from chuangcheng.cases.rules import (  # noqa: F401  (the office's rules: re-exported, callers use services.*)
    create_deadline_rule,
    create_routing_rule,
    delete_deadline_rule,
    delete_routing_rule,
    set_verify_photo_sources,
    update_deadline_rule,
    update_routing_rule,
    verify_photo_sources,
)
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted


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
    rebound_of: Case | None = None,
) -> Case:
    """Take in a problem from any source. ``actor`` None = system/citizen intake.

    ``auto_register`` registers, routes and (when a unit is found) dispatches at
    once, as the system; unmatched cases wait in the office's 待分派 queue.
    ``rebound_of``: the closed case this one reopens (a citizen's dispute of its closure), linked as
    a rebound whatever the automatic detection finds.
    """
    intake.check_actor(actor)
    title, external_ref = intake.clean_fields(
        source=source, title=title, severity=severity, lng=lng, lat=lat, external_ref=external_ref
    )
    intake.check_ref(source, external_ref, intake.taken_refs([(source, external_ref)]))
    fields = {
        "source": source, "title": title, "description": description, "check_item": check_item,
        "category": category, "site": site, "area": area, "lng": lng, "lat": lat, "severity": severity,
        "reporter_name": reporter_name, "reporter_phone": reporter_phone, "external_ref": external_ref,
        "round_visit": round_visit,
    }  # fmt: skip
    origins = [rebound_of] if rebound_of is not None else None
    (case,) = intake.take_in(actor=actor, batch=[fields], auto_register=auto_register, origins=origins, photos=photos)
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
    require_in_jurisdiction(actor, [lead_unit], field="lead_unit", label="牵头单位")
    require_in_jurisdiction(actor, cooperating_units, field="cooperating_units", label="协办单位")
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
