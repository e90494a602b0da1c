"""Pure predicates: who may keep the registry, run activities and posts, and correct hours.

The office whose jurisdiction holds the unit, and the unit's own people (heads, handlers and grid workers of
the unit or a unit above it: a community's volunteers are registered by the community or its street).
Leaders and inspectors read only.
"""

from chuangcheng.accounts.permissions import is_office, is_office_for
from chuangcheng.core.scoping import scope_of

PAGE_ROLES = ("office_admin", "office_staff", "leader", "unit_head", "unit_handler", "grid_worker")
UNIT_WORKERS = ("unit_head", "unit_handler", "grid_worker")


def _unit_id(unit):
    return getattr(unit, "pk", unit)


def can_manage_unit(user, unit) -> bool:
    """Register volunteers and teams of ``unit``, organise its activities and posts."""
    unit_id = _unit_id(unit)
    if unit_id is None:
        return False
    if is_office_for(user, unit_id):
        return True
    scope = scope_of(user)
    return scope.has_role(*UNIT_WORKERS) and unit_id in scope.unit_ids


def can_manage_any(user) -> bool:
    """Whether the registry's create/import controls are shown at all."""
    return is_office(user) or scope_of(user).has_role(*UNIT_WORKERS)


def can_run_activity(user, activity) -> bool:
    return can_manage_unit(user, activity.unit_id)


def can_correct_hours(user, activity) -> bool:
    """Corrections change the record of service: the office, or a unit head of the organising unit."""
    if is_office_for(user, activity.unit_id):
        return True
    scope = scope_of(user)
    return scope.has_role("unit_head") and activity.unit_id in scope.unit_ids
