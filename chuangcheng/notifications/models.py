from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class NotificationKind(models.TextChoices):
    CASE_DISPATCHED = "case_dispatched", "新派遣的问题"
    CASE_RETURNED = "case_returned", "问题被退回"
    CASE_REQUEST = "case_request", "延期/挂账申请"
    CASE_DECISION = "case_decision", "申请审批结果"
    CASE_SUBMITTED = "case_submitted", "待核查的问题"
    CASE_SENT_BACK = "case_sent_back", "问题被返工"
    CASE_CLOSED = "case_closed", "问题已办结"
    CASE_ESCALATED = "case_escalated", "催办/督办"
    GENERAL = "general", "其他通知"


class Notification(ScopedModelMixin, models.Model):
    """One in-app message for one user (the inbox)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", related_name="notifications", on_delete=models.CASCADE
    )
    kind = models.CharField("类型", max_length=30, choices=NotificationKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name="问题", null=True, blank=True, related_name="notifications", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # Chasing (notifications/reminders.py): re-sent every N hours to the named person until acknowledged.
    requires_ack = models.BooleanField("须确认收到", default=False)
    urgent = models.BooleanField("紧急", default=False)
    acknowledged_at = models.DateTimeField("确认收到时间", null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField("已提醒次数", default=0)
    next_reminder_at = models.DateTimeField("下次提醒时间", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ("-id",)
        indexes = [
            models.Index(fields=("user", "read_at", "id")),
            models.Index(
                fields=("next_reminder_at",),
                name="notification_reminder_due",
                condition=Q(next_reminder_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        return Q(user=getattr(user, "pk", None))


class NotificationPreference(ScopedModelMixin, models.Model):
    """What a user receives per kind; no row means in-app on, email off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", related_name="notification_preferences", on_delete=models.CASCADE
    )
    kind = models.CharField("类型", max_length=30, choices=NotificationKind.choices)
    in_app = models.BooleanField("站内通知", default=True)
    email = models.BooleanField("邮件", default=False)
    # No row: SMS only for kinds that must be acknowledged (督办, 抄告单…), when the user has a mobile number.
    sms = models.BooleanField("短信", default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = "通知偏好"
        verbose_name_plural = "通知偏好"
        constraints = [
            models.UniqueConstraint(
                fields=("user", "kind"), name="notification_pref_unique", violation_error_message="该类型偏好已存在"
            )
        ]

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        return Q(user=getattr(user, "pk", None))


class WebhookKind(models.TextChoices):
    DINGTALK = "dingtalk", "钉钉群机器人"
    WECOM = "wecom", "企业微信群机器人"


class MessageFormat(models.TextChoices):
    MARKDOWN = "markdown", "Markdown"
    TEXT = "text", "纯文本"


class Webhook(ScopedModelMixin, models.Model):
    """A group robot of a unit; receives the unit's case events (``kinds`` empty = all)."""

    unit = models.ForeignKey("org.Unit", verbose_name="单位", related_name="webhooks", on_delete=models.CASCADE)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=10, choices=WebhookKind.choices)
    url = models.URLField("Webhook 地址", max_length=500)
    secret = models.CharField("加签密钥（钉钉）", max_length=200, blank=True)
    msg_format = models.CharField(
        "消息格式", max_length=10, choices=MessageFormat.choices, default=MessageFormat.MARKDOWN
    )
    kinds = models.JSONField("通知类型", default=list, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    LOGGED = "logged", "仅记录（未配置短信网关）"
    FAILED = "failed", "发送失败"


class Channel(models.TextChoices):
    EMAIL = "email", "邮件"
    WEBHOOK = "webhook", "群机器人"
    SMS = "sms", "短信"


class Delivery(models.Model):
    """An email, SMS or group-robot message: written in the notifying transaction (a durable outbox),
    sent after commit and by the periodic job ``send_due_deliveries`` with retries and backoff."""

    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.CASCADE)
    webhook = models.ForeignKey(Webhook, null=True, blank=True, on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    recipient = models.CharField("接收方", max_length=500)
    subject = models.CharField("标题", max_length=200, blank=True)
    payload = models.JSONField("内容", default=dict)
    status = models.CharField("状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    next_attempt_at = models.DateTimeField("下次尝试时间", null=True, blank=True)
    is_test = models.BooleanField("测试消息", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "发送记录"
        verbose_name_plural = "发送记录"
        ordering = ("-id",)
        indexes = [
            models.Index(fields=("next_attempt_at", "id"), name="delivery_pending_due", condition=Q(status="pending"))
        ]


class ChasingPolicy(models.Model):
    """How notifications that must be acknowledged are chased (one row, kept by the office; defaults from
    settings until the office saves it). Reference data of the installation: readable by every user."""

    reminder_hours = models.PositiveSmallIntegerField("提醒间隔（小时）", default=4)
    max_reminders = models.PositiveSmallIntegerField("最多提醒次数", default=10)
    quiet_start = models.TimeField("夜间免打扰开始", default="22:00")
    quiet_end = models.TimeField("夜间免打扰结束", default="07:30")
    urgent_in_quiet = models.BooleanField("紧急提醒不受免打扰限制", default=False)
    ack_kinds = models.JSONField("须确认收到的通知类型", default=list, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "催办提醒规则"
        verbose_name_plural = "催办提醒规则"
