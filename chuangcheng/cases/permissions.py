"""Pure predicates about who may act on a case; the workflow and the pages share them."""

from __future__ import annotations

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.core.scoping import scope_of

UNIT_ROLES = (Role.UNIT_HANDLER, Role.UNIT_HEAD)

# Kinds of actor named in the workflow table.
OFFICE = "office"
UNIT = "unit"
VERIFIER = "verifier"
LEADER = "leader"
SYSTEM = "system"
ROLE_KIND_LABELS = {OFFICE: "创建办", UNIT: "责任单位", VERIFIER: "核查人员", LEADER: "领导", SYSTEM: "系统"}


def actor_kinds(user, case) -> set[str]:
    """Which workflow roles ``user`` holds for ``case`` (``None`` is the system)."""
    if user is None:
        return {SYSTEM}
    scope = scope_of(user)
    kinds: set[str] = set()
    if scope.has_role(*OFFICE_ROLES) and _office_for_case(scope, case):
        kinds |= {OFFICE, VERIFIER}
    if scope.has_role(Role.INSPECTOR) and (scope.inspects_unit(case.unit_id) or scope.inspects_unit(case.lead_unit_id)):
        kinds.add(VERIFIER)
    if scope.has_role(Role.LEADER):
        kinds.add(LEADER)
    if scope.has_role(*UNIT_ROLES) and case.lead_unit_id and is_member_of_unit(user, case.lead_unit_id):
        kinds.add(UNIT)
    return kinds


def _office_for_case(scope, case) -> bool:
    """The root's office acts on every case; a lower level's office on cases of its ground (territorial or
    lead unit in its jurisdiction) and on unplaced new reports it sees (its own intake)."""
    if scope.sees_all:
        return True
    if case.unit_id is None and case.lead_unit_id is None:
        return True
    return scope.is_office_for(case.unit_id) or scope.is_office_for(case.lead_unit_id)


def is_member_of_unit(user, unit_id: int) -> bool:
    """A member of the unit or of a unit above it (a district head acts for its streets)."""
    scope = scope_of(user)
    return unit_id in scope.unit_ids and not scope.sees_all or unit_id in scope.member_unit_ids


def is_from_unit(user, unit) -> bool:
    """A member of ``unit`` or of any unit below it (the rectifying side)."""
    from chuangcheng.org.models import Unit

    members = scope_of(user).member_unit_ids
    if not members or unit is None:
        return False
    if unit.pk in members:
        return True
    return Unit.objects.filter(pk__in=members, path__startswith=unit.path).exists()


def is_independent_verifier(user, case, rectifier_ids: set[int]) -> bool:
    """The verifier is never the rectifier nor from the rectifying unit."""
    if user is None:
        return False
    if user.pk in rectifier_ids:
        return False
    return not is_from_unit(user, case.lead_unit)


def can_create_case(user) -> bool:
    scope = scope_of(user)
    return bool(scope.roles)


def can_manage_rules(user) -> bool:
    return scope_of(user).has_role(*OFFICE_ROLES)


def can_see_original_photos(user) -> bool:
    """Originals keep EXIF (time, GPS): the office and verifiers only."""
    return scope_of(user).has_role(*OFFICE_ROLES, Role.INSPECTOR)
