"""Indicator reports: a responsible unit's value per period, its judgement and evidence files."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin
from chuangcheng.standards.models.rubric import Compliance, Indicator


class IndicatorReport(ScopedModelMixin, models.Model):
    """A responsible unit's value for an indicator in one period, with evidence files."""

    indicator = models.ForeignKey(Indicator, verbose_name="指标", related_name="reports", on_delete=models.PROTECT)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="填报单位", related_name="indicator_reports", on_delete=models.PROTECT
    )
    period = models.CharField("期间", max_length=10, help_text="年度 2025，半年 2025-H1，季度 2025-Q1，月度 2025-03")
    value = models.DecimalField("数值", max_digits=14, decimal_places=4, null=True, blank=True)
    value_text = models.CharField("数值（文字/等级）", max_length=60, blank=True)
    note = models.TextField("说明", blank=True)
    compliance = models.CharField("判定", max_length=20, choices=Compliance.choices, default=Compliance.UNKNOWN)
    compliance_reason = models.CharField("判定依据", max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    reported_at = models.DateTimeField("填报时间", auto_now_add=True)
    # For indicators judged by a person (operator "manual"): the office's verdict on this value.
    manual_verdict = models.CharField(
        "人工判定",
        max_length=10,
        blank=True,
        choices=[(Compliance.PASS, "达标"), (Compliance.FAIL, "未达标")],
    )
    manual_reason = models.CharField("人工判定依据", max_length=300, blank=True)
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="判定人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    judged_at = models.DateTimeField("判定时间", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "指标填报"
        verbose_name_plural = "指标填报"
        ordering = ("indicator", "unit", "period")
        constraints = [
            models.UniqueConstraint(
                fields=("indicator", "unit", "period"),
                name="indicator_report_unique",
                violation_error_message="该单位本期已填报此指标",
            )
        ]
        indexes = [models.Index(fields=("unit", "period"))]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.unit} · {self.period}"


class IndicatorEvidence(ScopedModelMixin, models.Model):
    report = models.ForeignKey(IndicatorReport, verbose_name="填报", related_name="evidence", on_delete=models.CASCADE)
    file = models.FileField("佐证材料", upload_to="standards/evidence/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedManager()

    SCOPE_FIELDS = ("report__unit",)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ("report", "id")

    def __str__(self) -> str:
        return self.name
