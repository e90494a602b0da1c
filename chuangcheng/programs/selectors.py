"""Reads over campaigns: the visible list with counts, choices for forms, and the unit's current campaign."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from chuangcheng.org.models import Unit
from chuangcheng.programs.models import Campaign, CampaignStatus
from chuangcheng.programs.permissions import can_attach_to_campaign
from chuangcheng.programs.titles import Family, family_of

# Reverse names of the objects a campaign owns, shown as counts on the list and detail pages.
OWNED = {
    "rounds": "督查轮次",
    "plans": "工作方案",
    "schemes": "考核办法",
    "periods": "考核周期",
    "windows": "迎检窗口",
    "forecasts": "迎检预测",
    "material_assignments": "资料责任",
}


def campaign_list(user) -> QuerySet[Campaign]:
    """Visible campaigns with their unit, standard, parent and the counts of what they own (one query)."""
    counts = {f"n_{name}": Count(name, distinct=True) for name in ("rounds", "plans", "periods")}
    return (
        Campaign.objects.visible_to(user)
        .select_related("unit", "standard", "office_unit", "parent")
        .annotate(**counts)
        .order_by("unit__path", "-status", "id")
    )


def owned_counts(campaign: Campaign) -> dict[str, tuple[str, int]]:
    """``{reverse name: (label, count)}`` for one campaign (one query)."""
    row = Campaign.objects.filter(pk=campaign.pk).aggregate(**{name: Count(name, distinct=True) for name in OWNED})
    return {name: (label, row[name] or 0) for name, label in OWNED.items()}


def within(campaign: Campaign, unit: Unit) -> bool:
    """The unit lies in the campaign unit's subtree (the unit itself included)."""
    return unit.path.startswith(campaign.unit.path)


def attachable_campaigns(user) -> QuerySet[Campaign]:
    """Campaigns the user may give new objects to (visible, managed by the user, not closed)."""
    campaigns = Campaign.objects.visible_to(user).exclude(status=CampaignStatus.CLOSED).select_related("unit")
    return campaigns.order_by("unit__path", "id")


def attachable_choices(user) -> list[Campaign]:
    return [campaign for campaign in attachable_campaigns(user) if can_attach_to_campaign(user, campaign)]


def _nearest(campaigns: Iterable[Campaign], paths: Iterable[str], family: str | None) -> Campaign | None:
    best: tuple | None = None
    for campaign in campaigns:
        for path in paths:
            if not path.startswith(campaign.unit.path):
                continue
            key = (
                family is None or family_of(campaign.title) == family,
                campaign.status == CampaignStatus.ACTIVE,
                len(campaign.unit.path),
                family_of(campaign.title) == Family.SANITARY,
                -campaign.pk,
            )
            if best is None or key > best[0]:
                best = (key, campaign)
    return best[1] if best else None


def default_campaign_for(user, choices: list[Campaign] | None = None) -> Campaign | None:
    """The active campaign of the user's own unit (the nearest one at or above a unit the user belongs to)."""
    from chuangcheng.core.scoping import scope_of

    choices = attachable_choices(user) if choices is None else choices
    paths = list(Unit.objects.filter(pk__in=scope_of(user).member_unit_ids).values_list("path", flat=True))
    return _nearest(choices, paths, None) or (choices[0] if len(choices) == 1 else None)


def current_campaign_for_unit(unit: Unit, *, family: str | None = None) -> Campaign | None:
    """What a row without a campaign belongs to: the nearest running campaign at or above ``unit``."""
    ancestors = unit.ancestor_ids()
    candidates = (
        Campaign.objects.filter(unit_id__in=ancestors).exclude(status=CampaignStatus.CLOSED).select_related("unit")
    )
    return _nearest(candidates, [unit.path], family)


def supervising_campaign(unit: Unit, title: str) -> Campaign | None:
    """The parent a new campaign at ``unit`` gets by default: the nearest running one strictly above it."""
    ancestors = unit.ancestor_ids()[:-1]
    if not ancestors:
        return None
    candidates = (
        Campaign.objects.filter(unit_id__in=ancestors).exclude(status=CampaignStatus.CLOSED).select_related("unit")
    )
    return _nearest(candidates, [unit.path], family_of(title))


def filter_by_campaign(queryset: QuerySet, campaign_id) -> QuerySet:
    """``?campaign=<id>`` on an owned object's list; ``none`` selects the rows without a campaign."""
    if campaign_id in (None, ""):
        return queryset
    if campaign_id == "none":
        return queryset.filter(campaign__isnull=True)
    return queryset.filter(Q(campaign_id=campaign_id))


def concurrent_campaigns(campaign: Campaign, user=None) -> list[Campaign]:
    """双迎 (combined campaign): the running campaigns of the same unit whose periods overlap this one's, this one
    first, then by title. A campaign without a start or an end date is open on that side. No link field: two
    titles prepared at once are simply two campaigns of one unit running in the same time (a closed campaign
    leaves the others' groups)."""
    others = Campaign.objects.filter(unit_id=campaign.unit_id).exclude(status=CampaignStatus.CLOSED)
    if user is not None:
        others = others.filter(pk__in=Campaign.objects.visible_to(user).values("pk"))
    if campaign.ends_on is not None:
        others = others.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=campaign.ends_on))
    if campaign.starts_on is not None:
        others = others.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=campaign.starts_on))
    rows = list(others.exclude(pk=campaign.pk).select_related("unit", "standard").order_by("title", "id"))
    return [campaign, *rows]
