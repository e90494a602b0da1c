"""Inspection windows (迎检窗口) and stored forecast runs (迎检预测)."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin, owned_q

READINESS_ROLES = ("office_admin", "office_staff", "leader")


class WindowKind(models.TextChoices):
    NATIONAL_UNDERCOVER = "national_undercover", "国家暗访"
    TECHNICAL_EVALUATION = "technical_evaluation", "技术评估"
    PROVINCIAL = "provincial", "省级暗访/复核"
    CIVILIZED_CITY = "civilized_city", "文明城市测评"


class ReadinessScopeMixin(ScopedModelMixin):
    """City-wide readiness data: visible to the office and leaders, to nobody else."""

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        """Runs owned at the user's level or below (campaign unit, else the creator's office) — never a
        sibling's or a higher level's; runs without owner (older data) stay visible to the office and leaders."""
        if not scope.has_role(*READINESS_ROLES):
            return Q(pk__in=[])
        return owned_q(scope, scope.unit_ids) | Q(campaign__isnull=True, created_by__isnull=True)


class InspectionWindow(models.Model):
    """When an evaluation is expected: the countdown runs to ``earliest`` (then to ``latest``)."""

    kind = models.CharField("类型", max_length=30, choices=WindowKind.choices)
    title = models.CharField("名称", max_length=120, blank=True)
    campaign = models.ForeignKey(
        "programs.Campaign",
        verbose_name="创建活动",
        null=True,
        blank=True,
        related_name="windows",
        on_delete=models.PROTECT,
    )
    earliest = models.DateField("最早预计日期")
    latest = models.DateField("最晚预计日期")
    note = models.TextField("说明", blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "迎检窗口"
        verbose_name_plural = "迎检窗口"
        ordering = ("earliest", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(latest__gte=F("earliest")),
                name="window_latest_after_earliest",
                violation_error_message="最晚日期不能早于最早日期",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    # Windows are no secret: everyone with a role may see the countdown.
    @classmethod
    def scope_q(cls, scope, user) -> Q:
        """The countdown of the user's own campaigns, those above them and below them (not a sibling's)."""
        if not scope.roles:
            return Q(pk__in=[])
        from chuangcheng.programs.models import Campaign

        visible = Campaign.objects.filter(Campaign.scope_q(scope, user)).values("pk")
        return Q(campaign__isnull=True) | Q(campaign__in=visible)


class ForecastRun(ReadinessScopeMixin, models.Model):
    """One stored simulation: seed, parameters and results, so it can be reproduced and compared."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    window = models.ForeignKey(
        InspectionWindow, verbose_name="迎检窗口", null=True, blank=True, related_name="runs", on_delete=models.SET_NULL
    )
    baseline = models.ForeignKey(
        "self", verbose_name="基准预测", null=True, blank=True, related_name="what_ifs", on_delete=models.CASCADE
    )
    seed = models.BigIntegerField("随机种子")
    runs = models.PositiveIntegerField("模拟次数")
    campaign = models.ForeignKey(
        "programs.Campaign",
        verbose_name="创建活动",
        null=True,
        blank=True,
        related_name="forecasts",
        on_delete=models.PROTECT,
    )
    parameters = models.JSONField("参数", default=dict)
    results = models.JSONField("结果", default=dict)
    p_pass = models.FloatField("通过概率")
    mean_score = models.FloatField("期望得分")
    duration_ms = models.PositiveIntegerField("耗时（毫秒）", default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = "迎检预测"
        verbose_name_plural = "迎检预测"
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("baseline", "-created_at"))]

    def __str__(self) -> str:
        return f"预测 #{self.pk}"

    @property
    def is_what_if(self) -> bool:
        return self.baseline_id is not None

    @cached_property
    def coverage(self):
        """How many of the evaluation's place categories this run could sample (``readiness.coverage``)."""
        from chuangcheng.readiness.coverage import coverage_of

        return coverage_of(self.results)


# 未成年人思想道德建设测评: facts (standards.md §4): 百分制, 低于85分不能申报, 按20%计入总分. The total formula
# (文明城市测评 × 80% + 未成年人测评 × 20%) is only inferred from that (⚠): shown as 待核实, never as official.
MINORS_THRESHOLD = 85
MINORS_WEIGHT_PERCENT = 20


class MinorsSource(models.TextChoices):
    OFFICIAL = "official", "测评结果（录入）"
    SIMULATED = "simulated", "模拟测评"


class MinorsResult(ReadinessScopeMixin, models.Model):
    """One 未成年人思想道德建设测评 result of a 文明创建 campaign for a year: recorded from the official feedback, or
    simulated (the expected 得分率 of a forecast run on the minors standard). Carries the threshold and the weight
    in the total the office applies (defaults from the facts, editable)."""

    campaign = models.ForeignKey(
        "programs.Campaign", verbose_name="创建活动", related_name="minors_results", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField("年度")
    source = models.CharField("来源", max_length=12, choices=MinorsSource.choices, default=MinorsSource.OFFICIAL)
    score = models.DecimalField("得分（百分制）", max_digits=5, decimal_places=2)
    threshold = models.DecimalField("申报门槛（分）", max_digits=5, decimal_places=2, default=MINORS_THRESHOLD)
    weight_percent = models.DecimalField(
        "计入总分权重（%）", max_digits=5, decimal_places=2, default=MINORS_WEIGHT_PERCENT
    )
    standard = models.ForeignKey(
        "standards.Standard", verbose_name="测评标准", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    run = models.ForeignKey(
        ForecastRun, verbose_name="模拟预测", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "未成年人测评结果"
        verbose_name_plural = "未成年人测评结果"
        ordering = ("-year", "source", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("campaign", "year", "source"),
                name="minors_result_one_per_year_source",
                violation_error_message="该活动本年度已有同一来源的未成年人测评结果",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100)
                & Q(threshold__gte=0, threshold__lte=100)
                & Q(weight_percent__gte=0, weight_percent__lte=100),
                name="minors_result_percent_ranges",
                violation_error_message="得分、门槛和权重须在 0 到 100 之间",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年未成年人测评（{self.get_source_display()}）"

    @property
    def meets_threshold(self) -> bool:
        return self.score >= self.threshold
