"""Assessment periods and their results: unit scores, itemised lines and indicator values."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin, owned_q, unit_q


class PeriodKind(models.TextChoices):
    MONTHLY = "monthly", "月度专项考核"
    QUARTERLY = "quarterly", "季度面上考核"
    ANNUAL = "annual", "年度考核"


class PeriodStatus(models.TextChoices):
    DRAFT = "draft", "未计算"
    COMPUTING = "computing", "计算中"
    COMPUTED = "computed", "待发布（预览）"
    FAILED = "failed", "计算失败"
    PUBLISHED = "published", "已发布"


class ListFlag(models.TextChoices):
    NONE = "", "—"
    RED = "red", "红榜"
    BLACK = "black", "黑榜"


class Period(ScopedModelMixin, models.Model):
    """A scoring run of a published scheme over [start, end]; frozen with a content hash once published."""

    scheme = models.ForeignKey(
        "assessments.Scheme", verbose_name="考核办法", related_name="periods", on_delete=models.PROTECT
    )
    campaign = models.ForeignKey(
        "programs.Campaign",
        verbose_name="创建活动",
        null=True,
        blank=True,
        related_name="periods",
        on_delete=models.PROTECT,
    )
    kind = models.CharField("考核类型", max_length=12, choices=PeriodKind.choices)
    name = models.CharField("名称", max_length=200)
    start = models.DateField("起始日期")
    end = models.DateField("截止日期")
    topic = models.CharField("专项主题", max_length=200, blank=True)
    category_codes = models.JSONField("专项点位类别编码", default=list, blank=True)
    status = models.CharField("状态", max_length=12, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT)
    computed_at = models.DateTimeField("计算时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    content_hash = models.CharField("内容哈希（SHA-256）", max_length=64, blank=True)
    notes = models.JSONField("计算说明", default=list, blank=True)
    error = models.TextField("错误", blank=True)
    # bulletin (通报) fields
    issuer = models.CharField("发文机关", max_length=100, default="示范市创建工作领导小组办公室")
    doc_number = models.CharField("文号", max_length=60, blank=True)
    bulletin_title = models.CharField("通报标题", max_length=200, blank=True)
    addressees = models.CharField("主送", max_length=300, default="各区县、市直各有关单位")
    bulletin_body = models.TextField("正文补充", blank=True)
    signer = models.CharField("落款", max_length=100, default="示范市创建工作领导小组办公室")
    sign_date = models.DateField("成文日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "考核周期"
        verbose_name_plural = "考核周期"
        ordering = ("-end", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")),
                name="period_end_after_start",
                violation_error_message="截止日期不能早于起始日期",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        """Published periods of the campaigns the user sees (own level, above, below; never a sibling's);
        previews only to the owning office and the offices above it (the root's office sees all)."""
        from chuangcheng.programs.models import Campaign

        campaigns = Campaign.objects.filter(Campaign.scope_q(scope, user)).values("pk")
        published = Q(status=PeriodStatus.PUBLISHED) & (Q(campaign__isnull=True) | Q(campaign__in=campaigns))
        return published | owned_q(scope, creator=None)

    @property
    def is_published(self) -> bool:
        return self.status == PeriodStatus.PUBLISHED

    @property
    def title(self) -> str:
        return self.bulletin_title or f"关于{self.name}结果的通报"


def _owned_periods(scope) -> Q:
    """Rows of the periods the user's office owns (previews included)."""
    if not scope.office_unit_ids:
        return Q(pk__in=[])
    return Q(period__campaign__unit__in=scope.office_unit_ids)


class PublishedUnitScoped(ScopedModelMixin):
    """Rows of a unit in a published period; the office (sees_all) also sees previews."""

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        return unit_q(cls.SCOPE_FIELDS, scope) & Q(period__status=PeriodStatus.PUBLISHED) | _owned_periods(scope)


class UnitScore(PublishedUnitScoped, models.Model):
    period = models.ForeignKey(Period, verbose_name="考核周期", related_name="scores", on_delete=models.CASCADE)
    unit = models.ForeignKey("org.Unit", verbose_name="单位", related_name="+", on_delete=models.PROTECT)
    group = models.CharField("考核组", max_length=60)
    base = models.DecimalField("基础分", max_digits=8, decimal_places=2)
    deductions = models.DecimalField("扣分", max_digits=10, decimal_places=2)
    bonuses = models.DecimalField("加分", max_digits=10, decimal_places=2)
    total = models.DecimalField("得分", max_digits=10, decimal_places=2)
    rank = models.PositiveIntegerField("组内名次")
    group_size = models.PositiveIntegerField("组内单位数")
    flag = models.CharField("红黑榜", max_length=8, choices=ListFlag.choices, blank=True)
    fund_deduction = models.DecimalField("扣罚经费（元）", max_digits=12, decimal_places=2, default=0)
    fund_reasons = models.TextField("扣罚依据", blank=True)
    award_ineligible = models.BooleanField("取消评先评优资格", default=False)
    ineligible_reasons = models.TextField("取消资格依据", blank=True)
    workload = models.PositiveIntegerField("本期立案数", default=0)
    line_count = models.PositiveIntegerField("明细条数", default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = "单位得分"
        verbose_name_plural = "单位得分"
        ordering = ("period", "group", "rank", "unit_id")
        constraints = [
            models.UniqueConstraint(fields=("period", "unit"), name="unitscore_unique", violation_error_message="重复")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.total}"


class ScoreLine(PublishedUnitScoped, models.Model):
    """One explained item of a unit's score, traceable to the case, finding, indicator or rule."""

    score = models.ForeignKey(UnitScore, verbose_name="单位得分", related_name="lines", on_delete=models.CASCADE)
    # (period, unit) is indexed together below; single-column indexes would only slow the bulk COPY down
    period = models.ForeignKey(Period, related_name="+", on_delete=models.CASCADE, db_index=False)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="单位", related_name="+", on_delete=models.PROTECT, db_index=False
    )
    rule = models.ForeignKey(
        "assessments.Rule",
        verbose_name="规则",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        db_index=False,
    )
    kind = models.CharField("类型", max_length=24)
    points = models.DecimalField("分值", max_digits=10, decimal_places=2)
    explanation = models.TextField("说明")
    case_ref = models.BigIntegerField("案件ID", null=True, blank=True)
    finding_ref = models.BigIntegerField("督查发现ID", null=True, blank=True)
    indicator_code = models.CharField("指标", max_length=40, blank=True)
    ref = models.CharField("来源编号", max_length=60, blank=True)
    sort = models.PositiveIntegerField("序号", default=0)
    # one line per rule and unit for the per-case kinds: every case behind it, as
    # [case id, case number, quantity, points, note] (see ``scoring._case_lines``)
    items = models.JSONField("来源案件", default=list, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "得分明细"
        verbose_name_plural = "得分明细"
        ordering = ("score", "sort")
        indexes = [models.Index(fields=("period", "unit"))]

    def __str__(self) -> str:
        return f"{self.points} {self.explanation[:40]}"


class IndicatorResult(ScopedModelMixin, models.Model):
    """A 数字城管 indicator of a unit (lead unit of the cases) or of an area (where the cases are)."""

    period = models.ForeignKey(Period, related_name="indicators", on_delete=models.CASCADE)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    area = models.ForeignKey("places.Area", null=True, blank=True, related_name="+", on_delete=models.PROTECT)
    code = models.CharField("指标编码", max_length=40)
    name = models.CharField("指标", max_length=60)
    numerator = models.IntegerField("分子", default=0)
    denominator = models.IntegerField("分母", default=0)
    value = models.DecimalField("值", max_digits=12, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等级", max_length=1, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "数字城管指标"
        verbose_name_plural = "数字城管指标"
        ordering = ("period", "unit", "area", "code")
        indexes = [models.Index(fields=("period", "code"))]

    def __str__(self) -> str:
        return f"{self.name} {self.value}"

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        return unit_q(("unit", "area__unit"), scope) & Q(period__status=PeriodStatus.PUBLISHED) | _owned_periods(scope)
