"""Residents answer back: they rate a closed problem's handling (不满意 opens a 回访 task for the office), praise a
unit or worker, and earn points for accepted reports (capped per day; no cash value unless the city sets one)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.public import casebridge
from chuangcheng.public.models import (
    CallbackOutcome,
    CallbackStatus,
    CallbackTask,
    HandlingRating,
    PointsEntry,
    Praise,
    PraiseStatus,
    RatingLevel,
    Report,
)
from chuangcheng.public.permissions import can_moderate
from chuangcheng.public.privacy import is_mobile, keyed_hash, phone_hash
from chuangcheng.public.ratelimit import check_and_hit

DEFAULT_RATING_DAYS = 15
DEFAULT_POINTS_PER_REPORT = 10
DEFAULT_POINTS_DAILY_CAP = 30
MIN_REASON = 5
PRAISE_KINDS = (UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.ENTERPRISE)


def rating_days() -> int:
    """Days after 办结 during which the reporter may rate the handling (setting ``PUBLIC_RATING_DAYS``)."""
    return int(getattr(settings, "PUBLIC_RATING_DAYS", DEFAULT_RATING_DAYS))


def rating_deadline(report: Report):
    """Until when this closure may be rated (None: not closed, already rated, or the window has passed)."""
    case = casebridge.closed_case(report)
    if case is None or case.closed_at is None or report.status != "accepted":
        return None
    if HandlingRating.objects.filter(report=report, case=case).exists():
        return None
    deadline = case.closed_at + timedelta(days=rating_days())
    return deadline if deadline >= timezone.now() else None


def _reason(text: str, *, required: bool) -> str:
    text = " ".join((text or "").split())
    if required and len(text) < MIN_REASON:
        raise DomainError(f"选择“不满意”时请说明原因（至少{MIN_REASON}个字）", field="reason")
    if len(text) > 500:
        raise DomainError("评价理由不能超过500字", field="reason")
    return text


@transaction.atomic
def rate_handling(*, report: Report, level: str, reason: str, client_address: str) -> HandlingRating:
    """The reporter rates the closure; 不满意 opens a callback task. Once per closure, within the window."""
    if level not in RatingLevel.values:
        raise DomainError("请选择评价：满意、基本满意或不满意", field="level")
    address = keyed_hash("addr", client_address)
    check_and_hit({"rate:addr": address})
    report = Report.objects.select_for_update(no_key=True).get(pk=report.pk)
    case = casebridge.closed_case(report)
    if case is None or report.status != "accepted":
        raise Conflict("只有已办结的问题可以评价", field="level")
    if case.closed_at and case.closed_at + timedelta(days=rating_days()) < timezone.now():
        raise DomainError(f"办结已超过{rating_days()}天，评价已截止", field="level")
    if HandlingRating.objects.filter(report=report, case=case).exists():
        raise Conflict("您已评价过本次办理结果", field="level")
    reason = _reason(reason, required=level == RatingLevel.UNSATISFIED)
    unit = casebridge.rectifying_unit(case)
    rating = HandlingRating.objects.create(
        report=report, case=case, unit=unit, level=level, reason=reason, address_hash=address
    )
    record(
        actor=None,
        verb="public.handling_rated",
        target=rating,
        unit=unit or report.unit,
        changes={"level": [None, level], "case": [None, case.number]},
    )
    if level == RatingLevel.UNSATISFIED:
        task = CallbackTask.objects.create(rating=rating, report=report, unit=unit or report.unit)
        record(
            actor=None,
            verb="public.callback_opened",
            target=task,
            unit=task.unit,
            changes={"report": [None, report.number]},
        )
    return rating


@transaction.atomic
def complete_callback(*, task: CallbackTask, actor, outcome: str, note: str) -> CallbackTask:
    """The office records the callback: how it went and what was said."""
    if not can_moderate(actor):
        raise NotPermitted("只有创建办可以登记回访")
    if outcome not in CallbackOutcome.values:
        raise DomainError("请选择回访结果", field="outcome")
    note = " ".join((note or "").split())
    if len(note) < 2:
        raise DomainError("请填写回访记录（与群众沟通的情况）", field="note")
    if len(note) > 1000:
        raise DomainError("回访记录不能超过1000字", field="note")
    task = CallbackTask.objects.select_for_update(no_key=True).get(pk=task.pk)
    if task.status != CallbackStatus.OPEN:
        raise Conflict("该回访已登记，不能重复登记", field="outcome")
    task.status, task.outcome, task.note = CallbackStatus.DONE, outcome, note
    task.done_by, task.done_at = actor, timezone.now()
    task.save(update_fields=["status", "outcome", "note", "done_by", "done_at"])
    record(
        actor=actor,
        verb="public.callback_done",
        target=task,
        unit=task.unit,
        changes={"status": [CallbackStatus.OPEN, CallbackStatus.DONE], "outcome": [None, outcome]},
    )
    return task


def praisable_units():
    """Units a resident may praise: departments, territorial units below the city, enterprises."""
    return Unit.objects.filter(is_active=True, kind__in=PRAISE_KINDS).order_by("path")


@transaction.atomic
def submit_praise(
    *, unit_id, worker: str, message: str, name: str, client_address: str, report_number: str = ""
) -> Praise:
    unit = praisable_units().filter(pk=unit_id).first() if str(unit_id or "").isdigit() else None
    if unit is None:
        raise DomainError("请选择要表扬的单位", field="unit")
    message = " ".join((message or "").split())
    if len(message) < MIN_REASON:
        raise DomainError(f"请写下表扬的内容（至少{MIN_REASON}个字）", field="message")
    if len(message) > 1000:
        raise DomainError("表扬内容不能超过1000字", field="message")
    worker, name = " ".join((worker or "").split())[:50], " ".join((name or "").split())[:50]
    report = None
    if report_number:
        report = Report.objects.filter(number=report_number.strip().upper(), status="accepted").first()
        if report is None:
            raise DomainError("受理编号不存在或尚未公开", field="report_number")
    address = keyed_hash("addr", client_address)
    check_and_hit({"praise:addr": address})
    praise = Praise.objects.create(
        unit=unit, worker=worker, report=report, message=message, name=name, address_hash=address
    )
    record(actor=None, verb="public.praise_submitted", target=praise, unit=unit, changes={"worker": [None, worker]})
    return praise


@transaction.atomic
def handle_praise(*, praise: Praise, actor, status: str) -> Praise:
    """The office forwards a praise to the unit (its heads are notified) or sets it aside."""
    from chuangcheng.accounts.models import Role, User
    from chuangcheng.notifications.models import NotificationKind
    from chuangcheng.notifications.services import notify

    if not can_moderate(actor):
        raise NotPermitted("只有创建办可以处理市民表扬")
    if status not in (PraiseStatus.FORWARDED, PraiseStatus.DISMISSED):
        raise DomainError("请选择：转达单位或不予采纳", field="status")
    praise = Praise.objects.select_for_update(no_key=True).get(pk=praise.pk)
    if praise.status != PraiseStatus.NEW:
        raise Conflict(f"该表扬已{praise.get_status_display()}", field="status")
    old = praise.status
    praise.status, praise.handled_by, praise.handled_at = status, actor, timezone.now()
    praise.save(update_fields=["status", "handled_by", "handled_at"])
    record(
        actor=actor, verb="public.praise_handled", target=praise, unit=praise.unit, changes={"status": [old, status]}
    )
    if status == PraiseStatus.FORWARDED:
        who = f"（{praise.worker}）" if praise.worker else ""
        heads = User.objects.filter(
            is_active=True, memberships__unit=praise.unit, memberships__role__in=(Role.UNIT_HEAD, Role.UNIT_HANDLER)
        ).distinct()
        notify(
            actor=actor,
            users=list(heads),
            kind=NotificationKind.GENERAL,
            title=f"市民表扬：{praise.unit.name}{who}",
            body=praise.message,
        )
    return praise


def points_per_report() -> int:
    return int(getattr(settings, "PUBLIC_POINTS_PER_REPORT", DEFAULT_POINTS_PER_REPORT))


def points_daily_cap() -> int:
    return int(getattr(settings, "PUBLIC_POINTS_DAILY_CAP", DEFAULT_POINTS_DAILY_CAP))


def award_points(*, report: Report) -> PointsEntry | None:
    """Points for an accepted report with a mobile number, called inside ``accept_report``'s transaction:
    at most the daily cap per phone per day (a report over the cap is recorded with 0 points), once per report.

    One statement: the database sums the phone's points of the day and inserts the entry (nothing when the report
    already has one); None when nothing was inserted."""
    if not is_mobile(report.reporter_phone):
        return None
    key = report.phone_hash or phone_hash(report.reporter_phone)
    day, now = timezone.localdate(), timezone.now()
    per_report, cap = points_per_report(), points_daily_cap()
    table = connection.ops.quote_name(PointsEntry._meta.db_table)
    left = "(%s - COALESCE(SUM(points), 0))"
    points = f"CASE WHEN {left} < 0 THEN 0 WHEN {left} > %s THEN %s ELSE {left} END"
    sql = (
        f"INSERT INTO {table} (phone_hash, report_id, points, capped, day, created_at)"
        f" SELECT %s, %s, {points}, CASE WHEN {left} <= 0 THEN %s ELSE %s END, %s, %s"
        f" FROM {table} WHERE phone_hash = %s AND day = %s"
        " ON CONFLICT (report_id) DO NOTHING RETURNING id, points, capped"
    )
    stored_day, stored_now = connection.ops.adapt_datefield_value(day), connection.ops.adapt_datetimefield_value(now)
    params = [key, report.pk, cap, cap, per_report, per_report, cap, cap, True, False, stored_day, stored_now]
    params += [key, stored_day]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    pk, points, capped = row
    return PointsEntry(
        pk=pk, phone_hash=key, report=report, points=points, capped=bool(capped), day=day, created_at=now
    )


def points_summary(report: Report) -> dict | None:
    """This report's points and its reporter's total (by phone), for the tracking page."""
    entry = PointsEntry.objects.filter(report=report).first()
    if entry is None:
        return None
    total = PointsEntry.objects.filter(phone_hash=entry.phone_hash).aggregate(total=Sum("points"))["total"] or 0
    cash = getattr(settings, "PUBLIC_POINTS_CASH_VALUE", "")
    return {"points": entry.points, "capped": entry.capped, "total": total, "cash_value": cash}
