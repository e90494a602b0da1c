"""Action rights as pure predicates (visibility itself is ``scope_q`` on the models)."""

from __future__ import annotations

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.core.scoping import scope_of
from chuangcheng.inspections.models import InspectionRound, RoundStatus, SiteVisit


def is_office(user) -> bool:
    return scope_of(user).has_role(*OFFICE_ROLES)


def can_plan_rounds(user) -> bool:
    return is_office(user)


def can_publish_round(user, round_: InspectionRound) -> bool:
    return round_.status == RoundStatus.CLOSED and can_manage_round(user, round_)


def is_round_inspector(user, round_: InspectionRound) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return round_.inspectors.filter(pk=user.pk).exists()


def can_inspect(user, visit: SiteVisit) -> bool:
    """The visit's inspector (or, while unassigned, any of the round's inspectors) until field work closes."""
    if visit.round.status != RoundStatus.DRAWN:
        return False
    if visit.inspector_id is not None:
        return visit.inspector_id == user.pk
    return is_round_inspector(user, visit.round)


def can_see_report(user, round_: InspectionRound) -> bool:
    """Office and leaders always; others once the round is published (visibility still applies)."""
    scope = scope_of(user)
    return scope.has_role(*OFFICE_ROLES, Role.LEADER) or round_.status == RoundStatus.PUBLISHED


def can_patrol(user) -> bool:
    return scope_of(user).has_role(Role.GRID_WORKER, *OFFICE_ROLES)


def can_manage_round(user, round_: InspectionRound) -> bool:
    """Plan, draw, close and publish: the office owning the round (its campaign's unit, else the creator's
    jurisdiction) or an office above it; the root's office always. A county office never runs the city's round."""
    from chuangcheng.core.scoping import owned_q

    scope = scope_of(user)
    if not scope.has_role(*OFFICE_ROLES):
        return False
    if scope.sees_all:
        return True
    return InspectionRound.objects.filter(pk=round_.pk).filter(owned_q(scope)).exists()
