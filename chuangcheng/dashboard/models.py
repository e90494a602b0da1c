"""Pre-aggregated case figures for the command centre, refreshed by ``services.refresh_dashboard``.

Derived data only: every row can be rebuilt from ``cases.Case`` and ``cases.CaseTransition``.
``unit`` is the case's lead unit (NULL: not yet routed, seen by the office only).
"""

from django.db import models

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class UnitCaseStat(ScopedModelMixin, models.Model):
    """Current state per lead unit."""

    unit = models.OneToOneField(
        "org.Unit", verbose_name="牵头单位", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    open = models.PositiveIntegerField("未办结", default=0)
    overdue = models.PositiveIntegerField("已超期", default=0)
    deferred = models.PositiveIntegerField("挂账", default=0)
    submitted = models.PositiveIntegerField("待核查", default=0)
    closed_total = models.PositiveIntegerField("累计办结", default=0)
    closed_on_time = models.PositiveIntegerField("按期办结", default=0)
    sendbacks_total = models.PositiveIntegerField("累计返工", default=0)
    rebounds_total = models.PositiveIntegerField("累计反弹", default=0)
    refreshed_at = models.DateTimeField("汇总时间")

    objects = ScopedManager()

    class Meta:
        verbose_name = "单位问题汇总"
        verbose_name_plural = "单位问题汇总"


class DailyCaseStat(ScopedModelMixin, models.Model):
    """Flows per day and lead unit: reported (with how far that day's cases got), closed, send-backs."""

    day = models.DateField("日期")
    unit = models.ForeignKey(
        "org.Unit", verbose_name="牵头单位", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    reported = models.PositiveIntegerField("上报", default=0)
    registered = models.PositiveIntegerField("当日上报中已立案", default=0)
    dispatched = models.PositiveIntegerField("当日上报中已派遣", default=0)
    resolved = models.PositiveIntegerField("当日上报中已办结", default=0)
    rebounds = models.PositiveIntegerField("反弹", default=0)
    closed = models.PositiveIntegerField("办结", default=0)
    closed_on_time = models.PositiveIntegerField("按期办结", default=0)
    sendbacks = models.PositiveIntegerField("返工", default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = "每日问题汇总"
        verbose_name_plural = "每日问题汇总"
        constraints = [models.UniqueConstraint(fields=("day", "unit"), name="daily_case_stat_unique")]
        indexes = [models.Index(fields=("day", "unit"), name="daily_stat_day_unit_idx")]


class AreaCaseStat(ScopedModelMixin, models.Model):
    """Open problems per area (the smallest area a case lies in), for the map."""

    area = models.OneToOneField("places.Area", verbose_name="区域", related_name="+", on_delete=models.CASCADE)
    open = models.PositiveIntegerField("未办结", default=0)
    overdue = models.PositiveIntegerField("已超期", default=0)
    refreshed_at = models.DateTimeField("汇总时间")

    objects = ScopedManager()

    SCOPE_FIELDS = ("area__unit",)

    class Meta:
        verbose_name = "区域问题汇总"
        verbose_name_plural = "区域问题汇总"
