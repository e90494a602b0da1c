"""Pure predicates: who may see readiness, run forecasts and keep the inspection windows."""

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.core.scoping import scope_of
from chuangcheng.readiness.models import READINESS_ROLES


def can_view_readiness(user) -> bool:
    return scope_of(user).has_role(*READINESS_ROLES)


def can_run_forecast(user) -> bool:
    return can_view_readiness(user)


def can_manage_windows(user) -> bool:
    return scope_of(user).has_role(*OFFICE_ROLES)


def sees_countdown(user) -> bool:
    """The header countdown is for the office and leaders."""
    return scope_of(user).has_role(*OFFICE_ROLES, Role.LEADER)


def can_edit_window(user, window) -> bool:
    """A window is kept by its campaign's office or an office above it; one without a campaign by the root's."""
    scope = scope_of(user)
    if not scope.has_role(*OFFICE_ROLES):
        return False
    if scope.sees_all:
        return True
    return window.campaign_id is not None and scope.is_office_for(window.campaign.unit_id)
