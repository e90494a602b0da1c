"""Activities (志愿服务活动) with sign-up, sign-in/out and hours; posts (岗位) whose shifts are activities.

A post's schedule is a list of ``PostShift`` lines (weekdays, times, headcount). The shift of a given day
is an ordinary ``Activity`` (``post`` and ``shift`` set, created when it is first staffed), so staffing is a
sign-up and its sign-in a ``Participation`` like any other: hours and totals need no second path.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class ActivityKind(models.TextChoices):
    TRAFFIC = "traffic", "文明交通劝导"
    PERSUASION = "persuasion", "文明劝导"
    ENVIRONMENT = "environment", "环境整治"
    HEALTH_EDUCATION = "health_education", "健康教育"
    PATRIOTIC_HEALTH = "patriotic_health", "爱国卫生运动"
    OTHER = "other", "其他"


class PostKind(models.TextChoices):
    TRAFFIC = ActivityKind.TRAFFIC.value, ActivityKind.TRAFFIC.label
    PERSUASION = ActivityKind.PERSUASION.value, ActivityKind.PERSUASION.label


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "进行中"
    CLOSED = "closed", "已结束"
    CANCELLED = "cancelled", "已取消"


class Post(ScopedModelMixin, models.Model):
    """A 文明交通/文明劝导 post at an intersection or a site."""

    name = models.CharField("岗位名称", max_length=100)
    kind = models.CharField("岗位类型", max_length=20, choices=PostKind.choices)
    unit = models.ForeignKey("org.Unit", verbose_name="责任单位", related_name="+", on_delete=models.PROTECT)
    location = models.CharField("路口/位置", max_length=200, blank=True)
    site = models.ForeignKey(
        "places.Site", verbose_name="点位", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    area = models.ForeignKey(
        "places.Area", verbose_name="区域", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "志愿服务岗位"
        verbose_name_plural = "志愿服务岗位"
        ordering = ("unit__path", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("unit", "name"), name="post_name_per_unit", violation_error_message="该单位已有同名岗位"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PostShift(models.Model):
    """One line of a post's schedule: on these ISO weekdays (``"12345"`` = Monday to Friday), from–to."""

    post = models.ForeignKey(Post, verbose_name="岗位", related_name="shifts", on_delete=models.CASCADE)
    weekdays = models.CharField("上岗日", max_length=7, default="12345")
    start_time = models.TimeField("开始时间")
    end_time = models.TimeField("结束时间")
    headcount = models.PositiveSmallIntegerField("每班人数", default=2)

    class Meta:
        verbose_name = "岗位班次"
        verbose_name_plural = "岗位班次"
        ordering = ("post", "start_time")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="post_shift_ends_after_start",
                violation_error_message="结束时间须晚于开始时间",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post.name} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def runs_on(self, day) -> bool:
        return str(day.isoweekday()) in self.weekdays

    @property
    def weekdays_label(self) -> str:
        names = "一二三四五六日"
        return "、".join(f"周{names[int(d) - 1]}" for d in self.weekdays)


class Activity(ScopedModelMixin, models.Model):
    title = models.CharField("活动名称", max_length=200)
    kind = models.CharField("活动类型", max_length=20, choices=ActivityKind.choices)
    unit = models.ForeignKey("org.Unit", verbose_name="组织单位", related_name="+", on_delete=models.PROTECT)
    area = models.ForeignKey(
        "places.Area", verbose_name="区域", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    site = models.ForeignKey(
        "places.Site", verbose_name="点位", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    place = models.CharField("地点", max_length=200, blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    planned_headcount = models.PositiveIntegerField("计划人数", null=True, blank=True, help_text="不填为不限")
    hours_cap = models.DecimalField("单人时长上限（小时）", max_digits=4, decimal_places=1)
    code = models.CharField("签到码", max_length=6, unique=True)
    status = models.CharField("状态", max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED)
    description = models.TextField("活动内容", blank=True)
    post = models.ForeignKey(
        Post, verbose_name="岗位", null=True, blank=True, related_name="activities", on_delete=models.PROTECT
    )
    shift = models.ForeignKey(
        PostShift, verbose_name="班次", null=True, blank=True, related_name="activities", on_delete=models.PROTECT
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "志愿服务活动"
        verbose_name_plural = "志愿服务活动"
        ordering = ("-starts_at", "-id")
        indexes = [models.Index(fields=("starts_at",))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_ends_after_start",
                violation_error_message="结束时间须晚于开始时间",
            ),
            models.UniqueConstraint(
                fields=("shift", "starts_at"),
                condition=Q(shift__isnull=False),
                name="activity_one_per_shift_and_day",
                violation_error_message="该班次当天已排班",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def window_label(self) -> str:
        start, end = self.starts_at, self.ends_at
        from django.utils import timezone

        start, end = timezone.localtime(start), timezone.localtime(end)
        same_day = start.date() == end.date()
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}" if same_day else f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"


class CheckVia(models.TextChoices):
    ORGANISER = "organiser", "组织者登记"
    CODE = "code", "签到码自助"


class Participation(ScopedModelMixin, models.Model):
    """A volunteer's sign-up to an activity, their sign-in and sign-out, and the hours credited."""

    activity = models.ForeignKey(Activity, verbose_name="活动", related_name="participations", on_delete=models.CASCADE)
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", verbose_name="志愿者", related_name="participations", on_delete=models.PROTECT
    )
    signed_up_at = models.DateTimeField("报名时间")
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    checked_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    check_in_via = models.CharField("签到方式", max_length=10, choices=CheckVia.choices, blank=True)
    hours = models.DecimalField("计算时长（小时）", max_digits=5, decimal_places=1, default=0)
    corrected_hours = models.DecimalField("核定时长（小时）", max_digits=5, decimal_places=1, null=True, blank=True)
    correction_reason = models.CharField("核定理由", max_length=300, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核定人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    corrected_at = models.DateTimeField("核定时间", null=True, blank=True)

    objects = ScopedManager()

    SCOPE_FIELDS = ("activity__unit", "volunteer__unit")

    class Meta:
        verbose_name = "参与记录"
        verbose_name_plural = "参与记录"
        ordering = ("activity", "signed_up_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("activity", "volunteer"),
                name="participation_once_per_activity",
                violation_error_message="该志愿者已报名本活动",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.activity}"

    @property
    def effective_hours(self):
        return self.corrected_hours if self.corrected_hours is not None else self.hours

    @property
    def state_label(self) -> str:
        if self.checked_out_at:
            return "已签退"
        if self.checked_in_at:
            return "已签到"
        return "已报名"


def effective_hours_expr(prefix: str = ""):
    """The credited hours of a participation (the correction when there is one), for aggregates."""
    return Coalesce(F(f"{prefix}corrected_hours"), F(f"{prefix}hours"))


def at_day(day, clock) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, clock))
