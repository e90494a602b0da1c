"""Outcomes attached to units and people: decisions, accountability records and commendations."""

from django.conf import settings
from django.db import models

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class DecisionKind(models.TextChoices):
    REWARD = "reward", "奖励"
    PUNISHMENT = "punishment", "惩处"


class AccountabilityKind(models.TextChoices):
    INTERVIEW = "interview", "约谈"
    CRITICISM = "criticism", "通报批评"
    ADMONITION = "admonition", "诫勉谈话"
    ACCOUNTABILITY = "accountability", "问责"


class OutcomeBase(ScopedModelMixin, models.Model):
    unit = models.ForeignKey("org.Unit", verbose_name="单位", related_name="+", on_delete=models.PROTECT)
    period = models.ForeignKey(
        "assessments.Period", verbose_name="考核周期", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    document = models.FileField("文件", upload_to="assessments/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        abstract = True


class Decision(OutcomeBase):
    """奖惩决定."""

    kind = models.CharField("类型", max_length=12, choices=DecisionKind.choices)
    title = models.CharField("标题", max_length=200)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    decided_on = models.DateField("决定日期")
    content = models.TextField("内容", blank=True)
    amount = models.DecimalField("奖惩金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "奖惩决定"
        verbose_name_plural = "奖惩决定"
        ordering = ("-decided_on", "-id")

    def __str__(self) -> str:
        return self.title


class PersonOutcome(OutcomeBase):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员账号",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    person_name = models.CharField("姓名", max_length=50, blank=True)
    position = models.CharField("职务", max_length=100, blank=True)
    decision = models.ForeignKey(
        Decision, verbose_name="依据决定", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )

    class Meta:
        abstract = True


class AccountabilityRecord(PersonOutcome):
    """约谈、通报批评、诫勉谈话、问责."""

    kind = models.CharField("方式", max_length=16, choices=AccountabilityKind.choices)
    reason = models.TextField("事由")
    occurred_on = models.DateField("日期")

    class Meta:
        verbose_name = "问责记录"
        verbose_name_plural = "问责记录"
        ordering = ("-occurred_on", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit}"


class Commendation(PersonOutcome):
    """表彰 of a unit or a person; feeds the commendation bonus rule in its period."""

    title = models.CharField("表彰名称", max_length=200)
    reason = models.TextField("事迹", blank=True)
    awarded_on = models.DateField("表彰日期")

    class Meta:
        verbose_name = "表彰"
        verbose_name_plural = "表彰"
        ordering = ("-awarded_on", "-id")

    def __str__(self) -> str:
        return self.title
