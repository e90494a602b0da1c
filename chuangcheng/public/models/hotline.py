"""12345 hotline work orders: the import batches and the ledger of orders (one row per 工单编号)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", "已上传"
    IMPORTED = "imported", "已导入"
    FAILED = "failed", "校验未通过"


class HotlineBatch(ScopedModelMixin, models.Model):
    """One uploaded file: its column mapping, validation outcome and counts."""

    filename = models.CharField("文件名", max_length=200)
    file = models.FileField("文件", upload_to="public/hotline/")
    headers = models.JSONField("表头", default=list)
    # The sheet row (1-based) the header was found on (a title row and blank rows may come first), and
    # the first rows of the sheet as read, so the person can pick another header row without a re-read.
    header_row = models.PositiveIntegerField("表头所在行", default=1)
    head_rows = models.JSONField("文件开头几行", default=list, blank=True)
    mapping = models.JSONField("列对应", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=BatchStatus.choices, default=BatchStatus.UPLOADED)
    total = models.PositiveIntegerField("行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    changed_count = models.PositiveIntegerField("变更", default=0)
    unchanged_count = models.PositiveIntegerField("未变", default=0)
    changes = models.JSONField("变更明细", default=list, blank=True)
    issues = models.JSONField("错误明细", default=list, blank=True)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, related_name="+", on_delete=models.SET_NULL)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "12345 导入批次"
        verbose_name_plural = "12345 导入批次"
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.filename}（{self.created_at:%Y-%m-%d %H:%M}）"


class HotlineOrder(ScopedModelMixin, models.Model):
    """A 12345 work order as the hotline sent it; ``row_hash`` detects changes on re-import."""

    number = models.CharField("工单编号", max_length=40, unique=True)
    received_at = models.DateTimeField("受理时间")
    title = models.CharField("标题", max_length=200, blank=True)
    content = models.TextField("诉求内容")
    category_text = models.CharField("诉求分类", max_length=100, blank=True)
    category = models.ForeignKey(
        "places.SiteCategory",
        verbose_name="问题类别",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    address = models.CharField("地址", max_length=200, blank=True)
    lng = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    caller_name = models.CharField("来电人", max_length=50, blank=True)
    caller_phone = models.CharField("来电号码", max_length=30, blank=True)
    district_text = models.CharField("所属区县", max_length=60, blank=True)
    handler_text = models.CharField("承办单位（热线）", max_length=100, blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="承办单位", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    deadline = models.DateField("办理时限", null=True, blank=True)
    urge_text = models.CharField("催办", max_length=40, blank=True)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name="问题案卷",
        null=True,
        blank=True,
        related_name="hotline_order",
        on_delete=models.SET_NULL,
    )
    # Why the last attempt to open the case failed (the order stays 待立案 and is tried again).
    case_error = models.CharField("未立案原因", max_length=300, blank=True)
    row_hash = models.CharField(max_length=64, editable=False)
    batch = models.ForeignKey(
        HotlineBatch, verbose_name="最近导入批次", related_name="orders", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "12345 工单"
        verbose_name_plural = "12345 工单"
        ordering = ("-received_at", "-id")
        indexes = [
            # Orders still waiting for their case (the resume after a crash reads only these).
            models.Index(fields=("id",), condition=models.Q(case__isnull=True), name="hotline_order_pending_idx"),
        ]

    def __str__(self) -> str:
        return self.number
