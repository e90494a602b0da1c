"""Rubrics: standards (versioned), their clause tree, check items, indicators and reports.

A standard is reference data visible to every signed-in user. A *published*
version is immutable: services refuse edits, and ``save()``/``delete()`` on the
tree of a published standard raise ``DomainError`` (a cheap model-layer guard;
``QuerySet.update`` bypasses it, which only services may use). Unknown values
(points, thresholds, samples) are NULL and shown as “待核实”; illustrative values
carry ``is_sample`` and are shown as “示例”.
"""

from __future__ import annotations

from django.db import models

from chuangcheng.core.errors import DomainError

UNKNOWN = "待核实"
SAMPLE = "示例"


class StandardKind(models.TextChoices):
    SANITARY_CITY = "sanitary_city", "国家卫生城市"
    CIVILIZED_CITY = "civilized_city", "全国文明城市"
    PROVINCIAL_COUNTY = "provincial_county", "省级卫生县城"
    SANITARY_REVIEW = "sanitary_review", "国家卫生城市评审"
    DIGITAL_CITY = "digital_city", "数字化城市管理"
    HOTLINE = "hotline", "12345热线"
    MINORS = "minors", "未成年人思想道德建设测评"
    LOCAL = "local", "地方标准"


class StandardStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class Severity(models.TextChoices):
    MINOR = "minor", "轻微"
    NORMAL = "normal", "一般"
    SERIOUS = "serious", "严重"


class Judgement(models.TextChoices):
    DEDUCT = "deduct", "扣分"
    PASS_FAIL = "pass_fail", "达标/不达标"
    OBSERVE = "observe", "观察计分（分值×达标率）"


class ClauseLevel(models.TextChoices):
    SECTION = "section", "大类"
    ARTICLE = "article", "条"
    ITEM = "item", "款/要点"


class Operator(models.TextChoices):
    GTE = ">=", "≥"
    GT = ">", "＞"
    LTE = "<=", "≤"
    LT = "<", "＜"
    EQ = "==", "＝"
    TREND_DOWN = "trend_down", "逐年下降/持续降低"
    TREND_UP = "trend_up", "逐年提高"
    LTE_RECENT_AVG = "lte_recent_avg", "不高于近年平均水平"
    LEVEL = "level", "达到等级"
    MANUAL = "manual", "人工判定"
    UNKNOWN = "", "待核实"


class TrendAlternative(models.TextChoices):
    NONE = "", "无"
    DOWN = "down", "或持续降低"
    UP = "up", "或逐年提高"


class PeriodKind(models.TextChoices):
    YEAR = "year", "年度"
    HALF = "half", "半年"
    QUARTER = "quarter", "季度"
    MONTH = "month", "月度"


class Compliance(models.TextChoices):
    PASS = "pass", "达标"
    FAIL = "fail", "未达标"
    UNKNOWN = "unknown", "待核实"
    INSUFFICIENT = "insufficient", "数据不足"
    MANUAL = "manual", "待人工判定"


