"""What residents say back: a rating of how a closed problem was handled (满意/基本满意/不满意), the office's
callback (回访) when they are not satisfied, praise (表扬) of a unit or a worker, and points for accepted reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class RatingLevel(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class HandlingRating(ScopedModelMixin, models.Model):
    """A resident's rating of one closure of their report (number + follow code). A disputed and closed
    again problem can be rated again: the rating belongs to the closed case."""

    report = models.ForeignKey("public.Report", verbose_name="随手拍", related_name="ratings", on_delete=models.CASCADE)
    case = models.ForeignKey("cases.Case", verbose_name="办结案卷", related_name="+", on_delete=models.PROTECT)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="办理单位", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    level = models.CharField("评价", max_length=12, choices=RatingLevel.choices)
    reason = models.CharField("评价理由", max_length=500, blank=True)
    address_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField("评价时间", auto_now_add=True)

    objects = ScopedManager()

    SCOPE_FIELDS = ("unit", "report__unit")

    class Meta:
        verbose_name = "办理评价"
        verbose_name_plural = "办理评价"
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("report", "case"), name="rating_once_per_closure", violation_error_message="该次办结已评价过"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_level_display()}"


class CallbackStatus(models.TextChoices):
    OPEN = "open", "待回访"
    DONE = "done", "已回访"


class CallbackOutcome(models.TextChoices):
    EXPLAINED = "explained", "已沟通说明，群众认可"
    STILL_UNSATISFIED = "unsatisfied", "沟通后仍不满意"
    UNREACHABLE = "unreachable", "无法联系"


class CallbackTask(ScopedModelMixin, models.Model):
    """回访: the office calls back a resident who was not satisfied with the handling."""

    rating = models.OneToOneField(
        HandlingRating, verbose_name="办理评价", related_name="callback", on_delete=models.CASCADE
    )
    report = models.ForeignKey(
        "public.Report", verbose_name="随手拍", related_name="callbacks", on_delete=models.CASCADE
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="办理单位", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    status = models.CharField("状态", max_length=8, choices=CallbackStatus.choices, default=CallbackStatus.OPEN)
    outcome = models.CharField("回访结果", max_length=12, choices=CallbackOutcome.choices, blank=True)
    note = models.CharField("回访记录", max_length=1000, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回访人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    done_at = models.DateTimeField("回访时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    objects = ScopedManager()

    SCOPE_FIELDS = ("unit", "report__unit")

    class Meta:
        verbose_name = "回访任务"
        verbose_name_plural = "回访任务"
        ordering = ("status", "created_at", "id")
        indexes = [models.Index(fields=("status", "created_at"), name="callback_status_idx")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_status_display()}"


class PraiseStatus(models.TextChoices):
    NEW = "new", "待处理"
    FORWARDED = "forwarded", "已转达"
    DISMISSED = "dismissed", "不予采纳"


class Praise(ScopedModelMixin, models.Model):
    """表扬: a resident thanks a unit (and optionally a named worker). The office forwards it to the unit."""

    unit = models.ForeignKey("org.Unit", verbose_name="表扬单位", related_name="+", on_delete=models.PROTECT)
    worker = models.CharField("表扬人员（姓名或工号）", max_length=50, blank=True)
    report = models.ForeignKey(
        "public.Report",
        verbose_name="相关随手拍",
        null=True,
        blank=True,
        related_name="praises",
        on_delete=models.SET_NULL,
    )
    message = models.CharField("表扬内容", max_length=1000)
    name = models.CharField("称呼", max_length=50, blank=True)
    address_hash = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=PraiseStatus.choices, default=PraiseStatus.NEW)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "市民表扬"
        verbose_name_plural = "市民表扬"
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.unit_id} 表扬"


class PointsEntry(models.Model):
    """Points a resident (known only by the keyed hash of their phone) earns for an accepted report. ``day`` is
    the local date the points count against the daily cap; a report earns points once."""

    phone_hash = models.CharField(max_length=64, db_index=True, editable=False)
    report = models.OneToOneField(
        "public.Report", verbose_name="随手拍", related_name="points_entry", on_delete=models.CASCADE
    )
    points = models.PositiveSmallIntegerField("积分")
    capped = models.BooleanField("超出每日上限", default=False)
    day = models.DateField("计分日期")
    created_at = models.DateTimeField("记分时间", auto_now_add=True)

    class Meta:
        verbose_name = "市民积分"
        verbose_name_plural = "市民积分"
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("phone_hash", "day"), name="points_phone_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(capped=False) | Q(points=0),
                name="points_capped_zero",
                violation_error_message="超出上限的积分应为0",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} +{self.points}"
