"""Pure predicates about what a user may do with areas and sites."""

from chuangcheng.accounts.permissions import can_edit_org


def can_edit_places(user) -> bool:
    """Areas, grids and sites are the campaign office's reference data."""
    return can_edit_org(user)
