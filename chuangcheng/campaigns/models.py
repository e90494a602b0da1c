"""Campaign plans (工作方案) → tasks (任务台账), milestones, progress; responsibility letters (目标责任书),
leader assignments (包抓) and 门前三包 pledges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from chuangcheng.core.scoping import Scope, ScopedManager, ScopedModelMixin


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    ACTIVE = "active", "实施中"
    CLOSED = "closed", "已完成"


class Plan(ScopedModelMixin, models.Model):
    """A campaign plan, owned by a unit (usually the office), decomposed into tasks.

    ``target_date`` is the inspection window the plan is scheduled backwards from (倒排工期).
    """

    title = models.CharField("方案名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    campaign = models.ForeignKey(
        "programs.Campaign",
        verbose_name="创建活动",
        null=True,
        blank=True,
        related_name="plans",
        on_delete=models.PROTECT,
    )
    unit = models.ForeignKey("org.Unit", verbose_name="制定单位", related_name="plans", on_delete=models.PROTECT)
    description = models.TextField("方案内容", blank=True)
    target_date = models.DateField("迎检窗口日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "工作方案"
        verbose_name_plural = "工作方案"
        ordering = ("-year", "-id")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, scope: Scope, user) -> Q:
        """The plan's own unit, or any unit leading or cooperating on one of its tasks."""
        task_units = Task.objects.filter(plan=OuterRef("pk")).filter(
            Q(lead_unit__in=scope.unit_ids) | Q(cooperating_units__in=scope.unit_ids)
        )
        return Q(unit__in=scope.unit_ids) | Q(Exists(task_units))


class Milestone(ScopedModelMixin, models.Model):
    """A dated step of a plan; ``offset_days`` working days before the plan's target date."""

    plan = models.ForeignKey(Plan, verbose_name="工作方案", related_name="milestones", on_delete=models.CASCADE)
    title = models.CharField("节点名称", max_length=200)
    offset_days = models.PositiveIntegerField("提前工作日数", null=True, blank=True)
    due_date = models.DateField("节点日期", null=True, blank=True)
    done_at = models.DateField("完成日期", null=True, blank=True)
    sort_order = models.IntegerField("排序", default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = "时间节点"
        verbose_name_plural = "时间节点"
        ordering = ("due_date", "sort_order", "id")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, scope: Scope, user) -> Q:
        return Q(plan__in=Plan.objects.filter(Plan.scope_q(scope, user)).values("pk"))


class TaskStatus(models.TextChoices):
    PENDING = "pending", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"


