"""Campaigns (创建活动): the root object every level's rounds, plans, assessments, windows,
forecasts and archive assignments belong to.

A campaign belongs to a territorial unit (city, county/district, town/street, village/community), aims at a
title (``titles.Title``) that must fit the unit's level, is judged by a standard version and may be supervised
by the campaign of the level above (``parent``). Several run at once.

Scope: a campaign is visible to users whose scope covers its unit (its own level and every level above), and to
the units below it that take part in it (their members see the campaigns of their ancestors, read-only), never
to a sibling.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q

from chuangcheng.core.scoping import Scope, ScopedManager, ScopedModelMixin
from chuangcheng.programs.titles import Title, family_of


class CampaignStatus(models.TextChoices):
    PREPARING = "preparing", "筹备"
    ACTIVE = "active", "进行中"
    CLOSED = "closed", "已结束"


class Campaign(ScopedModelMixin, models.Model):
    code = models.CharField("活动编码", max_length=60, unique=True)
    name = models.CharField("活动名称", max_length=200)
    unit = models.ForeignKey("org.Unit", verbose_name="创建单位", related_name="programs", on_delete=models.PROTECT)
    title = models.CharField("创建目标", max_length=40, choices=Title.choices)
    standard = models.ForeignKey(
        "standards.Standard", verbose_name="评价标准", related_name="programs", on_delete=models.PROTECT
    )
    office_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="创建办",
        null=True,
        blank=True,
        related_name="office_programs",
        on_delete=models.PROTECT,
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级活动", null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    status = models.CharField("状态", max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)
    starts_on = models.DateField("开始日期", null=True, blank=True)
    ends_on = models.DateField("结束日期", null=True, blank=True)
    description = models.TextField("说明", blank=True)
    is_demo = models.BooleanField("演示", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "创建活动"
        verbose_name_plural = "创建活动"
        ordering = ("unit__path", "-starts_on", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message="结束日期不能早于开始日期",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="campaign_not_own_parent",
                violation_error_message="上级活动不能是自己",
            ),
        ]
        indexes = [models.Index(fields=("unit", "status"), name="campaign_unit_status_idx")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, scope: Scope, user) -> Q:
        """Campaigns of units in scope, plus those of the ancestors of the user's own units."""
        from chuangcheng.org.models import Unit

        below = Unit.objects.filter(pk__in=scope.member_unit_ids, path__startswith=OuterRef("unit__path"))
        return Q(unit__in=scope.unit_ids) | Q(Exists(below))

    @property
    def family(self) -> str:
        return family_of(self.title)

    @property
    def is_closed(self) -> bool:
        return self.status == CampaignStatus.CLOSED
