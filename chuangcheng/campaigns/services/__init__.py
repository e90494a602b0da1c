"""Writes for campaigns, split by sub-domain and re-exported here."""

from chuangcheng.campaigns.services.meetings import add_meeting_decision, create_meeting, record_attendance
from chuangcheng.campaigns.services.milestones import (
    add_milestone,
    complete_milestone,
    reopen_milestone,
    update_milestone,
)
from chuangcheng.campaigns.services.notices import (
    close_notice,
    escalate_overdue_notices,
    issue_notice,
    reply_notice,
    sign_notice,
)
from chuangcheng.campaigns.services.plans import (
    create_plan,
    create_task,
    escalate_overdue_tasks,
    report_progress,
    schedule_plan,
    update_plan,
    update_task,
)
from chuangcheng.campaigns.services.responsibility import (
    assign_leader,
    attach_letter_scan,
    create_letter,
    create_pledge,
    end_leader_assignment,
    end_pledge,
    update_letter,
)

__all__ = [
    "add_meeting_decision",
    "add_milestone",
    "assign_leader",
    "attach_letter_scan",
    "close_notice",
    "complete_milestone",
    "create_letter",
    "create_meeting",
    "create_plan",
    "create_pledge",
    "create_task",
    "end_leader_assignment",
    "end_pledge",
    "escalate_overdue_notices",
    "escalate_overdue_tasks",
    "issue_notice",
    "record_attendance",
    "reopen_milestone",
    "reply_notice",
    "report_progress",
    "schedule_plan",
    "sign_notice",
    "update_letter",
    "update_milestone",
    "update_plan",
    "update_task",
]
