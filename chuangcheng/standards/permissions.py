"""Pure predicates: who may read, edit and report."""

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.permissions import is_office, is_office_for, is_top_office
from chuangcheng.core.scoping import scope_of

REPORTING_ROLES = (Role.UNIT_HEAD, Role.UNIT_HANDLER)


def can_view_standards(user) -> bool:
    """Standards are reference data for every signed-in user."""
    return bool(getattr(user, "is_authenticated", False))


def can_edit_standards(user) -> bool:
    """Standards are installation-wide reference data: only the root's office edits drafts, publishes and
    imports; lower levels' campaigns are judged by the published versions (docs: Levels and rights)."""
    return is_top_office(user)


def can_report_for(user, unit) -> bool:
    """The office reports for units of its jurisdiction; unit heads/handlers for units in their scope."""
    if unit is not None and is_office_for(user, unit):
        return True
    scope = scope_of(user)
    return scope.has_role(*REPORTING_ROLES) and unit is not None and unit.pk in scope.unit_ids


def can_report_indicators(user) -> bool:
    return is_office(user) or scope_of(user).has_role(*REPORTING_ROLES)
