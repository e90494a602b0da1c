"""Archive materials (档案资料): which unit owes which requirement, the files, and their two-stage review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class MaterialAssignment(ScopedModelMixin, models.Model):
    """A unit owes the material of a requirement for every year under review (材料责任分解)."""

    requirement = models.ForeignKey(
        "standards.MaterialRequirement", verbose_name="资料要求", related_name="assignments", on_delete=models.CASCADE
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="责任单位", related_name="material_assignments", on_delete=models.CASCADE
    )
    campaign = models.ForeignKey(
        "programs.Campaign",
        verbose_name="创建活动",
        null=True,
        blank=True,
        related_name="material_assignments",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "资料责任分解"
        verbose_name_plural = "资料责任分解"
        ordering = ("requirement_id", "unit_id")
        constraints = [
            models.UniqueConstraint(
                fields=("requirement", "unit"),
                name="material_assignment_unique",
                violation_error_message="该单位已承担此项资料",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.requirement}"


class MaterialStatus(models.TextChoices):
    SUBMITTED = "submitted", "待一审"
    FIRST_PASSED = "first_passed", "待二审"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


PENDING_STATUSES = (MaterialStatus.SUBMITTED, MaterialStatus.FIRST_PASSED)


class Material(ScopedModelMixin, models.Model):
    """One file a unit submits for a requirement and a year, checked by content and hashed."""

    requirement = models.ForeignKey(
        "standards.MaterialRequirement", verbose_name="资料要求", related_name="materials", on_delete=models.PROTECT
    )
    unit = models.ForeignKey("org.Unit", verbose_name="报送单位", related_name="materials", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("资料标题", max_length=200)
    file = models.FileField("文件", upload_to="dossiers/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    kind = models.CharField("文件类型", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    status = models.CharField("状态", max_length=12, choices=MaterialStatus.choices, default=MaterialStatus.SUBMITTED)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField("上传时间")
    first_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="一审人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    first_reviewed_at = models.DateTimeField("一审时间", null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reason = models.TextField("退回原因", blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "档案资料"
        verbose_name_plural = "档案资料"
        ordering = ("-uploaded_at", "-id")
        indexes = [
            models.Index(fields=("status", "year", "unit", "requirement"), name="material_matrix_idx"),
            models.Index(fields=("unit", "year"), name="material_unit_year_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(reason=""),
                name="material_returned_has_reason",
                violation_error_message="退回须填写原因",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def stage_label(self) -> str:
        return {"submitted": "一审", "first_passed": "二审"}.get(self.status, "")


class ReviewStage(models.TextChoices):
    FIRST = "first", "一审"
    SECOND = "second", "二审"


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", "通过"
    RETURN = "return", "退回"


class MaterialReview(models.Model):
    """Every review decision, kept after resubmission so a returned file's history stays visible."""

    material = models.ForeignKey(Material, verbose_name="资料", related_name="reviews", on_delete=models.CASCADE)
    stage = models.CharField("审核阶段", max_length=8, choices=ReviewStage.choices)
    decision = models.CharField("结论", max_length=8, choices=ReviewDecision.choices)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    reason = models.TextField("意见", blank=True)
    sha256 = models.CharField("所审文件SHA-256", max_length=64)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "资料审核记录"
        verbose_name_plural = "资料审核记录"
        ordering = ("at", "id")


class CompletenessSummary(ScopedModelMixin, models.Model):
    """Pre-aggregated completeness of one clause for one unit (kept by ``dossiers.completeness``).

    ``required``: requirements of the clause the unit owes every year (no 年限). ``counts``: a flat list
    of integer quadruples ``[year, span, first, second, ...]``: with ``year`` 0, ``first`` requirements kept
    only ``span`` years are owed; otherwise ``first`` / ``second`` requirements of that span (0: no 年限)
    have at least one live (not returned) / approved file for ``year``. Which spans count for a year is
    decided when the matrix is read (``completeness.applies``). One row per clause and unit keeps the
    matrix read to a single plain query.
    """

    standard = models.ForeignKey("standards.Standard", related_name="+", on_delete=models.CASCADE)
    clause = models.ForeignKey("standards.Clause", null=True, related_name="+", on_delete=models.CASCADE)
    unit = models.ForeignKey("org.Unit", related_name="+", on_delete=models.CASCADE)
    required = models.PositiveIntegerField()
    counts = models.JSONField(default=list)

    objects = ScopedManager()

    class Meta:
        verbose_name = "资料完整度（汇总）"
        verbose_name_plural = "资料完整度（汇总）"
        indexes = [models.Index(fields=("unit", "standard"), name="completeness_unit_std_idx")]
