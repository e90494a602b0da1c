"""Pure predicates for 考核问责."""

from chuangcheng.accounts.permissions import is_office
from chuangcheng.core.scoping import scope_of


def can_manage_assessments(user) -> bool:
    """Schemes, periods, publication and outcomes belong to the campaign office."""
    return is_office(user)


def can_read_assessments(user) -> bool:
    scope = scope_of(user)
    return scope.sees_all or bool(scope.roles)


def owns_assessment(user, owned) -> bool:
    """A scheme or period is kept by the office of its campaign or an office above it; one without a campaign
    (a single-city installation's) by the root's office."""
    scope = scope_of(user)
    if not is_office(user):
        return False
    if scope.sees_all:
        return True
    campaign_id = getattr(owned, "campaign_id", None)
    campaign = owned.campaign if campaign_id else getattr(getattr(owned, "scheme", None), "campaign", None)
    return campaign is not None and scope.is_office_for(campaign.unit_id)


def can_edit_scheme(user, scheme) -> bool:
    return can_manage_assessments(user) and not scheme.is_published and owns_assessment(user, scheme)


def can_compute_period(user, period) -> bool:
    return can_manage_assessments(user) and not period.is_published and owns_assessment(user, period)


def can_publish_period(user, period) -> bool:
    from chuangcheng.assessments.models import PeriodStatus

    return can_manage_assessments(user) and period.status == PeriodStatus.COMPUTED and owns_assessment(user, period)
