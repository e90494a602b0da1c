"""调度会/推进会: call a meeting with its invitees, record attendance, record decisions (→ task or 抄告单)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.models import Membership
from chuangcheng.audit.services import record
from chuangcheng.campaigns import permissions
from chuangcheng.campaigns.meeting_models import (
    AttendanceStatus,
    Attendee,
    DecisionOutcome,
    Meeting,
    MeetingDecision,
)
from chuangcheng.campaigns.services.notices import issue_notice
from chuangcheng.campaigns.services.plans import create_task
from chuangcheng.core.errors import DomainError, NotPermitted, ValidationFailed
from chuangcheng.org.models import Unit


def _require_office(actor, unit_id: int) -> None:
    if not permissions.can_call_meeting(actor, unit_id):
        raise NotPermitted("只有召集单位所属的创建办可以组织会议和登记考勤")


def _person_units(persons: list) -> dict[int, int]:
    """Each person's unit: the first of their memberships (by unit path)."""
    units: dict[int, int] = {}
    for membership in Membership.objects.filter(user__in=persons).order_by("unit__path", "id"):
        units.setdefault(membership.user_id, membership.unit_id)
    return units


@transaction.atomic
def create_meeting(
    *,
    actor,
    kind: str,
    title: str,
    held_at: datetime,
    agenda: str,
    unit: Unit,
    place: str = "",
    chair: str = "",
    units: Iterable[Unit] = (),
    persons: Iterable = (),
) -> Meeting:
    """Call a meeting: each invited unit is one attendee row; each invited person one row under their unit."""
    _require_office(actor, unit.pk)
    if not title.strip():
        raise DomainError("请填写会议名称", field="title")
    if not agenda.strip():
        raise DomainError("请填写会议议程", field="agenda")
    units, persons = list(units), list(persons)
    if not units and not persons:
        raise DomainError("请至少邀请一个参会单位或人员", field="units")
    person_units = _person_units(persons)
    missing = [p.display_name for p in persons if p.pk not in person_units]
    if missing:
        raise DomainError(f"{'、'.join(missing)}没有所属单位，不能作为参会人员", field="persons")
    meeting = Meeting.objects.create(
        kind=kind,
        title=title.strip(),
        unit=unit,
        held_at=held_at,
        place=place.strip(),
        chair=chair.strip(),
        agenda=agenda.strip(),
        created_by=actor,
    )
    rows = [Attendee(meeting=meeting, unit=u, sort_order=i) for i, u in enumerate(units)]
    rows += [
        Attendee(
            meeting=meeting,
            unit_id=person_units[p.pk],
            person=p,
            person_name=p.display_name,
            sort_order=len(units) + i,
        )
        for i, p in enumerate(persons)
    ]
    Attendee.objects.bulk_create(rows)
    record(
        actor=actor,
        verb="campaigns.meeting_created",
        target=meeting,
        unit=unit,
        changes={"title": [None, meeting.title], "held_at": [None, held_at.isoformat()], "invitees": [None, len(rows)]},
    )
    return meeting


@transaction.atomic
def record_attendance(*, actor, meeting: Meeting, entries: Iterable[dict], today: date | None = None) -> Meeting:
    """Attendance per invitee (``{"attendee": id, "status": ..., "reason": ...}``), all or nothing.

    Leave (请假) needs a reason; a meeting that has not been held yet takes no attendance.
    """
    _require_office(actor, meeting.unit_id)
    today = today or timezone.localdate()
    meeting = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
    if timezone.localtime(meeting.held_at).date() > today:
        raise DomainError("会议尚未召开，不能登记考勤", field="attendance")
    attendees = {a.pk: a for a in Attendee.objects.filter(meeting=meeting).select_related("unit")}
    errors: dict[str, list[str]] = {}
    changes: dict[str, list] = {}
    for entry in entries:
        attendee = attendees.get(int(entry.get("attendee") or 0))
        if attendee is None:
            errors.setdefault("attendance", []).append("参会名单中没有该单位/人员")
            continue
        status, reason = entry.get("status") or "", (entry.get("reason") or "").strip()[:300]
        if status not in AttendanceStatus.values:
            errors.setdefault("attendance", []).append(f"{attendee.label}：出勤情况无效")
            continue
        if status == AttendanceStatus.LEAVE and not reason:
            errors.setdefault("attendance", []).append(f"{attendee.label}：请假须填写事由")
            continue
        if (attendee.status, attendee.reason) != (status, reason):
            changes[attendee.label] = [attendee.status, status]
            attendee.status, attendee.reason = status, reason
    if errors:
        raise ValidationFailed(errors)
    Attendee.objects.bulk_update(attendees.values(), ["status", "reason"])
    meeting.attendance_recorded = True
    meeting.save(update_fields=["attendance_recorded"])
    record(actor=actor, verb="campaigns.meeting_attendance", target=meeting, unit=meeting.unit, changes=changes)
    return meeting


@transaction.atomic
def add_meeting_decision(
    *,
    actor,
    meeting: Meeting,
    content: str,
    unit: Unit | None = None,
    deadline: date | None = None,
    outcome: str = DecisionOutcome.RECORD,
    plan=None,
) -> MeetingDecision:
    """议定事项; ``outcome`` ``task`` adds a task to ``plan``, ``notice`` issues a 抄告单 to ``unit``."""
    _require_office(actor, meeting.unit_id)
    if not content.strip():
        raise DomainError("请填写议定事项", field="content")
    if outcome not in DecisionOutcome.values:
        raise DomainError("落实方式无效", field="outcome")
    if outcome and unit is None:
        raise DomainError("转为任务或发抄告单须指定责任单位", field="unit")
    if outcome and deadline is None:
        raise DomainError("转为任务或发抄告单须填写完成时限", field="deadline")
    decision = MeetingDecision(
        meeting=meeting, content=content.strip(), unit=unit, deadline=deadline, outcome=outcome, created_by=actor
    )
    if outcome == DecisionOutcome.TASK:
        if plan is None:
            raise DomainError("转为任务须选择工作方案", field="plan")
        decision.task = create_task(
            actor=actor,
            plan=plan,
            title=content.strip()[:300],
            lead_unit=unit,
            deadline=deadline,
            description=f"{meeting.title}议定事项",
        )
    elif outcome == DecisionOutcome.NOTICE:
        today = timezone.localdate()
        decision.notice = issue_notice(
            actor=actor,
            unit=unit,
            title=f"关于落实{meeting.title}议定事项的抄告单"[:200],
            body=content.strip(),
            warning_date=min(today, deadline),
            reply_due=deadline,
        )
    decision.save()
    record(
        actor=actor,
        verb="campaigns.meeting_decision",
        target=meeting,
        unit=meeting.unit,
        changes={"decision": [None, decision.content[:100]], "outcome": [None, outcome]},
    )
    return decision
