"""Every write of the volunteer domain (``verb_noun(*, actor, ...)``, atomic, audited)."""

from chuangcheng.volunteers.services.activities import (
    cancel_activity,
    check_in,
    check_out,
    close_activity,
    correct_hours,
    create_activity,
    self_check,
    sign_up,
    withdraw_sign_up,
)
from chuangcheng.volunteers.services.imports import export_volunteer_rows, import_volunteers
from chuangcheng.volunteers.services.posts import add_post_shift, create_post, shift_activity, staff_shift
from chuangcheng.volunteers.services.registry import (
    create_team,
    register_volunteer,
    set_team_members,
    update_volunteer,
)

__all__ = [
    "add_post_shift",
    "cancel_activity",
    "check_in",
    "check_out",
    "close_activity",
    "correct_hours",
    "create_activity",
    "create_post",
    "create_team",
    "export_volunteer_rows",
    "import_volunteers",
    "register_volunteer",
    "self_check",
    "set_team_members",
    "shift_activity",
    "sign_up",
    "staff_shift",
    "update_volunteer",
    "withdraw_sign_up",
]
