"""Citizen reports (随手拍): the submission as sent, its photos, and what moderation publishes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class ReportStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"


class ReportChannel(models.TextChoices):
    WEB = "web", "随手拍网页"
    OPEN311 = "open311", "Open311 接口"


class Report(ScopedModelMixin, models.Model):
    """What a citizen sent. ``description`` is the original and never changes; moderation edits
    ``public_description`` and the photos' public copies. Nothing is public before ``accepted``."""

    number = models.CharField("受理编号", max_length=20, unique=True)
    follow_code_hash = models.CharField(max_length=64, editable=False)
    channel = models.CharField("渠道", max_length=10, choices=ReportChannel.choices, default=ReportChannel.WEB)
    category = models.ForeignKey(
        "places.SiteCategory", verbose_name="问题类别", related_name="citizen_reports", on_delete=models.PROTECT
    )
    lng = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    address = models.CharField("地点描述", max_length=200, blank=True)
    area = models.ForeignKey(
        "places.Area", verbose_name="所在区域", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name="属地单位", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    description = models.TextField("问题描述（原文）")
    public_description = models.TextField("公开描述", blank=True)
    attributes = models.JSONField("补充信息", default=dict, blank=True)
    reporter_name = models.CharField("称呼", max_length=50, blank=True)
    reporter_phone = models.CharField("手机号", max_length=20, blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = models.CharField("邮箱", max_length=100, blank=True)
    device_id = models.CharField("设备标识", max_length=100, blank=True)
    address_hash = models.CharField(max_length=64, blank=True, editable=False)
    token = models.CharField("Open311 令牌", max_length=32, blank=True, db_index=True, editable=False)
    api_key = models.ForeignKey(
        "public.ApiKey",
        verbose_name="接口密钥",
        null=True,
        blank=True,
        related_name="reports",
        on_delete=models.PROTECT,
    )
    status = models.CharField("审核状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)
    moderation_note = models.CharField("审核意见", max_length=500, blank=True)
    interest_count = models.PositiveIntegerField("“我也遇到”人数", default=0)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name="问题案卷",
        null=True,
        blank=True,
        related_name="citizen_report",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    SCOPE_FIELDS = ("unit",)

    class Meta:
        verbose_name = "市民随手拍"
        verbose_name_plural = "市民随手拍"
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=("status", "category", "created_at")),
            models.Index(fields=("status", "lng", "lat")),
            # The Open311 lists' count and page (hand-written in ``open311.selectors``): a window, newest first.
            models.Index(fields=("status", "created_at", "id"), name="public_report_listed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.category}"

    @property
    def is_public(self) -> bool:
        return self.status == ReportStatus.ACCEPTED

    @property
    def shown_description(self) -> str:
        return self.public_description or self.description


def _original_path(instance, filename: str) -> str:
    return f"public/original/{instance.report.number}-{filename}"


def _public_path(instance, filename: str) -> str:
    return f"public/published/{instance.report.number}-{filename}"


class ReportPhoto(models.Model):
    """The uploaded photo kept as sent (office eyes only) and the EXIF-free, possibly redacted
    copy that is the only version the public ever sees."""

    report = models.ForeignKey(Report, related_name="photos", on_delete=models.CASCADE)
    original = models.FileField("原图", upload_to=_original_path)
    public_image = models.FileField("公开图", upload_to=_public_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    redactions = models.JSONField("遮挡区域", default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "随手拍照片"
        verbose_name_plural = "随手拍照片"
        ordering = ("report", "sort_order", "id")

    def __str__(self) -> str:
        return f"{self.report.number} #{self.sort_order + 1}"


class ApiKey(ScopedModelMixin, models.Model):
    """An Open311 client's key (POST requests). Only the hash is stored; the key is shown once."""

    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("前缀", max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", null=True, blank=True, on_delete=models.SET_NULL)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "Open311 接口密钥"
        verbose_name_plural = "Open311 接口密钥"
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
