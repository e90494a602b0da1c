"""Pure predicates about campaigns; services call them, pages reuse them to show or hide controls.

A campaign may be edited by its own office and the offices of the levels above: an office role whose
jurisdiction holds the campaign's unit (``accounts.permissions.is_office_for``; jurisdictions are decided once,
in ``accounts.jurisdiction``, so these predicates follow them).
"""

from __future__ import annotations

from chuangcheng.accounts.permissions import is_office_for


def can_create_campaign_at(user, unit) -> bool:
    return unit is not None and is_office_for(user, unit.pk)


def can_manage_campaign(user, campaign) -> bool:
    """Edit, close, attach windows: the campaign's office and the offices above it."""
    return is_office_for(user, campaign.unit_id)


def can_attach_to_campaign(user, campaign) -> bool:
    """Give a round, plan, scheme, period, window, forecast or assignment this campaign."""
    return can_manage_campaign(user, campaign) and not campaign.is_closed