class Task(ScopedModelMixin, models.Model):
    """A line of the task ledger: lead and cooperating units, a responsible person, a deadline, a weight."""

    plan = models.ForeignKey(Plan, verbose_name="工作方案", related_name="tasks", on_delete=models.CASCADE)
    milestone = models.ForeignKey(
        Milestone, verbose_name="所属节点", null=True, blank=True, related_name="tasks", on_delete=models.SET_NULL
    )
    number = models.CharField("编号", max_length=30, blank=True)
    title = models.CharField("任务", max_length=300)
    description = models.TextField("工作要求", blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name="牵头单位", related_name="led_tasks", on_delete=models.PROTECT
    )
    cooperating_units = models.ManyToManyField(
        "org.Unit", verbose_name="配合单位", related_name="cooperating_tasks", blank=True
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        related_name="campaign_tasks",
        on_delete=models.SET_NULL,
    )
    responsible_name = models.CharField("责任人姓名", max_length=50, blank=True)
    offset_days = models.PositiveIntegerField("提前工作日数", null=True, blank=True)
    deadline = models.DateField("完成时限")
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2, default=1)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    status = models.CharField("状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField("督办级别", default=0)
    escalated_at = models.DateTimeField("督办时间", null=True, blank=True)
    sort_order = models.IntegerField("排序", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务台账"
        ordering = ("deadline", "sort_order", "id")
        indexes = [models.Index(fields=("status", "deadline"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="task_progress_max_100", violation_error_message="进度不能超过100%"
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="task_weight_not_negative", violation_error_message="权重不能为负数"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @classmethod
    def scope_q(cls, scope: Scope, user) -> Q:
        cooperating = Task.cooperating_units.through.objects.filter(task=OuterRef("pk"), unit__in=scope.unit_ids)
        return Q(lead_unit__in=scope.unit_ids) | Q(plan__unit__in=scope.unit_ids) | Q(Exists(cooperating))

    @property
    def person(self) -> str:
        if self.responsible_id:
            return self.responsible.display_name
        return self.responsible_name

    def is_overdue(self, today) -> bool:
        return self.status != TaskStatus.DONE and self.deadline < today


class ProgressReport(ScopedModelMixin, models.Model):
    """A unit's report on a task, with an optional evidence file (checked by content)."""

    task = models.ForeignKey(Task, verbose_name="任务", related_name="reports", on_delete=models.CASCADE)
    unit = models.ForeignKey("org.Unit", verbose_name="报送单位", related_name="+", on_delete=models.PROTECT)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    progress = models.PositiveSmallIntegerField("进度（%）")
    note = models.TextField("进展情况")
    evidence = models.FileField("佐证材料", upload_to="campaigns/evidence/%Y/%m/", blank=True)
    evidence_name = models.CharField("原文件名", max_length=200, blank=True)
    evidence_kind = models.CharField("文件类型", max_length=10, blank=True)
    created_at = models.DateTimeField("报送时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "进展报送"
        verbose_name_plural = "进展报送"
        ordering = ("-created_at", "-id")

    @classmethod
    def scope_q(cls, scope: Scope, user) -> Q:
        return Q(task__in=Task.objects.filter(Task.scope_q(scope, user)).values("pk"))


class TaskEventKind(models.TextChoices):
    CREATED = "created", "下达"
    UPDATED = "updated", "调整"
    SCHEDULED = "scheduled", "倒排工期"
    PROGRESS = "progress", "报送进展"
    COMPLETED = "completed", "完成"
    ESCALATED = "escalated", "超期督办"


class TaskEvent(models.Model):
    """The task's own timeline (the audit log holds the same facts, hash-chained)."""

    task = models.ForeignKey(Task, verbose_name="任务", related_name="events", on_delete=models.CASCADE)
    kind = models.CharField("事件", max_length=12, choices=TaskEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    at = models.DateTimeField("时间")
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "任务动态"
        verbose_name_plural = "任务动态"
        ordering = ("at", "id")


class ResponsibilityLetter(ScopedModelMixin, models.Model):
    """目标责任书: one per unit and year, with its targets and the signed scan."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name="责任单位", related_name="responsibility_letters", on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    targets = models.JSONField("目标任务", default=list, blank=True)
    signatory = models.CharField("签订人", max_length=100, blank=True)
    signed_on = models.DateField("签订日期", null=True, blank=True)
    scan = models.FileField("签字盖章扫描件", upload_to="campaigns/letters/%Y/", blank=True)
    scan_name = models.CharField("原文件名", max_length=200, blank=True)
    scan_kind = models.CharField("文件类型", max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "目标责任书"
        verbose_name_plural = "目标责任书"
        ordering = ("-year", "unit__path")
        constraints = [
            models.UniqueConstraint(
                fields=("unit", "year"),
                name="letter_unit_year_unique",
                violation_error_message="该单位本年度已有责任书",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"

    @property
    def is_signed(self) -> bool:
        return bool(self.scan)


class LeaderAssignment(ScopedModelMixin, models.Model):
    """包抓: a leader (a user) takes charge of an area and/or a unit."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="包抓领导", related_name="leader_assignments", on_delete=models.CASCADE
    )
    area = models.ForeignKey(
        "places.Area", verbose_name="包抓区域", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="包抓单位", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    duty = models.CharField("职责", max_length=200, blank=True)
    start_date = models.DateField("开始日期", null=True, blank=True)
    end_date = models.DateField("结束日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "领导包抓"
        verbose_name_plural = "领导包抓"
        ordering = ("leader_id", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=False) | Q(unit__isnull=False),
                name="leader_assignment_has_target",
                violation_error_message="须指定包抓区域或包抓单位",
            )
        ]

    def __str__(self) -> str:
        return f"{self.leader} 包抓 {self.area or self.unit}"

    @classmethod
    def scope_q(cls, scope: Scope, user) -> Q:
        return Q(unit__in=scope.unit_ids) | Q(area__unit__in=scope.unit_ids) | Q(leader_id=user.pk)


class FrontagePledge(ScopedModelMixin, models.Model):
    """门前三包: the occupant of a site pledges to keep its frontage clean, orderly and green.

    ``street`` is the site's street/town unit, fixed when the pledge is signed, for counts per street.
    """

    site = models.ForeignKey("places.Site", verbose_name="点位", related_name="pledges", on_delete=models.PROTECT)
    street = models.ForeignKey(
        "org.Unit", verbose_name="所属街道", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    party = models.CharField("责任人（商户）", max_length=120)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    signed_on = models.DateField("签订日期")
    scan = models.FileField("责任书扫描件", upload_to="campaigns/pledges/%Y/", blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "门前三包"
        verbose_name_plural = "门前三包"
        ordering = ("-signed_on", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("site", "year"),
                name="pledge_site_year_unique",
                violation_error_message="该点位本年度已签订门前三包",
            )
        ]

    def __str__(self) -> str:
        return f"{self.site} · {self.party}"

    @classmethod
    def scope_q(cls, scope: Scope, user) -> Q:
        return Q(site__unit__in=scope.unit_ids) | Q(street__in=scope.unit_ids)


# 抄告单 and meetings live in their own modules (one subject each) and are registered with this app here.
from chuangcheng.campaigns.meeting_models import (  # noqa: E402, F401
    AttendanceStatus,
    Attendee,
    DecisionOutcome,
    Meeting,
    MeetingDecision,
    MeetingKind,
)
from chuangcheng.campaigns.notice_models import Notice, NoticeEvent, NoticeEventKind, NoticeStatus  # noqa: E402, F401
