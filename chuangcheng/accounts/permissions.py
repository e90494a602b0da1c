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
