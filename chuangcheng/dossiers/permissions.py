"""Pure predicates for the archive: units upload their own materials, the office reviews."""

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.permissions import is_office, is_office_for
from chuangcheng.core.scoping import scope_of

UPLOAD_ROLES = (Role.UNIT_HEAD, Role.UNIT_HANDLER)


def can_upload_for(user, unit) -> bool:
    """The office for units of its jurisdiction; unit heads and handlers for units in their scope."""
    if is_office_for(user, unit):
        return True
    scope = scope_of(user)
    return scope.has_role(*UPLOAD_ROLES) and unit.pk in scope.unit_ids


def can_review(user) -> bool:
    return is_office(user)


def can_manage_assignments(user) -> bool:
    return is_office(user)


def can_export_archive(user) -> bool:
    """The whole archive export is the office's (a unit exports its own through the same view, scoped)."""
    return scope_of(user).sees_all or bool(scope_of(user).unit_ids)
