"""Where each role lands when it opens the product: its own work, not a menu.

The first of the user's roles in this table wins (office before leader before unit before inspector before
grid worker). ``/?all=1`` still shows the home page with every card.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from chuangcheng.accounts.models import Role
from chuangcheng.core.scoping import scope_of

LANDING: tuple[tuple[str, str], ...] = (
    (Role.OFFICE_ADMIN, "cases:dispatch"),  # 派遣台: new reports, the unrouted queue, returns, requests
    (Role.OFFICE_STAFF, "cases:dispatch"),
    (Role.LEADER, "dashboard:index"),  # 指挥中心
    (Role.UNIT_HEAD, "cases:inbox"),  # 本单位待办
    (Role.UNIT_HANDLER, "cases:inbox"),
    (Role.INSPECTOR, "cases:verify_queue"),  # 待核查
    (Role.GRID_WORKER, "inspections:patrol"),  # 网格巡查
)


def landing_url(user) -> str | None:
    """The page ``user`` starts on, or None (no role: the home page says what to do)."""
    roles = scope_of(user).roles
    for role, url_name in LANDING:
        if role in roles:
            try:
                return reverse(url_name)
            except NoReverseMatch:  # an app switched off in this deployment
                continue
    return None
