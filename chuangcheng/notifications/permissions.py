"""Pure predicates of the notifications app."""

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.core.scoping import scope_of


def can_configure_channels(user) -> bool:
    """The office configures SMS, chasing rules and sees the delivery log; unit heads keep their own robots."""
    return scope_of(user).has_role(*OFFICE_ROLES)
