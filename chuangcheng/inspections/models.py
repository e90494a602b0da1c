"""Inspection rounds, their draws, site visits, findings (with photos) and grid patrol records.

Secrecy: a secret round (暗访) that is not yet published is visible only to the office that owns it (the
campaign's unit, or for a round without a campaign the creator's jurisdiction), the offices of the levels
above it, and the round's inspectors; never to the level inspected. ``scope_q`` below enforces it for every
page and API.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin, owned_q, unit_q


class RoundKind(models.TextChoices):
    OPEN = "open", "明查"
    COVERT = "covert", "暗访"
    RANDOM = "random", "随机抽查"
    MOCK = "mock", "模拟测评"
    SPECIAL = "special", "专项整治"
    GRID = "grid", "网格巡查"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "计划中"
    DRAWN = "drawn", "已抽样"
    CLOSED = "closed", "检查结束"
    PUBLISHED = "published", "已发布"


def _inspector_round_ids(user):
    return InspectionRound.inspectors.through.objects.filter(user_id=user.pk).values("inspectionround_id")


def _round_public_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}is_secret": False}) | Q(**{f"{prefix}published_at__isnull": False})


def _owned_round_ids(scope):
    """Rounds owned by the user's office jurisdictions (secret ones included), as a subquery."""
    return InspectionRound.objects.filter(owned_q(scope)).values("pk")


