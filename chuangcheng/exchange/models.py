"""Two-way exchange with other systems (数字城管/运管服, district systems, 12345, Open311 servers).

``Endpoint`` is a system the office configured; ``Exchange`` is one message in or out: the outbox row
of an outbound push (written in the same transaction as the case change, sent by the worker) and the
log of every exchange, both ways; ``InboundNonce`` refuses replays; ``RemoteRequest`` maps an Open311
request pulled from another server to its case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class EndpointKind(models.TextChoices):
    CITY_MGMT = "city_mgmt", "数字城管/运管服"
    DISTRICT = "district", "区县系统"
    HOTLINE = "hotline", "12345 热线"
    OPEN311 = "open311", "Open311 服务器（拉取）"


class Endpoint(ScopedModelMixin, models.Model):
    """A system cases go to and come back from. ``unit`` stands for that system in the unit tree:
    its system actor (``actor``, a 单位承办人 there without a password) takes the workflow actions the
    other system reports. The shared ``secret`` signs both ways and is never shown back in full."""

    code = models.SlugField("接口编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=12, choices=EndpointKind.choices)
    url = models.URLField("地址", max_length=500)
    secret = models.CharField("共享密钥", max_length=128)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="对应单位", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="系统账号",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    manual_only = models.BooleanField("仅手动转派", default=False)
    rule_categories = models.ManyToManyField(
        "places.SiteCategory", verbose_name="推送的问题类别", blank=True, related_name="+"
    )
    rule_areas = models.ManyToManyField("places.Area", verbose_name="推送的区域", blank=True, related_name="+")
    rule_units = models.ManyToManyField("org.Unit", verbose_name="推送的责任单位", blank=True, related_name="+")
    rule_sources = models.JSONField("推送的来源", default=list, blank=True)
    open311_jurisdiction = models.CharField("Open311 jurisdiction_id", max_length=100, blank=True)
    open311_api_key = models.CharField("Open311 api_key", max_length=128, blank=True)
    pull_every_minutes = models.PositiveIntegerField("拉取间隔（分钟）", default=15)
    last_pulled_at = models.DateTimeField("上次拉取", null=True, blank=True)
    pulled_until = models.DateTimeField("已拉取至", null=True, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "对接系统"
        verbose_name_plural = "对接系统"
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        """Configuration of the office: nobody else sees endpoints (the office sees all)."""
        return Q(pk__in=[])

    @property
    def masked_secret(self) -> str:
        return "••••" + self.secret[-4:] if len(self.secret) >= 12 else "••••"


class Direction(models.TextChoices):
    OUT = "out", "推送"
    IN = "in", "接收"


class ExchangeKind(models.TextChoices):
    PUSH = "push", "推送案件"
    REPLY = "reply", "12345 回复办结"
    STATUS = "status", "状态回传"
    ORDER = "order", "12345 工单推入"
    PULL = "pull", "Open311 拉取"


class ExchangeStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    RETRYING = "retrying", "重试中"
    SENT = "sent", "已送达"
    FAILED = "failed", "失败"
    ACCEPTED = "accepted", "已处理"
    DUPLICATE = "duplicate", "重复（已忽略）"
    REFUSED = "refused", "已拒绝"


DUE_STATUSES = (ExchangeStatus.PENDING, ExchangeStatus.RETRYING)


class Exchange(ScopedModelMixin, models.Model):
    """One message: outbound rows are the outbox (due while 待发送/重试中), every row is the log."""

    direction = models.CharField("方向", max_length=3, choices=Direction.choices)
    kind = models.CharField("类型", max_length=8, choices=ExchangeKind.choices)
    endpoint = models.ForeignKey(
        Endpoint, verbose_name="对接系统", null=True, blank=True, related_name="exchanges", on_delete=models.PROTECT
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name="问题", null=True, blank=True, related_name="exchanges", on_delete=models.SET_NULL
    )
    idempotency_key = models.CharField("幂等键", max_length=120)
    payload = models.JSONField("报文", default=dict, blank=True)
    payload_hash = models.CharField("报文摘要", max_length=64)
    status = models.CharField("状态", max_length=10, choices=ExchangeStatus.choices)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    response_code = models.PositiveSmallIntegerField("响应码", null=True, blank=True)
    error = models.CharField("错误", max_length=500, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "交换记录"
        verbose_name_plural = "交换记录"
        ordering = ("-id",)
        constraints = [
            models.UniqueConstraint(
                fields=("endpoint", "idempotency_key"),
                condition=Q(direction="out"),
                name="exchange_out_once",
                violation_error_message="同一对接系统的同一幂等键只推送一次",
            ),
            models.UniqueConstraint(
                fields=("endpoint", "kind", "idempotency_key"),
                condition=Q(direction="in", status="accepted"),
                name="exchange_in_once",
                violation_error_message="同一条回传只处理一次",
            ),
        ]
        indexes = [
            models.Index(
                fields=("next_attempt_at", "id"),
                condition=Q(status__in=["pending", "retrying"]),
                name="exchange_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.idempotency_key}"

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        """A case's exchanges are seen by whoever sees the case; the rest by the office only."""
        from chuangcheng.cases.models import Case

        return Q(case__in=Case.objects.visible_to(user).values("pk"))


class InboundNonce(models.Model):
    """Nonces of signed inbound requests, kept for the replay window (reference data of the protocol)."""

    endpoint = models.ForeignKey(Endpoint, related_name="+", on_delete=models.CASCADE)
    nonce = models.CharField(max_length=64)
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("endpoint", "nonce"), name="exchange_nonce_once", violation_error_message="请求已被使用（重放）"
            )
        ]


class RemoteRequest(ScopedModelMixin, models.Model):
    """An Open311 request pulled from another server: one case per remote ``service_request_id``."""

    endpoint = models.ForeignKey(Endpoint, verbose_name="对接系统", related_name="+", on_delete=models.PROTECT)
    service_request_id = models.CharField("远端编号", max_length=100)
    case = models.ForeignKey(
        "cases.Case", verbose_name="问题", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    remote_status = models.CharField("远端状态", max_length=20, blank=True)
    remote_updated_at = models.CharField("远端更新时间", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "Open311 远端请求"
        verbose_name_plural = "Open311 远端请求"
        constraints = [
            models.UniqueConstraint(
                fields=("endpoint", "service_request_id"),
                name="exchange_remote_once",
                violation_error_message="该远端请求已拉取",
            )
        ]

    @classmethod
    def scope_q(cls, scope, user) -> Q:
        from chuangcheng.cases.models import Case

        return Q(case__in=Case.objects.visible_to(user).values("pk"))
