"""调度会/推进会: agenda, invited units and persons, attendance per invitee, decisions taken.

Absentees and late-comers of the meetings held in an assessment period are listed in its 通报.
A decision may become a task of a plan or a 抄告单 to a unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from chuangcheng.core.scoping import Scope, ScopedManager, ScopedModelMixin


class MeetingKind(models.TextChoices):
    DISPATCH = "dispatch", "调度会"
    PROGRESS = "progress", "推进会"


class Meeting(ScopedModelMixin, models.Model):
    """A meeting called by ``unit`` (usually the office); visible to the units invited to it."""

    kind = models.CharField("会议类型", max_length=10, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=200)
    unit = models.ForeignKey("org.Unit", verbose_name="召集单位", related_name="+", on_delete=models.PROTECT)
    held_at = models.DateTimeField("会议时间")
    place = models.CharField("地点", max_length=200, blank=True)
    chair = models.CharField("主持人", max_length=50, blank=True)
    agenda = models.TextField("议程")
    attendance_recorded = models.BooleanField("已登记考勤", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "调度会/推进会"
        verbose_name_plural = "调度会/推进会"
        ordering = ("-held_at", "-id")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, scope: Scope, user) -> Q:
        invited = Attendee.objects.filter(meeting=OuterRef("pk")).filter(
            Q(unit__in=scope.unit_ids) | Q(person_id=user.pk)
        )
        return Q(unit__in=scope.unit_ids) | Q(Exists(invited))


class AttendanceStatus(models.TextChoices):
    PENDING = "pending", "未登记"
    PRESENT = "present", "出席"
    LATE = "late", "迟到"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


LAPSES = (AttendanceStatus.ABSENT, AttendanceStatus.LATE)


class Attendee(models.Model):
    """An invited unit, or a named person of that unit; its attendance as recorded at the meeting."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", related_name="attendees", on_delete=models.CASCADE)
    unit = models.ForeignKey("org.Unit", verbose_name="参会单位", related_name="+", on_delete=models.PROTECT)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="参会人员账号",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    person_name = models.CharField("参会人员", max_length=50, blank=True)
    position = models.CharField("职务", max_length=100, blank=True)
    status = models.CharField("出勤", max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PENDING)
    reason = models.CharField("请假/缺席事由", max_length=300, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "参会人员"
        verbose_name_plural = "参会人员"
        ordering = ("meeting", "sort_order", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("meeting", "unit", "person_name"),
                name="attendee_once_per_meeting",
                violation_error_message="该单位/人员已在参会名单中",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        name = self.person.display_name if self.person_id and not self.person_name else self.person_name
        return f"{self.unit.name}{name}" if name else self.unit.name


class DecisionOutcome(models.TextChoices):
    RECORD = "", "仅记录"
    TASK = "task", "转为任务"
    NOTICE = "notice", "发抄告单"


class MeetingDecision(models.Model):
    """议定事项: what the meeting decided, for whom and by when; optionally turned into a task or a notice."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", related_name="decisions", on_delete=models.CASCADE)
    content = models.TextField("议定事项")
    unit = models.ForeignKey(
        "org.Unit", verbose_name="责任单位", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    deadline = models.DateField("完成时限", null=True, blank=True)
    outcome = models.CharField("落实方式", max_length=10, choices=DecisionOutcome.choices, blank=True)
    task = models.ForeignKey(
        "campaigns.Task", verbose_name="任务", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    notice = models.ForeignKey(
        "campaigns.Notice", verbose_name="抄告单", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "议定事项"
        verbose_name_plural = "议定事项"
        ordering = ("meeting", "id")
