"""Volunteers and teams (队伍), each belonging to a unit (a community, an enterprise, a department).

The 身份证号 is never stored in clear: ``id_masked`` keeps the first six and last four characters
(``110101********1234``) and ``id_hash`` an HMAC of the full number with the installation's secret
(``identity.id_hash``), unique, so the same person cannot be registered twice. A number that arrives
already masked from another system has no hash (``id_hash`` empty, shown as 待核实); see ``identity.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from chuangcheng.core.scoping import ScopedManager, ScopedModelMixin


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", "在册"
    PAUSED = "paused", "暂停服务"
    LEFT = "left", "已退出"


class Volunteer(ScopedModelMixin, models.Model):
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号", max_length=20, help_text="显示时隐去中间四位")
    id_masked = models.CharField("身份证号（脱敏）", max_length=18)
    id_hash = models.CharField("身份证号校验值", max_length=64, blank=True, editable=False)
    skills = models.CharField("技能特长", max_length=200, blank=True)
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", related_name="+", on_delete=models.PROTECT)
    area = models.ForeignKey(
        "places.Area", verbose_name="所在社区", null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    status = models.CharField("状态", max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE)
    joined_on = models.DateField("注册日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, related_name="+", on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "志愿者"
        verbose_name_plural = "志愿者"
        ordering = ("unit__path", "name", "id")
        indexes = [models.Index(fields=("id_masked", "name")), models.Index(fields=("phone",))]
        constraints = [
            models.UniqueConstraint(
                fields=("id_hash",),
                condition=~Q(id_hash=""),
                name="volunteer_id_number_unique",
                violation_error_message="身份证号：该身份证号已登记为志愿者",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_verified(self) -> bool:
        """False when the number came masked from another system and could not be checked for duplicates."""
        return bool(self.id_hash)

    @property
    def phone_masked(self) -> str:
        from chuangcheng.volunteers.identity import mask_phone

        return mask_phone(self.phone)


class Team(ScopedModelMixin, models.Model):
    name = models.CharField("队伍名称", max_length=100)
    unit = models.ForeignKey("org.Unit", verbose_name="所属单位", related_name="+", on_delete=models.PROTECT)
    leader = models.ForeignKey(
        Volunteer, verbose_name="队长", null=True, blank=True, related_name="led_teams", on_delete=models.SET_NULL
    )
    members = models.ManyToManyField(Volunteer, verbose_name="队员", related_name="teams", blank=True)
    note = models.CharField("简介", max_length=300, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = "志愿服务队"
        verbose_name_plural = "志愿服务队"
        ordering = ("unit__path", "name")
        constraints = [
            models.UniqueConstraint(
                fields=("unit", "name"), name="team_name_per_unit", violation_error_message="该单位已有同名队伍"
            )
        ]

    def __str__(self) -> str:
        return self.name
