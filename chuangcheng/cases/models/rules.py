from django.db import models
from django.db.models import Q

from chuangcheng.cases.models.cases import CaseSource, Severity
from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class RoutingRule(ScopedModelMixin, models.Model):
    """Editable routing: (check item or category) × area → lead unit + cooperating units.

    Empty fields match anything; the most specific active rule wins (check item over
    category, a smaller area over a larger one), then ``priority`` (higher first).
    """

    name = models.CharField("规则名称", max_length=100)
    check_item = models.ForeignKey(
        "standards.CheckItem", verbose_name="检查项", null=True, blank=True, on_delete=models.CASCADE
    )
    category = models.ForeignKey(
        "places.SiteCategory", verbose_name="类别", null=True, blank=True, on_delete=models.CASCADE
    )
    area = models.ForeignKey(
        "places.Area", verbose_name="区域（含下级）", null=True, blank=True, on_delete=models.CASCADE
    )
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name="牵头单位", related_name="lead_routing_rules", on_delete=models.PROTECT
    )
    cooperating_units = models.ManyToManyField(
        "org.Unit", verbose_name="配合单位", blank=True, related_name="cooperating_routing_rules"
    )
    priority = models.IntegerField("优先级", default=0)
    is_active = models.BooleanField("启用", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    SCOPE_FIELDS = ("lead_unit",)

    class Meta:
        verbose_name = "分派规则"
        verbose_name_plural = "分派规则"
        ordering = ("-priority", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(check_item__isnull=False) | Q(category__isnull=False) | Q(area__isnull=False),
                name="routing_rule_matches_something",
                violation_error_message="检查项、类别、区域至少填写一项",
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeadlineRule(models.Model):
    """Rectification limit in working days for a category and/or severity (a check item's own
    ``deadline_days`` wins over these)."""

    category = models.ForeignKey(
        "places.SiteCategory", verbose_name="类别", null=True, blank=True, on_delete=models.CASCADE
    )
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices, blank=True)
    days = models.PositiveSmallIntegerField("整改期限（工作日）")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "整改期限规则"
        verbose_name_plural = "整改期限规则"
        constraints = [
            models.UniqueConstraint(
                fields=("category", "severity"), name="deadline_rule_unique", violation_error_message="该规则已存在"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category or '任意类别'} · {self.get_severity_display() or '任意程度'} · {self.days}个工作日"


class SourcePolicy(models.Model):
    """What the office requires per case source (来源). A source without a row follows the deployment
    default (``CASES_VERIFY_PHOTO_SOURCES``)."""

    source = models.CharField("来源", max_length=20, choices=CaseSource.choices, unique=True)
    verify_photo_required = models.BooleanField(
        "核查须上传现场照片", default=False, help_text="核查人须上传本人现场拍摄的照片才能销号"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "来源核查要求"
        verbose_name_plural = "来源核查要求"
        ordering = ("source",)

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {'须现场照片' if self.verify_photo_required else '无需现场照片'}"
