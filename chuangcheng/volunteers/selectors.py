"""Reads that need thought: hour totals per volunteer, team, unit and month; today's posts and their staffing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from chuangcheng.volunteers.models import Activity, Participation, Post, PostShift
from chuangcheng.volunteers.models.activities import at_day, effective_hours_expr

HOURS = models.DecimalField(max_digits=9, decimal_places=1)


def _hours(prefix: str = ""):
    return Coalesce(Sum(effective_hours_expr(prefix)), Value(Decimal(0)), output_field=HOURS)


def participations_for(user, *, month: date | None = None):
    rows = Participation.objects.visible_to(user).filter(checked_in_at__isnull=False)
    if month is not None:
        rows = rows.filter(activity__starts_at__year=month.year, activity__starts_at__month=month.month)
    return rows


def volunteers_with_hours(queryset):
    """Volunteers annotated with ``total_hours`` and ``activity_count`` (one query)."""
    return queryset.annotate(
        total_hours=_hours("participations__"),
        activity_count=Count("participations", filter=Q(participations__checked_in_at__isnull=False)),
    )


def totals_by_volunteer(user, *, month: date | None = None, limit: int = 100) -> list[dict]:
    rows = (
        participations_for(user, month=month)
        .values("volunteer_id", "volunteer__name", "volunteer__unit__name")
        .annotate(hours=_hours(), activities=Count("id"))
        .order_by("-hours", "volunteer__name")
    )
    return list(rows[:limit])


def totals_by_unit(user, *, month: date | None = None) -> list[dict]:
    """Per volunteer's unit (community, enterprise…)."""
    rows = (
        participations_for(user, month=month)
        .values("volunteer__unit_id", "volunteer__unit__name")
        .annotate(
            hours=_hours(), activities=Count("activity", distinct=True), volunteers=Count("volunteer", distinct=True)
        )
        .order_by("-hours", "volunteer__unit__name")
    )
    return list(rows)


def totals_by_team(user, *, month: date | None = None) -> list[dict]:
    """Per team: the hours of its members (a member of two teams counts in both)."""
    rows = (
        participations_for(user, month=month)
        .filter(volunteer__teams__isnull=False)
        .values("volunteer__teams__id", "volunteer__teams__name")
        .annotate(hours=_hours(), volunteers=Count("volunteer", distinct=True))
        .order_by("-hours", "volunteer__teams__name")
    )
    return list(rows)


def totals_by_month(user) -> list[dict]:
    rows = (
        participations_for(user)
        .annotate(month=TruncMonth("activity__starts_at"))
        .values("month")
        .annotate(
            hours=_hours(), activities=Count("activity", distinct=True), volunteers=Count("volunteer", distinct=True)
        )
        .order_by("-month")
    )
    return list(rows)


def activity_counts(activity: Activity) -> dict:
    return activity.participations.aggregate(
        signed_up=Count("id"),
        signed_in=Count("id", filter=Q(checked_in_at__isnull=False)),
        signed_out=Count("id", filter=Q(checked_out_at__isnull=False)),
        hours=_hours(),
    )


@dataclass
class ShiftToday:
    post: Post
    shift: PostShift
    activity: Activity | None
    signed_up: int
    signed_in: int

    @property
    def state(self) -> tuple[str, str]:
        """(label, badge colour)."""
        if self.signed_in >= self.shift.headcount:
            return "已到岗", "green"
        if self.signed_in:
            return "部分到岗", "yellow"
        if self.signed_up:
            return "已排班未签到", "yellow"
        return "未排班", "red"


def posts_today(user, day: date) -> list[ShiftToday]:
    """Every active post's shifts running on ``day`` with their activity and how many signed up and in (3 queries)."""
    posts = (
        Post.objects.visible_to(user).filter(is_active=True).select_related("unit", "site").prefetch_related("shifts")
    )
    shifts = [(post, shift) for post in posts for shift in post.shifts.all() if shift.runs_on(day)]
    starts = {at_day(day, shift.start_time) for _, shift in shifts}
    activities = {
        (a.shift_id, a.starts_at): a
        for a in Activity.objects.filter(shift__in=[s for _, s in shifts], starts_at__in=starts).annotate(
            n_up=Count("participations"),
            n_in=Count("participations", filter=Q(participations__checked_in_at__isnull=False)),
        )
    }
    result = []
    for post, shift in shifts:
        activity = activities.get((shift.pk, at_day(day, shift.start_time)))
        result.append(
            ShiftToday(
                post=post,
                shift=shift,
                activity=activity,
                signed_up=activity.n_up if activity else 0,
                signed_in=activity.n_in if activity else 0,
            )
        )
    return sorted(result, key=lambda row: (row.shift.start_time, row.post.name))
