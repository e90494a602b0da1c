"""Pure predicates for 考核问责."""

from chuangcheng.accounts.permissions import is_office
from chuangcheng.core.scoping import scope_of


def can_manage_assessments(user) -> bool:
    """Schemes, periods, publication and outcomes belong to the campaign office."""
    return is_office(user)


def can_read_assessments(user) -> bool:
    scope = scope_of(user)
    return scope.sees_all or bool(scope.roles)


def can_edit_scheme(user, scheme) -> bool:
    return can_manage_assessments(user) and not scheme.is_published


def can_compute_period(user, period) -> bool:
    return can_manage_assessments(user) and not period.is_published


def can_publish_period(user, period) -> bool:
    from chuangcheng.assessments.models import PeriodStatus

    return can_manage_assessments(user) and period.status == PeriodStatus.COMPUTED