class Standard(models.Model):
    kind = models.CharField("类型", max_length=30, choices=StandardKind.choices)
    code = models.CharField("编码", max_length=60)
    name = models.CharField("名称", max_length=200)
    version = models.CharField("版本", max_length=40)
    status = models.CharField("状态", max_length=20, choices=StandardStatus.choices, default=StandardStatus.DRAFT)
    effective_date = models.DateField("施行日期", null=True, blank=True)
    issued_by = models.CharField("发布机关/文号", max_length=300, blank=True)
    description = models.TextField("说明", blank=True)
    source = models.TextField("来源", blank=True)
    uncertain = models.BooleanField("待核实", default=False)
    based_on = models.ForeignKey(
        "self", verbose_name="起草自", null=True, blank=True, related_name="drafts", on_delete=models.SET_NULL
    )
    is_builtin = models.BooleanField("内置", default=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "标准"
        verbose_name_plural = "标准"
        ordering = ("kind", "-effective_date", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("code", "version"),
                name="standard_code_version_unique",
                violation_error_message="该标准版本已存在",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"

    def save(self, *args, **kwargs):
        if self._stored_status() == StandardStatus.PUBLISHED and not getattr(self, "_allow_published_save", False):
            raise DomainError("已发布的标准版本不可修改，请基于它新建草稿", field="status")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_status() == StandardStatus.PUBLISHED:
            raise DomainError("已发布的标准版本不可删除", field="status")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == StandardStatus.PUBLISHED

    def _stored_status(self) -> str | None:
        if not self.pk:
            return None
        return Standard.objects.filter(pk=self.pk).values_list("status", flat=True).first()


class ImmutableWhenPublished(models.Model):
    """Refuses ``save()``/``delete()`` when the owning standard is published."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard()
        return super().delete(*args, **kwargs)

    def _guard(self) -> None:
        status = Standard.objects.filter(pk=self.standard_id).values_list("status", flat=True).first()
        if status == StandardStatus.PUBLISHED and not getattr(self, "_allow_published_save", False):
            raise DomainError("已发布的标准版本不可修改，请基于它新建草稿")


class Clause(ImmutableWhenPublished):
    """A node of the clause tree: section (大类) → article (条) → item (要点).

    ``section`` points at the top-level section clause (NULL for sections and for
    articles whose section is not known from the facts).
    """

    standard = models.ForeignKey(Standard, verbose_name="标准", related_name="clauses", on_delete=models.CASCADE)
    parent = models.ForeignKey(
        "self", verbose_name="上级条款", null=True, blank=True, related_name="children", on_delete=models.CASCADE
    )
    section = models.ForeignKey(
        "self",
        verbose_name="所属大类",
        null=True,
        blank=True,
        related_name="section_clauses",
        on_delete=models.SET_NULL,
    )
    level = models.CharField("层级", max_length=10, choices=ClauseLevel.choices, default=ClauseLevel.ARTICLE)
    number = models.CharField("条款编号", max_length=40)
    title = models.CharField("条款", max_length=200)
    text = models.TextField("内容", blank=True)
    sort_order = models.IntegerField("排序", default=0)
    source = models.TextField("来源", blank=True)
    uncertain = models.BooleanField("待核实", default=False)
    full_points = models.DecimalField("分值", max_digits=7, decimal_places=2, null=True, blank=True)
    methods = models.CharField("测评方法", max_length=120, blank=True, help_text="测评方法编码，以逗号分隔")

    class Meta:
        verbose_name = "条款"
        verbose_name_plural = "条款"
        ordering = ("standard", "sort_order", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("standard", "number"), name="clause_number_unique", violation_error_message="条款编号重复"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CheckItem(ImmutableWhenPublished):
    """A check item / deduction item (检查项/扣分项). ``points`` NULL = 待核实."""

    standard = models.ForeignKey(Standard, verbose_name="标准", related_name="check_items", on_delete=models.CASCADE)
    clause = models.ForeignKey(
        Clause, verbose_name="条款", null=True, blank=True, related_name="check_items", on_delete=models.CASCADE
    )
    code = models.CharField("检查项编码", max_length=40)
    title = models.CharField("检查项", max_length=300)
    description = models.TextField("说明", blank=True)
    site_categories = models.ManyToManyField(
        "places.SiteCategory", verbose_name="适用点位类别", blank=True, related_name="check_items"
    )
    site_category_names = models.CharField(
        "适用点位类别（名称）", max_length=500, blank=True, help_text="以“、”分隔；点位类别载入后按名称关联"
    )
    points = models.DecimalField("扣分", max_digits=6, decimal_places=2, null=True, blank=True)
    cap_per_site = models.DecimalField("单点封顶", max_digits=6, decimal_places=2, null=True, blank=True)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.NORMAL)
    judgement = models.CharField("判定方式", max_length=10, choices=Judgement.choices, default=Judgement.DEDUCT)
    is_negative_list = models.BooleanField("负面清单", default=False)
    is_veto = models.BooleanField("一票否决", default=False)
    deadline_days = models.PositiveIntegerField("整改时限（工作日）", null=True, blank=True)
    department_kind = models.CharField("责任部门类型", max_length=60, blank=True)
    is_sample = models.BooleanField("示例", default=False)
    sort_order = models.IntegerField("排序", default=0)
    source = models.TextField("来源", blank=True)
    uncertain = models.BooleanField("待核实", default=False)
    full_points = models.DecimalField("分值", max_digits=7, decimal_places=2, null=True, blank=True)
    observations = models.PositiveSmallIntegerField("观察频次", null=True, blank=True, help_text="每个测评点观察次数")
    methods = models.CharField("测评方法", max_length=120, blank=True, help_text="测评方法编码，以逗号分隔")

    class Meta:
        verbose_name = "检查项"
        verbose_name_plural = "检查项"
        ordering = ("standard", "sort_order", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("standard", "code"), name="checkitem_code_unique", violation_error_message="检查项编码重复"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Indicator(ImmutableWhenPublished):
    """A quantitative indicator: operator + threshold, or a trend target. Threshold NULL = 待核实."""

    standard = models.ForeignKey(Standard, verbose_name="标准", related_name="indicators", on_delete=models.CASCADE)
    clause = models.ForeignKey(
        Clause, verbose_name="条款", null=True, blank=True, related_name="indicators", on_delete=models.SET_NULL
    )
    number = models.PositiveIntegerField("附表序号", null=True, blank=True)
    code = models.CharField("指标编码", max_length=40)
    name = models.CharField("指标", max_length=200)
    unit = models.CharField("计量单位", max_length=40, blank=True)
    operator = models.CharField("比较方式", max_length=20, choices=Operator.choices, blank=True, default="")
    threshold = models.DecimalField("目标值", max_digits=14, decimal_places=4, null=True, blank=True)
    threshold_text = models.CharField("目标值（文字）", max_length=200, blank=True)
    or_trend = models.CharField(
        "或趋势目标", max_length=10, choices=TrendAlternative.choices, blank=True, default=TrendAlternative.NONE
    )
    trend_window = models.PositiveSmallIntegerField("比较期数", default=1)
    period_kind = models.CharField("填报周期", max_length=10, choices=PeriodKind.choices, default=PeriodKind.YEAR)
    is_hard = models.BooleanField("硬指标", default=False)
    department_kind = models.CharField("责任部门类型", max_length=60, blank=True)
    note = models.TextField("备注", blank=True)
    is_sample = models.BooleanField("示例", default=False)
    sort_order = models.IntegerField("排序", default=0)
    source = models.TextField("来源", blank=True)
    uncertain = models.BooleanField("待核实", default=False)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标"
        ordering = ("standard", "sort_order", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("standard", "code"), name="indicator_code_unique", violation_error_message="指标编码重复"
            )
        ]

    def __str__(self) -> str:
        return self.name


class MaterialRequirement(ImmutableWhenPublished):
    """Documents an archive must hold for a clause (what, how many years)."""

    standard = models.ForeignKey(
        Standard, verbose_name="标准", related_name="material_requirements", on_delete=models.CASCADE
    )
    clause = models.ForeignKey(
        Clause,
        verbose_name="条款",
        null=True,
        blank=True,
        related_name="material_requirements",
        on_delete=models.CASCADE,
    )
    code = models.CharField("编码", max_length=40, blank=True)
    title = models.CharField("材料", max_length=200)
    description = models.TextField("说明", blank=True)
    years = models.PositiveSmallIntegerField("年限（年）", null=True, blank=True)
    is_sample = models.BooleanField("示例", default=False)
    sort_order = models.IntegerField("排序", default=0)
    source = models.TextField("来源", blank=True)
    uncertain = models.BooleanField("待核实", default=False)

    class Meta:
        verbose_name = "材料要求"
        verbose_name_plural = "材料要求"
        ordering = ("standard", "sort_order", "id")

    def __str__(self) -> str:
        return self.title


class QuotaRow(models.TextChoices):
    ITEM = "item", "检查对象"
    SUBTOTAL = "subtotal", "小计"
    TOTAL = "total", "合计"


class SamplingQuota(ImmutableWhenPublished):
    """Minimum samples per place category by city population (<50万 / 50–200万 / >200万)."""

    standard = models.ForeignKey(
        Standard, verbose_name="标准", related_name="sampling_quotas", on_delete=models.CASCADE
    )
    category = models.ForeignKey(
        "places.SiteCategory",
        verbose_name="点位类别",
        null=True,
        blank=True,
        related_name="sampling_quotas",
        on_delete=models.SET_NULL,
    )
    category_name = models.CharField("检查对象", max_length=120)
    table = models.CharField("量化表/大类", max_length=60, blank=True)
    row_kind = models.CharField("行类型", max_length=10, choices=QuotaRow.choices, default=QuotaRow.ITEM)
    min_samples_small = models.PositiveIntegerField("<50万", null=True, blank=True)
    min_samples_medium = models.PositiveIntegerField("50–200万", null=True, blank=True)
    min_samples_large = models.PositiveIntegerField(">200万", null=True, blank=True)
    focus = models.TextField("检查重点", blank=True)
    sort_order = models.IntegerField("排序", default=0)
    source = models.TextField("来源", blank=True)
    uncertain = models.BooleanField("待核实", default=False)

    class Meta:
        verbose_name = "最少样本量"
        verbose_name_plural = "最少样本量"
        ordering = ("standard", "sort_order", "id")

    def __str__(self) -> str:
        return self.category_name

    def min_samples_for(self, population: int | None) -> int | None:
        """The quota for a city of ``population`` people (None if unknown)."""
        if population is None:
            return None
        if population < 500_000:
            return self.min_samples_small
        if population <= 2_000_000:
            return self.min_samples_medium
        return self.min_samples_large
