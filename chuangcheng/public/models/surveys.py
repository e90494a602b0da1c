"""Satisfaction surveys: questionnaires, published by link and QR code, one response per phone or device."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "进行中"
    CLOSED = "closed", "已结束"


class Survey(ScopedModelMixin, models.Model):
    title = models.CharField("问卷标题", max_length=120)
    description = models.TextField("说明", blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name="发布单位", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    area = models.ForeignKey(
        "places.Area", verbose_name="调查区域", null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    ask_area = models.BooleanField("请受访者选择所在区域", default=True)
    ask_phone = models.BooleanField("请受访者填写手机号（用于去重）", default=False)
    status = models.CharField("状态", max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    token = models.CharField(max_length=24, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "满意度调查"
        verbose_name_plural = "满意度调查"
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    RATING = "rating", "评分"
    TEXT = "text", "文本"


class Indicator(models.TextChoices):
    """What a scored question counts for. ``custom`` is the city's own indicator, named per question."""

    SATISFACTION = "satisfaction", "满意率"
    AWARENESS = "awareness", "知晓率"
    SUPPORT = "support", "支持率"
    PARTICIPATION = "participation", "参与率"
    CUSTOM = "custom", "自定义指标"


class Question(models.Model):
    """``options`` is a list of ``{"key", "label", "satisfied"}``; ``satisfied`` marks the answers
    that count as satisfied (e.g. 满意, 基本满意). A rating counts as satisfied at ``satisfied_from``
    or above."""

    survey = models.ForeignKey(Survey, related_name="questions", on_delete=models.CASCADE)
    kind = models.CharField("题型", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("题目", max_length=300)
    options = models.JSONField("选项", default=list, blank=True)
    required = models.BooleanField("必答", default=True)
    scale = models.PositiveSmallIntegerField("评分分制", default=5)
    satisfied_from = models.PositiveSmallIntegerField("满意起评分", default=4)
    counts_for_satisfaction = models.BooleanField("计入满意率", default=False)
    indicator = models.CharField("计入指标", max_length=16, choices=Indicator.choices, blank=True)
    indicator_name = models.CharField("自定义指标名称", max_length=40, blank=True)
    sort_order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "问卷题目"
        verbose_name_plural = "问卷题目"
        ordering = ("survey", "sort_order", "id")

    def __str__(self) -> str:
        return self.text

    @property
    def indicator_label(self) -> str:
        if self.indicator == Indicator.CUSTOM:
            return self.indicator_name or "自定义指标"
        return self.get_indicator_display() if self.indicator else ""


class SurveyResponse(models.Model):
    """One submission. ``scored``/``satisfied`` count the satisfaction questions answered and the
    satisfied answers among them, so rates aggregate in SQL."""

    survey = models.ForeignKey(Survey, related_name="responses", on_delete=models.CASCADE)
    area = models.ForeignKey(
        "places.Area", verbose_name="所在区域", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    device_hash = models.CharField(max_length=64, blank=True, editable=False)
    address_hash = models.CharField(max_length=64, blank=True, editable=False)
    scored = models.PositiveSmallIntegerField(default=0)
    satisfied = models.PositiveSmallIntegerField(default=0)
    household_ref = models.CharField("户号/门牌", max_length=60, blank=True)
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="调查员",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "问卷答卷"
        verbose_name_plural = "问卷答卷"
        ordering = ("-submitted_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("survey", "phone_hash"),
                condition=~Q(phone_hash=""),
                name="survey_response_once_per_phone",
                violation_error_message="该手机号已提交过本问卷",
            ),
            models.UniqueConstraint(
                fields=("survey", "device_hash"),
                condition=~Q(device_hash=""),
                name="survey_response_once_per_device",
                violation_error_message="本设备已提交过本问卷",
            ),
            models.UniqueConstraint(
                fields=("survey", "area", "household_ref"),
                condition=~Q(household_ref=""),
                name="survey_response_once_per_household",
                violation_error_message="该户已在本问卷中登记过答卷",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.submitted_at:%Y-%m-%d %H:%M}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, related_name="answers", on_delete=models.CASCADE)
    question = models.ForeignKey(Question, related_name="answers", on_delete=models.CASCADE)
    value = models.JSONField("答案")
    counted = models.BooleanField("计为“是”", null=True)

    class Meta:
        verbose_name = "答案"
        verbose_name_plural = "答案"
        constraints = [models.UniqueConstraint(fields=("response", "question"), name="answer_once_per_question")]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class SurveyQuota(models.Model):
    """入户 sampling plan: households to survey in one area (district or street) for one survey."""

    survey = models.ForeignKey(Survey, related_name="quotas", on_delete=models.CASCADE)
    area = models.ForeignKey("places.Area", verbose_name="区域", related_name="+", on_delete=models.PROTECT)
    households = models.PositiveIntegerField("配额（户）")
    derived_from_population = models.BooleanField("按人口推算", default=False)

    class Meta:
        verbose_name = "入户抽样配额"
        verbose_name_plural = "入户抽样配额"
        ordering = ("survey", "area__name")
        constraints = [models.UniqueConstraint(fields=("survey", "area"), name="survey_quota_once_per_area")]

    def __str__(self) -> str:
        return f"{self.survey} · {self.area} · {self.households} 户"
