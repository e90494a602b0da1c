"""Pure predicates: who may manage 文明单位, window units and ratings, and who may check publicity points."""

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.permissions import is_office, is_office_for, is_top_office
from chuangcheng.core.scoping import scope_of

PAGE_ROLES = ("office_admin", "office_staff", "leader", "unit_head", "unit_handler", "inspector", "grid_worker")
UNIT_ROLES = (Role.UNIT_HEAD, Role.UNIT_HANDLER)
CHECK_ROLES = (Role.UNIT_HEAD, Role.UNIT_HANDLER, Role.GRID_WORKER)


def can_manage_honours(user, unit=None) -> bool:
    """文明单位: created, reviewed, warned and revoked by the office whose jurisdiction holds the managing unit
    (``unit=None``: the page gate, any office)."""
    return is_office(user) if unit is None else is_office_for(user, unit)


def can_edit_reference(user) -> bool:
    """Window industries and rating periods are installation-wide reference data: the root's office."""
    return is_top_office(user)


def can_manage_window(user, unit=None) -> bool:
    """Window units and 行风评议 results: the office over the managing unit."""
    return is_office(user) if unit is None else is_office_for(user, unit)


def can_record_commitment(user, window_unit) -> bool:
    """Service commitments: the office, or a head or handler of the window unit's subtree."""
    if is_office_for(user, window_unit.unit_id):
        return True
    scope = scope_of(user)
    return scope.has_role(*UNIT_ROLES) and window_unit.unit_id in scope.unit_ids


def can_check_point(user, site) -> bool:
    """Publicity checks: the office of the site's ground, inspectors on their ground, and heads, handlers
    and grid workers of the site's territorial unit or its sectoral department."""
    if is_office_for(user, site.unit_id) or (site.unit_id is None and is_top_office(user)):
        return True
    scope = scope_of(user)
    if scope.has_role(Role.INSPECTOR) and scope.inspects_unit(site.unit_id):
        return True
    return scope.has_role(*CHECK_ROLES) and bool({site.unit_id, site.department_id} & set(scope.unit_ids))