class InspectionRound(ScopedModelMixin, models.Model):
    name = models.CharField("轮次名称", max_length=120)
    campaign = models.ForeignKey(
        "programs.Campaign",
        verbose_name="创建活动",
        null=True,
        blank=True,
        related_name="rounds",
        on_delete=models.PROTECT,
    )
    kind = models.CharField("类型", max_length=10, choices=RoundKind.choices)
    standard = models.ForeignKey(
        "standards.Standard", verbose_name="标准版本", null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="组织单位", related_name="inspection_rounds", on_delete=models.PROTECT
    )
    areas = models.ManyToManyField("places.Area", verbose_name="检查范围", blank=True, related_name="inspection_rounds")
    period_start = models.DateField("开始日期")
    period_end = models.DateField("结束日期")
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="督查员", blank=True, related_name="inspection_rounds"
    )
    is_secret = models.BooleanField("保密（发布前对被检单位不可见）", default=False)
    status = models.CharField("状态", max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    population = models.PositiveIntegerField("城市人口（确定样本量档次）", null=True, blank=True)
    exclusion_days = models.PositiveIntegerField("近期已检点位排除天数", default=90)
    recheck_count = models.PositiveIntegerField("复查抽查件数", default=0)
    recheck_days = models.PositiveIntegerField("复查范围：近多少天办结的问题", default=30)
    seed = models.BigIntegerField("随机种子", null=True, blank=True)
    drawn_at = models.DateTimeField("抽样时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "督查轮次"
        verbose_name_plural = "督查轮次"
        ordering = ("-period_start", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="round_period_ordered",
                violation_error_message="结束日期不能早于开始日期",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        area_rounds = cls.areas.through.objects.filter(area__unit__in=scope.unit_ids).values("inspectionround_id")
        in_units = unit_q(("unit",), scope) | Q(pk__in=area_rounds)
        q = Q(pk__in=_inspector_round_ids(user)) | (_round_public_q() & in_units)
        return q | owned_q(scope) if scope.office_unit_ids else q

    @property
    def is_hidden(self) -> bool:
        return self.is_secret and self.published_at is None


class SamplingLine(models.Model):
    """How many sites of one category the round draws (抽样方案)."""

    round = models.ForeignKey(InspectionRound, related_name="sampling_lines", on_delete=models.CASCADE)
    category = models.ForeignKey("places.SiteCategory", verbose_name="点位类别", on_delete=models.PROTECT)
    quota = models.PositiveIntegerField("抽样数")
    default_quota = models.PositiveIntegerField("标准最少样本量", null=True, blank=True)

    class Meta:
        verbose_name = "抽样方案"
        verbose_name_plural = "抽样方案"
        ordering = ("category__sort_order", "category__code")
        constraints = [
            models.UniqueConstraint(
                fields=("round", "category"), name="sampling_line_unique", violation_error_message="该类别已在方案中"
            )
        ]


class DrawRecord(models.Model):
    """Everything needed to re-run a draw: seed, quotas, candidates, exclusions, and its result."""

    round = models.ForeignKey(InspectionRound, related_name="draws", on_delete=models.CASCADE)
    seed = models.BigIntegerField("随机种子")
    quotas = models.JSONField("抽样数")
    candidates = models.JSONField("候选点位")
    excluded = models.JSONField("排除点位")
    recheck_candidates = models.JSONField("复查候选问题", default=list)
    result = models.JSONField("抽中点位")
    recheck_result = models.JSONField("抽中复查问题", default=list)
    inputs_hash = models.CharField("输入摘要", max_length=64)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "抽样记录"
        verbose_name_plural = "抽样记录"
        ordering = ("-drawn_at", "-id")


class VisitStatus(models.TextChoices):
    ASSIGNED = "assigned", "待检查"
    DONE = "done", "已检查"


class SiteVisit(ScopedModelMixin, models.Model):
    round = models.ForeignKey(InspectionRound, verbose_name="轮次", related_name="visits", on_delete=models.CASCADE)
    site = models.ForeignKey(
        "places.Site", verbose_name="点位", null=True, blank=True, related_name="visits", on_delete=models.PROTECT
    )
    category = models.ForeignKey(
        "places.SiteCategory", verbose_name="类别", null=True, blank=True, on_delete=models.PROTECT
    )
    area = models.ForeignKey(
        "places.Area", verbose_name="区域", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="属地单位", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        "org.Unit", verbose_name="行业主管部门", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="督查员",
        null=True,
        blank=True,
        related_name="site_visits",
        on_delete=models.SET_NULL,
    )
    status = models.CharField("状态", max_length=10, choices=VisitStatus.choices, default=VisitStatus.ASSIGNED)
    is_recheck = models.BooleanField("复查抽查", default=False)
    recheck_case_id = models.PositiveIntegerField("复查的问题ID", null=True, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    lng = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    gps_accuracy = models.FloatField("定位精度（米）", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "点位检查"
        verbose_name_plural = "点位检查"
        ordering = ("round", "sort_order", "id")
        indexes = [models.Index(fields=("site", "submitted_at")), models.Index(fields=("inspector", "status"))]
        constraints = [
            models.UniqueConstraint(
                fields=("round", "site"),
                condition=Q(is_recheck=False),
                name="visit_site_once_per_round",
                violation_error_message="该点位已在本轮次中",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.site or '复查'}"

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        in_units = unit_q(("unit", "department"), scope)
        q = Q(round__in=_inspector_round_ids(user)) | (_round_public_q("round__") & in_units)
        return q | Q(round__in=_owned_round_ids(scope)) if scope.office_unit_ids else q


class FindingResult(models.TextChoices):
    PASS = "pass", "合格"
    DEDUCT = "deduct", "扣分"


class Finding(ScopedModelMixin, models.Model):
    """One check item judged at one visit. Points are a snapshot of the item (NULL = 待核实)."""

    visit = models.ForeignKey(SiteVisit, verbose_name="点位检查", related_name="findings", on_delete=models.CASCADE)
    check_item = models.ForeignKey("standards.CheckItem", verbose_name="检查项", on_delete=models.PROTECT)
    result = models.CharField("结果", max_length=10, choices=FindingResult.choices)
    count = models.PositiveIntegerField("处数", default=0)
    note = models.TextField("说明", blank=True)
    points = models.DecimalField("单处扣分", max_digits=6, decimal_places=2, null=True, blank=True)
    cap_per_site = models.DecimalField("单点封顶", max_digits=6, decimal_places=2, null=True, blank=True)
    is_negative_list = models.BooleanField("负面清单", default=False)
    is_veto = models.BooleanField("一票否决", default=False)
    lng = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    client_uuid = models.UUIDField("客户端编号", unique=True)
    case_id = models.PositiveIntegerField("问题ID", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "检查结果"
        verbose_name_plural = "检查结果"
        ordering = ("visit", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("visit", "check_item"),
                name="finding_item_once_per_visit",
                violation_error_message="该检查项已记录",
            )
        ]

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        in_units = unit_q(("visit__unit", "visit__department"), scope)
        q = Q(visit__round__in=_inspector_round_ids(user)) | (_round_public_q("visit__round__") & in_units)
        return q | Q(visit__round__in=_owned_round_ids(scope)) if scope.office_unit_ids else q

    @property
    def points_unknown(self) -> bool:
        return self.result == FindingResult.DEDUCT and self.points is None


class Observation(ScopedModelMixin, models.Model):
    """One observation of an observation-scored 测评标准 at a visit (seq 1..观察频次).

    ``passed``: True 达标, False 不达标, NULL 不适用 (left out of 达标率). ``case_id`` is set on every
    observation of a visit × item group with a failure once that group has become a case.
    """

    visit = models.ForeignKey(SiteVisit, verbose_name="点位检查", related_name="observations", on_delete=models.CASCADE)
    check_item = models.ForeignKey("standards.CheckItem", verbose_name="测评标准", on_delete=models.PROTECT)
    seq = models.PositiveSmallIntegerField("观察序号")
    passed = models.BooleanField("达标", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    client_uuid = models.UUIDField("客户端编号", unique=True)
    case_id = models.PositiveIntegerField("问题ID", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "观察记录"
        verbose_name_plural = "观察记录"
        ordering = ("visit", "check_item", "seq")
        constraints = [
            models.UniqueConstraint(
                fields=("visit", "check_item", "seq"),
                name="observation_once_per_seq",
                violation_error_message="该次观察已记录",
            )
        ]

    # The same rule as a finding (both hang off a visit): hidden with their secret round until it is published.
    scope_q = classmethod(Finding.scope_q.__func__)


class FindingPhoto(models.Model):
    finding = models.ForeignKey(Finding, related_name="photos", on_delete=models.CASCADE)
    image = models.ImageField("照片", upload_to="inspections/%Y/%m/")
    client_uuid = models.UUIDField("客户端编号", unique=True)
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "检查照片"
        verbose_name_plural = "检查照片"
        ordering = ("id",)


class PatrolKind(models.TextChoices):
    REPORT = "report", "上报问题"
    SELF_FIX = "self_fix", "自处理"


class PatrolRecord(ScopedModelMixin, models.Model):
    """A grid worker's patrol entry: a reported problem (becomes a case) or one fixed on the spot."""

    area = models.ForeignKey(
        "places.Area", verbose_name="网格", related_name="patrol_records", on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="属地单位", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    kind = models.CharField("方式", max_length=10, choices=PatrolKind.choices)
    category = models.ForeignKey(
        "places.SiteCategory", verbose_name="点位类别", null=True, blank=True, on_delete=models.PROTECT
    )
    check_item = models.ForeignKey(
        "standards.CheckItem", verbose_name="检查项", null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.TextField("问题描述")
    lng = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    client_uuid = models.UUIDField("客户端编号", unique=True)
    case_id = models.PositiveIntegerField("问题ID", null=True, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="网格员", related_name="patrol_records", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "网格巡查记录"
        verbose_name_plural = "网格巡查记录"
        ordering = ("-created_at", "-id")

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        return unit_q(("unit",), scope) | Q(reporter_id=user.pk)


class PatrolPhoto(models.Model):
    record = models.ForeignKey(PatrolRecord, related_name="photos", on_delete=models.CASCADE)
    image = models.ImageField("照片", upload_to="patrol/%Y/%m/")
    kind = models.CharField("类型", max_length=10, choices=(("before", "处置前"), ("after", "处置后")))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "巡查照片"
        verbose_name_plural = "巡查照片"
        ordering = ("id",)
