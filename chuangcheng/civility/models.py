"""文明单位 dynamic management, 窗口行业 commitments and 行风评议, publicity point checks.

文明单位 state (``workflow.py``): 有效 → 警示 (黄牌, with a deadline to correct) → 有效 (warning lifted) or 撤销;
有效 → 撤销 only after a 不合格 review. Every change is a ``StatusChange`` row and an audit event.
Window industries and rating periods are reference data (visible to every signed-in user, kept by the office);
everything else is scoped by its unit's subtree (publicity checks by their site's units).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class HonourLevel(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    COUNTY = "county", "县级"


class HonourStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    WARNED = "warned", "警示"
    REVOKED = "revoked", "撤销"


class ReviewResult(models.TextChoices):
    PASSED = "passed", "合格"
    WARNING = "warning", "警示"
    FAILED = "failed", "不合格"


class CivilizedUnit(ScopedModelMixin, models.Model):
    """One 文明单位 title: an org unit of the tree, or an outside organisation managed under ``unit``."""

    name = models.CharField("文明单位名称", max_length=120)
    org_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="对应组织机构单位",
        null=True,
        blank=True,
        related_name="civilized_titles",
        on_delete=models.PROTECT,
        help_text="文明单位本身是组织机构中的单位时选择；复查时可查看其点位上的问题",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="管理单位", related_name="+", on_delete=models.PROTECT, help_text="数据范围按此单位"
    )
    level = models.CharField("级别", max_length=12, choices=HonourLevel.choices)
    year_awarded = models.PositiveSmallIntegerField("命名年度")
    status = models.CharField("状态", max_length=10, choices=HonourStatus.choices, default=HonourStatus.ACTIVE)
    warning_reason = models.CharField("警示原因", max_length=500, blank=True)
    warning_deadline = models.DateField("整改期限", null=True, blank=True)
    revoked_reason = models.CharField("撤销原因", max_length=500, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    is_demo = models.BooleanField("演示", default=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "文明单位"
        verbose_name_plural = "文明单位"
        ordering = ("level", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("name", "level"),
                name="civilized_unit_name_level",
                violation_error_message="同级别已有同名文明单位",
            ),
            models.CheckConstraint(
                condition=Q(year_awarded__gte=1980, year_awarded__lte=2100),
                name="civilized_unit_year_range",
                violation_error_message="命名年度不在合理范围内",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}）"


class StatusChange(models.Model):
    """The 文明单位's own timeline of state changes (the audit log holds the same facts, hash-chained)."""

    civilized_unit = models.ForeignKey(
        CivilizedUnit, verbose_name="文明单位", related_name="changes", on_delete=models.CASCADE
    )
    action = models.CharField("操作", max_length=10)
    from_status = models.CharField("原状态", max_length=10, choices=HonourStatus.choices)
    to_status = models.CharField("新状态", max_length=10, choices=HonourStatus.choices)
    reason = models.CharField("原因或说明", max_length=500, blank=True)
    deadline = models.DateField("整改期限", null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "文明单位状态变更"
        verbose_name_plural = "文明单位状态变更"
        ordering = ("at", "id")


class Review(ScopedModelMixin, models.Model):
    """复查: one per 文明单位 and year."""

    civilized_unit = models.ForeignKey(
        CivilizedUnit, verbose_name="文明单位", related_name="reviews", on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField("复查年度")
    result = models.CharField("复查结果", max_length=10, choices=ReviewResult.choices)
    reasons = models.TextField("结论与理由", blank=True)
    reviewed_on = models.DateField("复查日期")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="复查人", null=True, related_name="+", on_delete=models.SET_NULL
    )

    objects = ScopedManager()
    SCOPE_FIELDS = ("civilized_unit__unit",)

    class Meta:
        verbose_name = "复查"
        verbose_name_plural = "复查"
        ordering = ("-year", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("civilized_unit", "year"), name="review_unit_year", violation_error_message="该年度已有复查记录"
            )
        ]


