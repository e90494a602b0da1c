"""Pure predicates about what a user may do; services call them, pages reuse them."""

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.core.scoping import scope_of


def is_office(user) -> bool:
    return scope_of(user).has_role(*OFFICE_ROLES)


def is_office_admin(user) -> bool:
    return scope_of(user).has_role(Role.OFFICE_ADMIN)


def can_manage_users(user) -> bool:
    return is_office_admin(user)


def can_edit_org(user) -> bool:
    """Units, areas and sites are the office's reference data."""
    return is_office(user)


def is_office_for(user, unit) -> bool:
    """Office rights over ``unit`` (a Unit or its id): an office whose jurisdiction holds it.

    The root's office (``sees_all``) holds every unit; ``unit=None`` (installation-wide reference data such
    as the calendar and the standards) belongs to the root's office only.
    """
    scope = scope_of(user)
    if unit is None:
        return is_top_office(user)
    return scope.is_office_for(getattr(unit, "pk", unit))


def is_top_office(user) -> bool:
    """The office of the tree's root (or a superuser): keeps installation-wide reference data."""
    scope = scope_of(user)
    return scope.sees_all and scope.has_role(*OFFICE_ROLES)


def require_in_jurisdiction(actor, items, *, field: str, label: str = "单位") -> None:
    """Services refuse units (or areas/sites by their ``unit``) outside the actor's jurisdiction.

    An office acts inside its jurisdictions' subtrees, anyone else inside their units' subtrees; the root's
    office everywhere. Raises ``DomainError`` naming the field and the item; changes nothing.
    """
    from chuangcheng.core.errors import DomainError
    from chuangcheng.org.models import Unit

    scope = scope_of(actor)
    if scope.sees_all:
        return
    office = scope.has_role(*OFFICE_ROLES)
    for item in items:
        if item is None:
            continue
        unit_id = item.pk if isinstance(item, Unit) else getattr(item, "unit_id", item)
        if unit_id is None and not isinstance(item, Unit) and hasattr(item, "unit_id"):
            unit_id = -1  # an area or site without a territorial unit belongs to the root's office
        allowed = scope.is_office_for(unit_id) if office else unit_id in scope.unit_ids
        if not allowed:
            name = getattr(item, "name", unit_id)
            raise DomainError(f"{label}“{name}”不在本级管辖范围内", field=field)


def manages_user(actor, user) -> bool:
    """An office administrator manages the accounts of its jurisdiction: every role of the account lies in it
    (an account without roles too); the root's administrator manages all. Superusers only by the root's."""
    scope = scope_of(actor)
    if scope.sees_all:
        return True
    if user.is_superuser:
        return False
    unit_ids = [m.unit_id for m in user.memberships.all()]
    return all(scope.is_office_for(unit_id) for unit_id in unit_ids)
