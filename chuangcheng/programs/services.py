"""Writes for campaigns: create, update, close; and the checks other apps call when an object gets a campaign.

Every rule raises ``DomainError`` with a Chinese message naming the field, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.permissions import is_office
from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.org.models import Unit
from chuangcheng.programs.models import Campaign, CampaignStatus
from chuangcheng.programs.permissions import can_attach_to_campaign, can_create_campaign_at, can_manage_campaign
from chuangcheng.programs.selectors import current_campaign_for_unit, supervising_campaign, within
from chuangcheng.programs.titles import Title, family_of_standard, levels_label, title_fits
from chuangcheng.standards.models import Standard

EDITABLE = (
    "name",
    "title",
    "standard",
    "office_unit",
    "parent",
    "status",
    "starts_on",
    "ends_on",
    "description",
    "is_demo",
)
OPEN_STATUSES = (CampaignStatus.PREPARING, CampaignStatus.ACTIVE)


def _check(campaign: Campaign) -> None:
    """The campaign's own invariants (``campaign`` is unsaved or carries the changed values)."""
    if not campaign.code.strip():
        raise DomainError("请填写活动编码", field="code")
    if not campaign.name.strip():
        raise DomainError("请填写活动名称", field="name")
    unit = campaign.unit
    if not unit.is_territorial:
        raise DomainError(f"创建单位须为市、区县、街道乡镇或社区村，“{unit.name}”不是属地单位", field="unit")
    if campaign.title not in Title.values:
        raise DomainError("请选择创建目标", field="title")
    if not title_fits(campaign.title, unit.kind):
        raise DomainError(
            f"创建目标“{Title(campaign.title).label}”只适用于{levels_label(campaign.title)}，"
            f"“{unit.name}”是{unit.get_kind_display()}",
            field="title",
        )
    if campaign.standard_id is None:
        raise DomainError("创建活动必须选择评价标准", field="standard")
    if campaign.office_unit_id is not None and not within(campaign, campaign.office_unit):
        raise DomainError(f"创建办“{campaign.office_unit.name}”不在“{unit.name}”的辖区内", field="office_unit")
    parent = campaign.parent
    if parent is not None:
        if parent.pk == campaign.pk:
            raise DomainError("上级活动不能是自己", field="parent")
        if parent.unit_id == unit.pk or not within(parent, unit):
            raise DomainError(f"上级活动“{parent.name}”须属于“{unit.name}”的上级单位", field="parent")
    if campaign.status not in CampaignStatus.values:
        raise DomainError("未知的活动状态", field="status")
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise DomainError("结束日期不能早于开始日期", field="ends_on")


def _visible_unit(actor, unit: Unit | None, field: str) -> Unit | None:
    if unit is None:
        return None
    if not Unit.objects.visible_to(actor).filter(pk=unit.pk).exists():
        raise DomainError("单位不存在或无权访问", field=field)
    return unit


@transaction.atomic
def create_campaign(
    *,
    actor,
    code: str,
    name: str,
    unit: Unit,
    title: str,
    standard: Standard | None,
    office_unit: Unit | None = None,
    parent: Campaign | None = None,
    status: str = CampaignStatus.ACTIVE,
    starts_on: date | None = None,
    ends_on: date | None = None,
    description: str = "",
    is_demo: bool = False,
) -> Campaign:
    if unit is None:
        raise DomainError("请选择创建单位", field="unit")
    if not is_office(actor):
        raise NotPermitted("只有本级或上级创建办可以设立创建活动")
    if not can_create_campaign_at(actor, unit):
        raise DomainError("创建单位不存在或不在您的辖区内", field="unit")
    _visible_unit(actor, office_unit, "office_unit")
    if parent is not None and not Campaign.objects.visible_to(actor).filter(pk=parent.pk).exists():
        raise DomainError("上级活动不存在或无权访问", field="parent")
    if status == CampaignStatus.CLOSED:
        raise DomainError("新建的活动不能是已结束状态", field="status")
    code = (code or "").strip()
    if code and Campaign.objects.filter(code=code).exists():
        raise DomainError(f"活动编码“{code}”已存在", field="code")
    campaign = Campaign(
        code=code,
        name=(name or "").strip(),
        unit=unit,
        title=title,
        standard=standard,
        office_unit=office_unit,
        parent=parent if parent is not None else supervising_campaign(unit, title),
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        is_demo=is_demo,
        created_by=actor,
    )
    _check(campaign)
    campaign.save()
    record(
        actor=actor,
        verb="programs.campaign_created",
        target=campaign,
        unit=unit,
        changes={
            "code": [None, campaign.code],
            "unit": [None, unit.code],
            "title": [None, campaign.title],
            "standard": [None, standard.pk],
            "parent": [None, campaign.parent_id],
        },
    )
    return campaign


