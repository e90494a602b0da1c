"""Schemes (考核办法): versioned rule sets edited by the office; a published version never changes."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.assessments import scoring
from chuangcheng.assessments.indicators import DEFAULT_GRADE_BANDS
from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class Normalisation(models.TextChoices):
    NONE = scoring.NORMALISE_NONE, "不折算"
    PER_100_CASES = scoring.NORMALISE_CASES, "按每百件案件折算"
    PER_10K_POPULATION = scoring.NORMALISE_POPULATION, "按每万人口折算"
    PER_KM2 = scoring.NORMALISE_AREA, "按每平方公里折算"


class RuleKind(models.TextChoices):
    OPEN_CASE = scoring.OPEN_CASE, "未办结案件扣分（每件）"
    OVERDUE_CASE = scoring.OVERDUE_CASE, "超期案件扣分（每件）"
    OVERDUE_DAY = scoring.OVERDUE_DAY, "超期扣分（每工作日）"
    SENDBACK = scoring.SENDBACK, "返工扣分（每次）"
    REBOUND = scoring.REBOUND, "问题反弹扣分（每件）"
    UNJUSTIFIED_RETURN = scoring.UNJUSTIFIED_RETURN, "推诿扣分（每次无理退回）"
    FINDING = scoring.FINDING, "督查发现问题扣分（每处）"
    NEGATIVE_LIST = scoring.NEGATIVE_LIST, "负面清单事项扣分（每起）"
    COMMENDATION = scoring.COMMENDATION, "表彰加分（每项）"
    INDICATOR_GRADE = scoring.INDICATOR_GRADE, "数字城管指标等级加减分"
    FUND_DEDUCTION = scoring.FUND_DEDUCTION, "扣罚经费"
    AWARD_INELIGIBLE = scoring.AWARD_INELIGIBLE, "取消评先评优资格"


class VisibleToRoleHolders(ScopedModelMixin):
    """Rules of assessment are public inside the platform: every role holder may read them."""

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        return Q()


class Scheme(VisibleToRoleHolders, models.Model):
    code = models.CharField("办法编码", max_length=40)
    campaign = models.ForeignKey(
        "programs.Campaign",
        verbose_name="创建活动",
        null=True,
        blank=True,
        related_name="schemes",
        on_delete=models.PROTECT,
    )
    name = models.CharField("考核办法名称", max_length=200)
    version = models.PositiveIntegerField("版本", default=1)
    status = models.CharField("状态", max_length=12, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    previous = models.ForeignKey(
        "self", verbose_name="上一版本", null=True, blank=True, related_name="next_versions", on_delete=models.PROTECT
    )
    description = models.TextField("说明", blank=True)
    base_score = models.DecimalField("基础分", max_digits=7, decimal_places=2, default=100)
    normalisation = models.CharField(
        "工作量折算", max_length=24, choices=Normalisation.choices, default=Normalisation.NONE
    )
    max_deduction = models.DecimalField("扣分封顶", max_digits=7, decimal_places=2, null=True, blank=True)
    max_bonus = models.DecimalField("加分封顶", max_digits=7, decimal_places=2, null=True, blank=True)
    min_score = models.DecimalField("最低得分", max_digits=7, decimal_places=2, null=True, blank=True)
    red_count = models.PositiveSmallIntegerField("红榜名额（每组）", default=0)
    black_count = models.PositiveSmallIntegerField("黑榜名额（每组）", default=0)
    grade_bands = models.JSONField("指标等级线（A/B/C/D 下限）", default=dict, blank=True)
    sign_limit_days = models.PositiveSmallIntegerField("签收时限（工作日，示例）", default=1)
    is_sample = models.BooleanField("示例", default=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "考核办法"
        verbose_name_plural = "考核办法"
        ordering = ("code", "-version")
        constraints = [
            models.UniqueConstraint(
                fields=("code", "version"), name="scheme_code_version_unique", violation_error_message="版本已存在"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"

    @property
    def is_published(self) -> bool:
        return self.status == SchemeStatus.PUBLISHED

    @property
    def bands(self) -> dict:
        return {**DEFAULT_GRADE_BANDS, **(self.grade_bands or {})}


class Rule(VisibleToRoleHolders, models.Model):
    """One row of a scheme: a kind, points per event, optional filters, cap and parameters."""

    scheme = models.ForeignKey(Scheme, verbose_name="考核办法", related_name="rules", on_delete=models.CASCADE)
    kind = models.CharField("规则类型", max_length=24, choices=RuleKind.choices)
    label = models.CharField("名称", max_length=200, blank=True)
    points = models.DecimalField("分值", max_digits=7, decimal_places=2, default=0)
    severity = models.CharField(
        "限严重程度",
        max_length=10,
        blank=True,
        choices=(("", "不限"), ("minor", "轻微"), ("normal", "一般"), ("serious", "严重")),
    )
    source = models.CharField(
        "限来源", max_length=20, blank=True, choices=[("", "不限"), *scoring.SOURCE_LABELS.items()]
    )
    cap = models.DecimalField("本项封顶", max_digits=7, decimal_places=2, null=True, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    sort_order = models.IntegerField("排序", default=0)
    is_sample = models.BooleanField("示例", default=False)
    note = models.TextField("依据/说明", blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "考核规则"
        verbose_name_plural = "考核规则"
        ordering = ("scheme", "sort_order", "id")

    def __str__(self) -> str:
        return self.label or self.get_kind_display()

    def spec(self) -> scoring.RuleSpec:
        return scoring.RuleSpec(
            kind=self.kind,
            points=self.points,
            label=str(self),
            id=self.pk,
            severity=self.severity,
            source=self.source,
            cap=self.cap,
            params=dict(self.params or {}),
        )


class PeerGroup(VisibleToRoleHolders, models.Model):
    """Units scored and ranked together: explicit units, or every active unit of the listed kinds."""

    scheme = models.ForeignKey(Scheme, verbose_name="考核办法", related_name="peer_groups", on_delete=models.CASCADE)
    name = models.CharField("考核组", max_length=60)
    unit_kinds = models.JSONField("单位类型", default=list, blank=True)
    units = models.ManyToManyField("org.Unit", verbose_name="指定单位", blank=True, related_name="+")
    sort_order = models.IntegerField("排序", default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = "考核分组"
        verbose_name_plural = "考核分组"
        ordering = ("scheme", "sort_order", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("scheme", "name"), name="peergroup_name_unique", violation_error_message="分组名称重复"
            )
        ]

    def __str__(self) -> str:
        return self.name
