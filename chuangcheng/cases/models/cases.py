from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.core.lookups import AnyOfSubquery
from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class CaseStatus(models.TextChoices):
    REPORTED = "reported", "待受理"
    REGISTERED = "registered", "已立案"
    INVALID = "invalid", "不予立案"
    DISPATCHED = "dispatched", "已派遣"
    SIGNED = "signed", "已签收"
    RETURNED = "returned", "已退回"
    RECTIFYING = "rectifying", "整改中"
    DEFERRED = "deferred", "挂账"
    SUBMITTED = "submitted", "待核查"
    CLOSED = "closed", "已办结"
    MERGED = "merged", "已合并"


OPEN_STATUSES = (
    CaseStatus.REPORTED,
    CaseStatus.REGISTERED,
    CaseStatus.DISPATCHED,
    CaseStatus.SIGNED,
    CaseStatus.RETURNED,
    CaseStatus.RECTIFYING,
    CaseStatus.DEFERRED,
    CaseStatus.SUBMITTED,
)
FINAL_STATUSES = (CaseStatus.INVALID, CaseStatus.CLOSED, CaseStatus.MERGED)


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", "督查测评"
    PATROL = "patrol", "网格巡查"
    CITIZEN = "citizen", "市民随手拍"
    HOTLINE = "hotline", "12345热线"
    MEDIA = "media", "媒体曝光"
    SUPERIOR = "superior", "上级反馈"
    SELF_CHECK = "self_check", "自查"


class Severity(models.TextChoices):
    MINOR = "minor", "轻微"
    NORMAL = "normal", "一般"
    SERIOUS = "serious", "严重"


class PendingRequest(models.TextChoices):
    NONE = "", "无"
    EXTENSION = "extension", "延期申请"
    DEFERRAL = "deferral", "挂账申请"