@transaction.atomic
def update_campaign(*, campaign: Campaign, actor, **changes) -> Campaign:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        field = sorted(unknown)[0]
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}", field=field)
    campaign = Campaign.objects.select_for_update(no_key=True).select_related("unit").get(pk=campaign.pk)
    if not can_manage_campaign(actor, campaign):
        raise NotPermitted("只有本级或上级创建办可以修改创建活动")
    if campaign.is_closed:
        raise Conflict("活动已结束，不能再修改", field="status")
    if changes.get("status") == CampaignStatus.CLOSED:
        raise DomainError("请用“结束活动”结束创建活动", field="status")
    if "office_unit" in changes:
        _visible_unit(actor, changes["office_unit"], "office_unit")
    parent = changes.get("parent")
    if parent is not None and not Campaign.objects.visible_to(actor).filter(pk=parent.pk).exists():
        raise DomainError("上级活动不存在或无权访问", field="parent")
    delta = diff(campaign, changes)
    for name, value in changes.items():
        setattr(campaign, name, value)
    _check(campaign)
    campaign.save()
    if delta:
        record(actor=actor, verb="programs.campaign_updated", target=campaign, unit=campaign.unit_id, changes=delta)
    return campaign


@transaction.atomic
def close_campaign(*, campaign: Campaign, actor, ends_on: date | None = None) -> Campaign:
    campaign = Campaign.objects.select_for_update(no_key=True).get(pk=campaign.pk)
    if not can_manage_campaign(actor, campaign):
        raise NotPermitted("只有本级或上级创建办可以结束创建活动")
    if campaign.is_closed:
        raise Conflict("活动已经结束", field="status")
    ends_on = ends_on or campaign.ends_on or timezone.localdate()
    if campaign.starts_on and ends_on < campaign.starts_on:
        raise DomainError("结束日期不能早于开始日期", field="ends_on")
    delta = diff(campaign, {"status": CampaignStatus.CLOSED, "ends_on": ends_on})
    campaign.status = CampaignStatus.CLOSED
    campaign.ends_on = ends_on
    campaign.save(update_fields=["status", "ends_on", "updated_at"])
    record(actor=actor, verb="programs.campaign_closed", target=campaign, unit=campaign.unit_id, changes=delta)
    return campaign


# --- checks for the apps whose objects belong to a campaign -------------------------------------------------


def require_campaign(actor, campaign: Campaign | None, *, field: str = "campaign") -> Campaign | None:
    """A campaign given to a new or changed object must be visible, managed by the actor and not closed."""
    if campaign is None:
        return None
    if not Campaign.objects.visible_to(actor).filter(pk=campaign.pk).exists():
        raise DomainError("创建活动不存在或无权访问", field=field)
    if campaign.is_closed:
        raise DomainError(f"创建活动“{campaign.name}”已结束，不能再添加内容", field=field)
    if not can_attach_to_campaign(actor, campaign):
        raise DomainError(f"只有“{campaign.name}”的创建办或上级创建办可以为它添加内容", field=field)
    return campaign


def require_within(campaign: Campaign | None, units: Iterable, *, field: str, what: str) -> None:
    """Every unit (or object with a ``unit``) lies in the campaign unit's subtree; else a Chinese error naming it."""
    if campaign is None:
        return
    for item in units:
        unit = item if isinstance(item, Unit) else getattr(item, "unit", None)
        if unit is None:
            continue
        if not within(campaign, unit):
            raise DomainError(
                f"{what}“{getattr(item, 'name', unit.name)}”不在创建活动“{campaign.name}”"
                f"（{campaign.unit.name}）的辖区内",
                field=field,
            )


def changed_campaign(actor, current: Campaign | None, changes: dict, *, field: str = "campaign"):
    """In an update: the campaign after ``changes`` (checked only when it changes)."""
    if field not in changes or changes[field] == current:
        return current
    changes[field] = require_campaign(actor, changes[field], field=field)
    return changes[field]


def campaign_for(actor, campaign: Campaign | None, unit: Unit | None = None, *, field: str = "campaign", standard=None):
    """The campaign a new object gets: the chosen one (checked), else the running campaign of its unit, if any.

    With a ``standard`` (a round's), a campaign of the standard's family wins: a 模拟测评 on the 创文 测评手册
    belongs to the 创文 campaign even where the city's 巩卫 runs beside it (双迎)."""
    if campaign is not None:
        return require_campaign(actor, campaign, field=field)
    if unit is None:
        return None
    family = family_of_standard(standard.kind) if standard is not None else None
    return current_campaign_for_unit(unit, family=family)
