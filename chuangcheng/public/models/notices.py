"""What residents are told after they report: status notices (one per event, sent by SMS when they left a
mobile number) and their disputes of a closure (市民对办结有异议)."""

from __future__ import annotations

from django.db import models


class NoticeEvent(models.TextChoices):
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"
    DISPATCHED = "dispatched", "已派遣"
    CLOSED = "closed", "已办结"
    REOPENED = "reopened", "已重新办理"


class NoticeStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    LOGGED = "logged", "已记录（未接短信网关）"
    FAILED = "failed", "发送失败"


class ReporterNotice(models.Model):
    """One status notice for a report. ``key`` makes producing it idempotent (a case event is noticed
    once, however often the sweep runs). Delivery goes through the configured SMS backend
    (``public.sms``); the default backend only logs, so its notices say ``logged``, never ``sent``."""

    report = models.ForeignKey("public.Report", verbose_name="随手拍", related_name="notices", on_delete=models.CASCADE)
    event = models.CharField("事件", max_length=12, choices=NoticeEvent.choices)
    key = models.CharField("去重键", max_length=80, unique=True)
    transition = models.ForeignKey(
        "cases.CaseTransition",
        verbose_name="案件流转记录",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    message = models.CharField("短信内容", max_length=300)
    status = models.CharField("状态", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING)
    backend = models.CharField("通道", max_length=40, blank=True)
    provider_id = models.CharField("网关回执", max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.CharField("错误", max_length=500, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "市民进度通知"
        verbose_name_plural = "市民进度通知"
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=("status", "created_at"), name="notice_status_idx")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_event_display()}"


class ReportDispute(models.Model):
    """A resident's dispute of a closure, made on the tracking page with number and code. It opens a
    follow-up case through the cases app's intake (``casebridge.open_followup_case``) and the report then
    follows that case; ``previous_case`` keeps the closed one."""

    report = models.ForeignKey(
        "public.Report", verbose_name="随手拍", related_name="disputes", on_delete=models.CASCADE
    )
    reason = models.TextField("异议理由")
    previous_case = models.ForeignKey("cases.Case", verbose_name="原案卷", related_name="+", on_delete=models.PROTECT)
    new_case = models.ForeignKey(
        "cases.Case", verbose_name="重新办理案卷", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    address_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = "市民办结异议"
        verbose_name_plural = "市民办结异议"
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.report_id} 异议"
