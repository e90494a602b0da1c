"""抄告单: a formal notice to a unit's principal about problems, with receipt, reply and escalation.

Numbered per year (``〔2026〕第3号``); 已发出 → 已签收 → 已回复 → 已办结. A notice whose reply is late
(``reply_due`` passed before the reply) is overdue and climbs the escalation ladder.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", "已发出"
    SIGNED = "signed", "已签收"
    REPLIED = "replied", "已回复"
    CLOSED = "closed", "已办结"


AWAITING_REPLY = (NoticeStatus.ISSUED, NoticeStatus.SIGNED)
DEFAULT_ISSUER = "示范市创建工作领导小组办公室"


class Notice(ScopedModelMixin, models.Model):
    """抄告单 addressed to a unit (and its principal), about the cases it lists."""

    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    issuer = models.CharField("发文机关", max_length=100, default=DEFAULT_ISSUER)
    title = models.CharField("标题", max_length=200)
    unit = models.ForeignKey("org.Unit", verbose_name="主送单位", related_name="notices", on_delete=models.PROTECT)
    principal = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="单位主要负责人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    principal_name = models.CharField("负责人姓名", max_length=50, blank=True)
    body = models.TextField("抄告内容")
    cases = models.ManyToManyField("cases.Case", verbose_name="涉及问题", blank=True, related_name="notices")
    warning_date = models.DateField("预警日期")
    reply_due = models.DateField("要求回复日期")
    status = models.CharField("状态", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发出人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    issued_at = models.DateTimeField("发出时间")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签收人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    reply_text = models.TextField("回复内容", blank=True)
    reply_file = models.FileField("回复附件", upload_to="campaigns/notices/%Y/", blank=True)
    reply_file_name = models.CharField("附件原文件名", max_length=200, blank=True)
    reply_file_kind = models.CharField("附件类型", max_length=10, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办结人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    close_note = models.CharField("办结意见", max_length=500, blank=True)
    escalation_level = models.PositiveSmallIntegerField("督办级别", default=0)
    escalated_at = models.DateTimeField("督办时间", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "抄告单"
        verbose_name_plural = "抄告单"
        ordering = ("-year", "-seq")
        indexes = [models.Index(fields=("status", "reply_due"))]
        constraints = [
            models.UniqueConstraint(
                fields=("year", "seq"), name="notice_year_seq_unique", violation_error_message="该年度已有此编号"
            ),
            models.CheckConstraint(
                condition=Q(reply_due__gte=models.F("warning_date")),
                name="notice_reply_after_warning",
                violation_error_message="要求回复日期不能早于预警日期",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"〔{self.year}〕第{self.seq}号"

    @property
    def addressee(self) -> str:
        name = self.principal.display_name if self.principal_id else self.principal_name
        return f"{self.unit.name}（{name}）" if name else self.unit.name

    def is_overdue(self, today: date) -> bool:
        return self.status in AWAITING_REPLY and self.reply_due < today


class NoticeEventKind(models.TextChoices):
    ISSUED = "issued", "发出"
    SIGNED = "signed", "签收"
    REPLIED = "replied", "回复"
    CLOSED = "closed", "办结"
    ESCALATED = "escalated", "逾期督办"


class NoticeEvent(models.Model):
    """The notice's own timeline (the audit log holds the same facts, hash-chained)."""

    notice = models.ForeignKey(Notice, verbose_name="抄告单", related_name="events", on_delete=models.CASCADE)
    kind = models.CharField("事件", max_length=12, choices=NoticeEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    at = models.DateTimeField("时间")
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "抄告单动态"
        verbose_name_plural = "抄告单动态"
        ordering = ("at", "id")
