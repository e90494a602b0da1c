"""Posts (岗位) and their schedules; a shift of a given day is an ``Activity`` (created when first staffed), so
staffing is a sign-up and its sign-in the activity's sign-in."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time

from django.db import transaction

from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError
from chuangcheng.volunteers.models import Activity, Post, PostKind, PostShift, Volunteer
from chuangcheng.volunteers.models.activities import at_day
from chuangcheng.volunteers.services.activities import create_activity, sign_up
from chuangcheng.volunteers.services.registry import require_unit


@transaction.atomic
def create_post(
    *, actor, name: str, kind: str, unit, location: str = "", site=None, area=None, is_demo: bool = False
) -> Post:
    require_unit(actor, unit)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写岗位名称", field="name")
    if kind not in PostKind.values:
        raise DomainError("岗位类型应为文明交通劝导或文明劝导", field="kind")
    if Post.objects.filter(unit=unit, name=name).exists():
        raise DomainError("岗位名称：该单位已有同名岗位", field="name")
    post = Post.objects.create(
        name=name, kind=kind, unit=unit, location=location.strip(), site=site, area=area, is_demo=is_demo
    )
    record(actor=actor, verb="volunteers.post_created", target=post, unit=unit)
    return post


@transaction.atomic
def add_post_shift(
    *, actor, post: Post, start_time: time, end_time: time, weekdays: str = "12345", headcount: int = 2
) -> PostShift:
    require_unit(actor, post.unit)
    weekdays = "".join(sorted(set(re.sub(r"\s|,|，", "", weekdays or ""))))
    if not weekdays or not re.fullmatch(r"[1-7]+", weekdays):
        raise DomainError("上岗日应为1至7的数字（1为周一，如 12345 为周一至周五）", field="weekdays")
    if not start_time or not end_time or end_time <= start_time:
        raise DomainError("结束时间须晚于开始时间", field="end_time")
    if headcount is None or headcount < 1:
        raise DomainError("每班人数至少为1人", field="headcount")
    shift = PostShift.objects.create(
        post=post, weekdays=weekdays, start_time=start_time, end_time=end_time, headcount=headcount
    )
    record(
        actor=actor,
        verb="volunteers.post_shift_added",
        target=post,
        unit=post.unit,
        changes={"shift": [None, f"{weekdays} {start_time:%H:%M}-{end_time:%H:%M} × {headcount}"]},
    )
    return shift


@transaction.atomic
def shift_activity(*, actor, shift: PostShift, day: date, code: str = "") -> Activity:
    """The activity of ``shift`` on ``day`` (created on first use; idempotent)."""
    post = shift.post
    require_unit(actor, post.unit)
    if not post.is_active:
        raise DomainError("岗位已停用", field="shift")
    if not shift.runs_on(day):
        raise DomainError(f"该班次{day:%Y-%m-%d}不上岗（上岗日：{shift.weekdays_label}）", field="day")
    starts_at = at_day(day, shift.start_time)
    existing = Activity.objects.filter(shift=shift, starts_at=starts_at).first()
    if existing:
        return existing
    return create_activity(
        actor=actor,
        title=f"{post.name} {shift.start_time:%H:%M}–{shift.end_time:%H:%M}",
        kind=post.kind,
        unit=post.unit,
        starts_at=starts_at,
        ends_at=at_day(day, shift.end_time),
        planned_headcount=shift.headcount,
        area=post.area,
        site=post.site,
        place=post.location,
        post=post,
        shift=shift,
        code=code,
        is_demo=post.is_demo,
    )


@transaction.atomic
def staff_shift(*, actor, shift: PostShift, day: date, volunteers: Iterable[Volunteer]) -> Activity:
    """Put volunteers on the shift of ``day`` (sign-ups on its activity); those already on it are skipped."""
    activity = shift_activity(actor=actor, shift=shift, day=day)
    already = set(activity.participations.values_list("volunteer_id", flat=True))
    for volunteer in volunteers:
        if volunteer.pk not in already:
            sign_up(actor=actor, activity=activity, volunteer=volunteer)
    return activity
