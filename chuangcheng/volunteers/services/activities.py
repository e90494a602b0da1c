"""Activities: create, sign-up, sign-in and sign-out (by the organiser or by the volunteer with the activity's
short code), hours (``hours.py``), manual correction with a reason, close and cancel.

States: 进行中 (planned) → 已结束 (closed) or 已取消 (cancelled, only before anyone signed in). Sign-up and
sign-in only while planned; corrections also afterwards.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.core.errors import Conflict, DomainError, NotFound, NotPermitted
from chuangcheng.volunteers import hours as rules
from chuangcheng.volunteers import permissions
from chuangcheng.volunteers.identity import phone_is_masked
from chuangcheng.volunteers.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    CheckVia,
    Participation,
    Volunteer,
    VolunteerStatus,
)
from chuangcheng.volunteers.services.registry import require_unit


def _new_code() -> str:
    while True:
        code = f"{secrets.randbelow(900000) + 100000}"
        if not Activity.objects.filter(code=code).exists():
            return code


@transaction.atomic
def create_activity(
    *,
    actor,
    title: str,
    kind: str,
    unit,
    starts_at: datetime,
    ends_at: datetime,
    planned_headcount: int | None = None,
    hours_cap=None,
    area=None,
    site=None,
    place: str = "",
    description: str = "",
    post=None,
    shift=None,
    code: str = "",
    is_demo: bool = False,
) -> Activity:
    require_unit(actor, unit)
    title = (title or "").strip()
    if not title:
        raise DomainError("请填写活动名称", field="title")
    if kind not in ActivityKind.values:
        raise DomainError("活动类型不正确", field="kind")
    if not starts_at or not ends_at or ends_at <= starts_at:
        raise DomainError("结束时间须晚于开始时间", field="ends_at")
    if planned_headcount is not None and planned_headcount < 1:
        raise DomainError("计划人数至少为1人（不限人数请留空）", field="planned_headcount")
    window = rules.window_hours(starts_at, ends_at)
    cap = window if hours_cap in (None, "") else Decimal(hours_cap)
    if cap <= 0 or cap > window:
        raise DomainError(f"单人时长上限须大于0且不超过活动时长（{window}小时）", field="hours_cap")
    if code and Activity.objects.filter(code=code).exists():
        raise DomainError("签到码已被使用", field="code")
    activity = Activity.objects.create(
        title=title,
        kind=kind,
        unit=unit,
        area=area,
        site=site,
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        planned_headcount=planned_headcount,
        hours_cap=cap,
        code=code or _new_code(),
        description=description.strip(),
        post=post,
        shift=shift,
        is_demo=is_demo,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(actor=actor, verb="volunteers.activity_created", target=activity, unit=unit, changes={"kind": [None, kind]})
    return activity


def _require_runner(actor, activity: Activity) -> None:
    if not permissions.can_run_activity(actor, activity):
        raise NotPermitted("只有组织单位（或其上级、创建办）可以登记本活动的报名和签到")


def _require_open(activity: Activity) -> None:
    if activity.status != ActivityStatus.PLANNED:
        raise Conflict(f"活动{activity.get_status_display()}，不能再报名或签到", field="activity")


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update(no_key=True).get(pk=activity.pk)


def _join(activity: Activity, volunteer: Volunteer, at: datetime, actor) -> Participation:
    """A new sign-up: the volunteer is 在册 and the activity not full."""
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise DomainError(
            f"志愿者{volunteer.name}状态为“{volunteer.get_status_display()}”，不能报名", field="volunteer"
        )
    if activity.planned_headcount is not None and activity.participations.count() >= activity.planned_headcount:
        raise Conflict(f"报名人数已达计划人数（{activity.planned_headcount}人）", field="volunteer")
    participation = Participation.objects.create(activity=activity, volunteer=volunteer, signed_up_at=at)
    record(actor=actor, verb="volunteers.signed_up", target=participation, unit=activity.unit)
    return participation


@transaction.atomic
def sign_up(*, actor, activity: Activity, volunteer: Volunteer) -> Participation:
    activity = _locked(activity)
    _require_runner(actor, activity)
    _require_open(activity)
    if Participation.objects.filter(activity=activity, volunteer=volunteer).exists():
        raise Conflict(f"志愿者{volunteer.name}已报名本活动", field="volunteer")
    return _join(activity, volunteer, timezone.now(), actor)


@transaction.atomic
def withdraw_sign_up(*, actor, participation: Participation) -> None:
    activity = _locked(participation.activity)
    _require_runner(actor, activity)
    if participation.checked_in_at:
        raise Conflict("已签到的记录不能取消报名（如有误请核定时长）", field="volunteer")
    record(actor=actor, verb="volunteers.sign_up_withdrawn", target=participation, unit=activity.unit)
    participation.delete()


def _do_check_in(activity: Activity, volunteer: Volunteer, at: datetime, actor, via: str) -> Participation:
    opens, closes = rules.check_in_window(activity.starts_at, activity.ends_at)
    if not opens <= at <= closes:
        local = timezone.localtime(opens)
        raise DomainError(f"不在签到时间内（{local:%m-%d %H:%M} 至活动结束）", field="checked_in_at")
    participation = Participation.objects.filter(activity=activity, volunteer=volunteer).first()
    if participation is None:
        participation = _join(activity, volunteer, at, actor)
    elif participation.checked_in_at:
        raise Conflict(f"志愿者{volunteer.name}已签到", field="volunteer")
    participation.checked_in_at, participation.check_in_via = at, via
    participation.save(update_fields=["checked_in_at", "check_in_via"])
    record(
        actor=actor,
        verb="volunteers.checked_in",
        target=participation,
        unit=activity.unit,
        changes={"via": [None, via]},
    )
    return participation


def _do_check_out(participation: Participation, at: datetime, actor) -> Participation:
    activity = participation.activity
    if not participation.checked_in_at:
        raise Conflict(f"志愿者{participation.volunteer.name}尚未签到，不能签退", field="volunteer")
    if participation.checked_out_at:
        raise Conflict(f"志愿者{participation.volunteer.name}已签退", field="volunteer")
    if at < participation.checked_in_at:
        raise DomainError("签退时间不能早于签到时间", field="checked_out_at")
    if at > rules.check_out_deadline(activity.ends_at):
        raise DomainError("已超过签退时限（活动结束后2小时），请由组织单位核定时长", field="checked_out_at")
    participation.checked_out_at = at
    participation.hours = rules.credited_hours(
        checked_in_at=participation.checked_in_at,
        checked_out_at=at,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        cap=activity.hours_cap,
    )
    participation.save(update_fields=["checked_out_at", "hours"])
    record(
        actor=actor,
        verb="volunteers.checked_out",
        target=participation,
        unit=activity.unit,
        changes={"hours": [None, str(participation.hours)]},
    )
    return participation


@transaction.atomic
def check_in(*, actor, activity: Activity, volunteer: Volunteer, at: datetime | None = None) -> Participation:
    """The organiser signs a volunteer in (signing them up first when they came without)."""
    activity = _locked(activity)
    _require_runner(actor, activity)
    _require_open(activity)
    return _do_check_in(activity, volunteer, at or timezone.now(), actor, CheckVia.ORGANISER)


@transaction.atomic
def check_out(*, actor, activity: Activity, volunteer: Volunteer, at: datetime | None = None) -> Participation:
    activity = _locked(activity)
    _require_runner(actor, activity)
    participation = (
        Participation.objects.filter(activity=activity, volunteer=volunteer).select_related("volunteer").first()
    )
    if participation is None:
        raise Conflict(f"志愿者{volunteer.name}未报名本活动", field="volunteer")
    participation.activity = activity
    return _do_check_out(participation, at or timezone.now(), actor)


@transaction.atomic
def self_check(*, code: str, phone: str, id_last4: str, at: datetime | None = None) -> tuple[Participation, str]:
    """The volunteer signs in (first use) or out (second use) with the activity's 签到码, their phone and the last
    four characters of their ID number. Returns the participation and ``"in"`` or ``"out"``."""
    at = at or timezone.now()
    code, phone, id_last4 = (code or "").strip(), (phone or "").strip(), (id_last4 or "").strip().upper()
    activity = Activity.objects.select_for_update(no_key=True).filter(code=code).first()
    if activity is None:
        raise NotFound("签到码不存在，请核对", field="code")
    _require_open(activity)
    if len(id_last4) != 4 or not phone or phone_is_masked(phone):
        raise DomainError("请填写手机号和身份证号后四位", field="phone")
    matches = list(Volunteer.objects.filter(phone=phone, id_masked__endswith=id_last4))
    if len(matches) != 1:
        raise DomainError("未找到匹配的志愿者：请核对手机号和身份证号后四位，或请组织者登记", field="phone")
    volunteer = matches[0]
    actor = f"志愿者{volunteer.name}（签到码）"
    participation = Participation.objects.filter(activity=activity, volunteer=volunteer).first()
    if participation is None or participation.checked_in_at is None:
        return _do_check_in(activity, volunteer, at, actor, CheckVia.CODE), "in"
    participation.activity = activity
    participation.volunteer = volunteer
    return _do_check_out(participation, at, actor), "out"


@transaction.atomic
def correct_hours(*, actor, participation: Participation, hours, reason: str) -> Participation:
    participation = (
        Participation.objects.select_for_update(no_key=True).select_related("activity").get(pk=participation.pk)
    )
    activity = participation.activity
    if not permissions.can_correct_hours(actor, activity):
        raise NotPermitted("只有创建办或组织单位负责人可以核定时长")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写核定理由", field="reason")
    try:
        value = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise DomainError("核定时长应为数字（小时）", field="hours") from None
    if value < 0 or value > rules.MAX_CORRECTED_HOURS:
        raise DomainError(f"核定时长应在0至{rules.MAX_CORRECTED_HOURS}小时之间", field="hours")
    old = participation.effective_hours
    participation.corrected_hours, participation.correction_reason = value, reason
    participation.corrected_by, participation.corrected_at = actor, timezone.now()
    participation.save(update_fields=["corrected_hours", "correction_reason", "corrected_by", "corrected_at"])
    record(
        actor=actor,
        verb="volunteers.hours_corrected",
        target=participation,
        unit=activity.unit,
        changes={"hours": [str(old), str(value)], "reason": [None, reason]},
    )
    return participation


@transaction.atomic
def close_activity(*, actor, activity: Activity) -> Activity:
    """End the activity: no more sign-ups or sign-ins; anyone signed in but not out keeps 0 hours until corrected."""
    activity = _locked(activity)
    _require_runner(actor, activity)
    _require_open(activity)
    activity.status = ActivityStatus.CLOSED
    activity.save(update_fields=["status"])
    missing = activity.participations.filter(checked_in_at__isnull=False, checked_out_at__isnull=True).count()
    record(
        actor=actor,
        verb="volunteers.activity_closed",
        target=activity,
        unit=activity.unit,
        changes={"status": [ActivityStatus.PLANNED, ActivityStatus.CLOSED], "without_sign_out": [None, missing]},
    )
    return activity


@transaction.atomic
def cancel_activity(*, actor, activity: Activity, reason: str) -> Activity:
    activity = _locked(activity)
    _require_runner(actor, activity)
    _require_open(activity)
    if not (reason or "").strip():
        raise DomainError("请填写取消原因", field="reason")
    if activity.participations.filter(checked_in_at__isnull=False).exists():
        raise Conflict("已有志愿者签到，不能取消活动（请结束活动）", field="activity")
    activity.status = ActivityStatus.CANCELLED
    activity.save(update_fields=["status"])
    record(
        actor=actor,
        verb="volunteers.activity_cancelled",
        target=activity,
        unit=activity.unit,
        changes={"status": [ActivityStatus.PLANNED, ActivityStatus.CANCELLED], "reason": [None, reason.strip()]},
    )
    return activity