class ReviewEvidence(ScopedModelMixin, models.Model):
    review = models.ForeignKey(Review, verbose_name="复查", related_name="evidence", on_delete=models.CASCADE)
    file = models.FileField("文件", upload_to="civility/reviews/%Y/")
    kind = models.CharField("类型", max_length=10)
    original_name = models.CharField("原文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("大小")

    objects = ScopedManager()
    SCOPE_FIELDS = ("review__civilized_unit__unit",)

    class Meta:
        verbose_name = "复查佐证材料"
        verbose_name_plural = "复查佐证材料"
        ordering = ("id",)


class WindowIndustry(models.Model):
    """窗口行业 (供水, 供电, 银行 …): reference data kept by the office; ``is_sample`` marks 示例 entries."""

    name = models.CharField("行业名称", max_length=40, unique=True)
    sort_order = models.IntegerField("排序", default=0)
    is_sample = models.BooleanField("示例", default=False)

    class Meta:
        verbose_name = "窗口行业"
        verbose_name_plural = "窗口行业"
        ordering = ("sort_order", "name")

    def __str__(self) -> str:
        return self.name


class WindowUnit(ScopedModelMixin, models.Model):
    """A service window (营业厅, 办事大厅 …) of an industry, kept under ``unit`` for scope."""

    industry = models.ForeignKey(WindowIndustry, verbose_name="行业", related_name="units", on_delete=models.PROTECT)
    name = models.CharField("窗口单位名称", max_length=120)
    unit = models.ForeignKey("org.Unit", verbose_name="管理单位", related_name="+", on_delete=models.PROTECT)
    address = models.CharField("地址", max_length=200, blank=True)
    is_demo = models.BooleanField("演示", default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = "窗口单位"
        verbose_name_plural = "窗口单位"
        ordering = ("industry__sort_order", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("industry", "name"),
                name="window_unit_industry_name",
                violation_error_message="该行业已有同名窗口单位",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Commitment(ScopedModelMixin, models.Model):
    """服务承诺 of a window unit: what it promises, where it is published, since when."""

    window_unit = models.ForeignKey(
        WindowUnit, verbose_name="窗口单位", related_name="commitments", on_delete=models.CASCADE
    )
    content = models.TextField("承诺内容")
    published_where = models.CharField("公开位置", max_length=200)
    published_on = models.DateField("公开日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, related_name="+", on_delete=models.SET_NULL
    )

    objects = ScopedManager()
    SCOPE_FIELDS = ("window_unit__unit",)

    class Meta:
        verbose_name = "服务承诺"
        verbose_name_plural = "服务承诺"
        ordering = ("-published_on", "id")


class RatingPeriod(models.Model):
    """行风评议 period (e.g. 2026年第一季度): reference data kept by the office."""

    name = models.CharField("评议周期", max_length=40, unique=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    class Meta:
        verbose_name = "行风评议周期"
        verbose_name_plural = "行风评议周期"
        ordering = ("-starts_on",)
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="rating_period_order",
                violation_error_message="结束日期不能早于开始日期",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RatingSource(models.TextChoices):
    UNDERCOVER = "undercover", "暗访"
    QUESTIONNAIRE = "questionnaire", "问卷"
    HOTLINE = "hotline", "12345 满意度"
    OTHER = "other", "其他"


class Rating(ScopedModelMixin, models.Model):
    """行风评议 result of a window unit in a period from one source; ranks are computed per period and source."""

    window_unit = models.ForeignKey(
        WindowUnit, verbose_name="窗口单位", related_name="ratings", on_delete=models.CASCADE
    )
    period = models.ForeignKey(RatingPeriod, verbose_name="评议周期", related_name="ratings", on_delete=models.PROTECT)
    source = models.CharField("来源", max_length=16, choices=RatingSource.choices)
    score = models.DecimalField("得分", max_digits=6, decimal_places=2)
    file = models.FileField("评议材料", upload_to="civility/ratings/%Y/", blank=True)
    file_name = models.CharField("原文件名", max_length=200, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, related_name="+", on_delete=models.SET_NULL
    )

    objects = ScopedManager()
    SCOPE_FIELDS = ("window_unit__unit",)

    class Meta:
        verbose_name = "行风评议结果"
        verbose_name_plural = "行风评议结果"
        ordering = ("period", "source", "-score")
        constraints = [
            models.UniqueConstraint(
                fields=("window_unit", "period", "source"),
                name="rating_unit_period_source",
                violation_error_message="该窗口单位在本周期已有此来源的评议结果",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="rating_score_range",
                violation_error_message="得分须在0到100之间",
            ),
        ]


class PointState(models.TextChoices):
    INTACT = "intact", "完好"
    DAMAGED = "damaged", "破损"
    MISSING = "missing", "缺失"
    OUTDATED = "outdated", "内容过期"


class PublicityCheck(ScopedModelMixin, models.Model):
    """A check of a publicity point (a ``places.Site`` of a publicity category): state, photo, note."""

    site = models.ForeignKey(
        "places.Site", verbose_name="宣传点位", related_name="publicity_checks", on_delete=models.PROTECT
    )
    checked_on = models.DateField("检查日期")
    state = models.CharField("状况", max_length=10, choices=PointState.choices)
    photo = models.FileField("现场照片", upload_to="civility/checks/%Y/", blank=True)
    photo_sha256 = models.CharField("照片SHA-256", max_length=64, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="检查人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name="整改问题", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()
    SCOPE_FIELDS = ("site__unit", "site__department")

    class Meta:
        verbose_name = "宣传点位检查"
        verbose_name_plural = "宣传点位检查"
        ordering = ("-checked_on", "-id")
        indexes = [models.Index(fields=("site", "-checked_on", "-id"), name="publicity_check_latest")]

    @property
    def failed(self) -> bool:
        return self.state != PointState.INTACT
