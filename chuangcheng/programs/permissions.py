"""Pure predicates about campaigns; services call them, pages reuse them to show or hide controls.

A campaign may be edited by its own office and the offices of the levels above: an office role
(``accounts.permissions.is_office``) whose scope covers the campaign's unit. How far an office's scope reaches
is decided once, in ``accounts`` (jurisdictions), so these predicates follow it automatically.
"""

from __future__ import annotations

from chuangcheng.accounts.permissions import is_office
from chuangcheng.core.scoping import scope_of


def sees_unit(user, unit_id) -> bool:
    """The unit is inside the user's data scope (its subtree, or everything)."""
    scope = scope_of(user)
    return scope.sees_all or unit_id in scope.unit_ids


def can_create_campaign_at(user, unit) -> bool:
    return unit is not None and is_office(user) and sees_unit(user, unit.pk)


def can_manage_campaign(user, campaign) -> bool:
    """Edit, close, attach windows: the campaign's office and the offices above it."""
    return is_office(user) and sees_unit(user, campaign.unit_id)


def can_attach_to_campaign(user, campaign) -> bool:
    """Give a round, plan, scheme, period, window, forecast or assignment this campaign."""
    return can_manage_campaign(user, campaign) and not campaign.is_closed
