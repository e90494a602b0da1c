from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class UnitKind(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    OFFICE = "office", "创建办/爱卫办/文明办"
    DEPARTMENT = "department", "职能部门"
    DISTRICT = "district", "区县"
    STREET = "street", "街道/乡镇"
    COMMUNITY = "community", "社区/村"
    ENTERPRISE = "enterprise", "企事业单位"
    OTHER = "other", "其他"


TERRITORIAL_KINDS = {UnitKind.PROVINCE, UnitKind.CITY, UnitKind.DISTRICT, UnitKind.STREET, UnitKind.COMMUNITY}


class Unit(ScopedModelMixin, models.Model):
    """A node of the unit tree. ``path`` is the materialised chain of ids, e.g. ``/1/7/42/``."""

    code = models.CharField("单位编码", max_length=40, unique=True)
    name = models.CharField("单位名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("类型", max_length=20, choices=UnitKind.choices)
    division_code = models.CharField(
        "行政区划代码", max_length=12, null=True, blank=True, unique=True, help_text="国家统计局统一的行政区划代码"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.IntegerField("排序", default=0)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    SCOPE_FIELDS = ("pk",)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ("path",)
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="unit_not_own_parent",
                violation_error_message="上级单位不能是自己",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_territorial(self) -> bool:
        return self.kind in TERRITORIAL_KINDS

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]
