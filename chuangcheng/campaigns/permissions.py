"""Pure predicates: who may do what with plans, tasks, letters, leader assignments and pledges."""

from chuangcheng.accounts.permissions import is_office, is_office_for
from chuangcheng.core.scoping import scope_of


def can_manage_plans(user) -> bool:
    """Plans, milestones, tasks and scheduling are the office's work."""
    return is_office(user)


def reporting_unit_ids(user, task) -> set[int]:
    """Units of the task (lead or cooperating) inside the user's scope."""
    scope = scope_of(user)
    task_units = {task.lead_unit_id, *(unit.pk for unit in task.cooperating_units.all())}
    if scope.sees_all:
        return task_units
    return task_units & set(scope.unit_ids)


def can_report_progress(user, task) -> bool:
    return is_office(user) or bool(reporting_unit_ids(user, task))


def can_manage_letters(user) -> bool:
    return is_office(user)


def can_upload_letter_scan(user, letter) -> bool:
    return is_office(user) or letter.unit_id in scope_of(user).unit_ids


def can_manage_leaders(user) -> bool:
    return is_office(user)


def can_manage_pledge(user, site) -> bool:
    """The office of the site's ground, or the site's territorial unit (street and community staff sign pledges)."""
    if is_office_for(user, site.unit_id) or (site.unit_id is None and is_office(user)):
        return True
    return site.unit_id is not None and site.unit_id in scope_of(user).unit_ids


def can_issue_notices(user) -> bool:
    """抄告单 are issued and closed by the office (the pages' gate; each unit is checked by the next two)."""
    return is_office(user)


def can_issue_notice_to(user, unit) -> bool:
    """An office issues 抄告单 only to units its jurisdiction holds."""
    return is_office_for(user, unit)


def can_close_notice(user, notice) -> bool:
    return is_office_for(user, notice.unit_id)


def can_answer_notice(user, notice) -> bool:
    """Sign and reply: a head or handler of the addressed unit (or a unit above it)."""
    scope = scope_of(user)
    return scope.has_role("unit_head", "unit_handler") and notice.unit_id in scope.unit_ids


def can_manage_meetings(user) -> bool:
    """Meetings, their attendance and decisions are recorded by the office (the pages' gate)."""
    return is_office(user)


def can_call_meeting(user, unit) -> bool:
    """An office calls meetings in the name of units its jurisdiction holds."""
    return is_office_for(user, unit)


def can_run_meeting(user, meeting) -> bool:
    """The office whose jurisdiction holds the calling unit records the meeting's attendance and decisions."""
    return can_call_meeting(user, meeting.unit_id)


def owns_plan(user, plan) -> bool:
    """A plan is adjusted by the office whose jurisdiction holds its unit (its campaign's unit when it has
    one): its own level and the levels above, never a sibling or the level below."""
    scope = scope_of(user)
    if not is_office(user):
        return False
    unit_id = plan.campaign.unit_id if plan.campaign_id else plan.unit_id
    return scope.is_office_for(unit_id)