class Case(ScopedModelMixin, models.Model):
    """A problem to rectify (问题/案卷). Its status changes only in ``cases.workflow.transition``."""

    number = models.CharField("案件编号", max_length=20, unique=True)
    source = models.CharField("来源", max_length=20, choices=CaseSource.choices)
    title = models.CharField("问题标题", max_length=200)
    description = models.TextField("问题描述", blank=True)
    check_item = models.ForeignKey(
        "standards.CheckItem",
        verbose_name="检查项",
        null=True,
        blank=True,
        related_name="cases",
        on_delete=models.PROTECT,
    )
    category = models.ForeignKey(
        "places.SiteCategory",
        verbose_name="类别",
        null=True,
        blank=True,
        related_name="cases",
        on_delete=models.PROTECT,
    )
    site = models.ForeignKey(
        "places.Site", verbose_name="点位", null=True, blank=True, related_name="cases", on_delete=models.PROTECT
    )
    area = models.ForeignKey(
        "places.Area", verbose_name="区域", null=True, blank=True, related_name="cases", on_delete=models.PROTECT
    )
    lng = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, default=Severity.NORMAL)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="属地单位",
        null=True,
        blank=True,
        related_name="territorial_cases",
        on_delete=models.PROTECT,
        help_text="点位或区域的属地单位，决定属地可见范围",
    )
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name="牵头单位", null=True, blank=True, related_name="lead_cases", on_delete=models.PROTECT
    )
    cooperating_units = models.ManyToManyField(
        "org.Unit", verbose_name="配合单位", blank=True, related_name="cooperating_cases"
    )
    route_reason = models.CharField("分派依据", max_length=300, blank=True)
    routing_rule = models.ForeignKey(
        "cases.RoutingRule", verbose_name="分派规则", null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        "状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.REPORTED, db_index=True
    )
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    deadline = models.DateField("整改期限", null=True, blank=True)
    deadline_days = models.PositiveSmallIntegerField("期限（工作日）", null=True, blank=True)
    deadline_reason = models.CharField("期限依据", max_length=200, blank=True)
    paused_on = models.DateField("挂账起始日", null=True, blank=True)
    pending_request = models.CharField(
        "待审批申请", max_length=12, choices=PendingRequest.choices, default=PendingRequest.NONE, blank=True
    )
    requested_days = models.PositiveSmallIntegerField("申请延期（工作日）", null=True, blank=True)
    deferral_plan = models.TextField("挂账整改计划", blank=True)
    created_at = models.DateTimeField("上报时间", auto_now_add=True, db_index=True)
    registered_at = models.DateTimeField("立案时间", null=True, blank=True)
    dispatched_at = models.DateTimeField("派遣时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    sendback_count = models.PositiveSmallIntegerField("返工次数", default=0)
    return_count = models.PositiveSmallIntegerField("退回次数", default=0)
    misroute_count = models.PositiveSmallIntegerField("错派次数", default=0)
    is_rebound = models.BooleanField("反弹", default=False)
    rebound_of = models.ForeignKey(
        "self", verbose_name="反弹自", null=True, blank=True, related_name="rebounds", on_delete=models.SET_NULL
    )
    merged_into = models.ForeignKey(
        "self", verbose_name="合并至", null=True, blank=True, related_name="merged_cases", on_delete=models.SET_NULL
    )
    escalation_level = models.PositiveSmallIntegerField("督办级别", default=0)
    external_ref = models.CharField("外部编号", max_length=60, blank=True)
    reporter_name = models.CharField("反映人", max_length=50, blank=True)
    reporter_phone = models.CharField("联系电话", max_length=30, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上报人",
        null=True,
        blank=True,
        related_name="reported_cases",
        on_delete=models.SET_NULL,
    )
    round_visit_id = models.PositiveIntegerField("督查走访ID", null=True, blank=True)
    timeline_head = models.CharField(max_length=64, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题"
        ordering = ("-id",)
        indexes = [
            # The inbox's filter and urgency order, with the id: its page of ids is an index-only scan.
            models.Index(
                fields=("lead_unit", "status", "-escalation_level", "deadline", "id"), name="case_inbox_order_idx"
            ),
            # The territory's filter; with the lead unit, so that ``selectors.visible_count`` counts the cases in
            # a scope's territory but not led in it from the index alone.
            models.Index(fields=("unit", "status", "lead_unit"), name="case_territory_lead_idx"),
            models.Index(fields=("status", "deadline"), name="case_status_deadline_idx"),
            # The ledger's common filters (category, status, overdue) and its order (id).
            models.Index(fields=("category", "status", "deadline", "id"), name="case_category_status_idx2"),
            # Duplicate candidates: open cases of a category inside a small lng/lat box.
            models.Index(
                fields=("category", "lng", "lat"),
                condition=Q(status__in=OPEN_STATUSES),
                name="case_open_near_idx",
            ),
            models.Index(fields=("site", "check_item", "closed_at"), name="case_rebound_idx"),
            # Rebound candidates by distance: closed cases inside a small lng/lat box.
            models.Index(fields=("lng", "lat"), condition=Q(status="closed"), name="case_closed_near_idx"),
            models.Index(fields=("source", "created_at"), name="case_source_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=("source", "external_ref"),
                condition=~Q(external_ref=""),
                name="case_external_ref_unique_per_source",
                violation_error_message="同一来源的外部编号已存在",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("pk")),
                name="case_not_merged_into_self",
                violation_error_message="不能合并到自身",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        """Lead unit, cooperating units or the territorial unit; plus own reports.

        Inspectors also see every case waiting for verification (待核查) and the cases they acted on.
        """
        return Q(lead_unit__in=scope.unit_ids) | Q(unit__in=scope.unit_ids) | cls.scope_extra_q(scope, user)

    @classmethod
    def scope_extra_q(cls, scope, user) -> Q:
        """``scope_q`` beyond the lead and territorial units (cooperation, own reports, inspectors): the
        scope's small part, which ``cases.selectors.visible_count`` counts apart from the two unit columns."""
        through = cls.cooperating_units.through
        q = Q(AnyOfSubquery("pk", through.objects.filter(unit_id__in=scope.unit_ids).values("case_id")))
        if user is not None and getattr(user, "pk", None):
            q |= Q(reported_by=user.pk)
        if scope.has_role("inspector"):
            from chuangcheng.cases.models.timeline import CaseTransition

            waiting = Q(status=CaseStatus.SUBMITTED)
            if scope.inspect_unit_ids is not None:  # a lower level's inspectors verify on their own ground
                waiting &= Q(unit__in=scope.inspect_unit_ids) | Q(lead_unit__in=scope.inspect_unit_ids)
            q |= waiting
            q |= AnyOfSubquery("pk", CaseTransition.objects.filter(actor=user.pk).values("case_id"))
        return q

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseCounter(models.Model):
    """Per-year counter for readable case numbers (WT2026-000123) on SQLite.

    On PostgreSQL numbers come from a per-year database sequence
    (``cases_case_number_<year>``, see ``services.next_number``), which starts
    after this counter and after any number already issued for the year.
    """

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "案件编号计数"
        verbose_name_plural = "案件编号计数"
