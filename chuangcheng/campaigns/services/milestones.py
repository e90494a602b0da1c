"""Milestones (时间节点) of a plan: add, edit, complete and reopen; dated backwards from the target date."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import diff, record
from chuangcheng.campaigns.models import Milestone, Plan, TaskStatus
from chuangcheng.campaigns.services.plans import _require_planner, backward_date
from chuangcheng.core.errors import Conflict, DomainError

MILESTONE_FIELDS = ("title", "offset_days", "due_date", "sort_order")


def _due_date(plan: Plan, offset_days: int | None, due_date: date | None) -> date:
    if offset_days is not None and plan.target_date:
        return backward_date(plan.target_date, offset_days)
    if due_date is None:
        raise DomainError("请填写节点日期，或填写迎检窗口日期后按提前工作日数倒排", field="due_date")
    return due_date


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError("节点名称不能为空", field="title")
    return title


@transaction.atomic
def add_milestone(
    *,
    actor,
    plan: Plan,
    title: str,
    offset_days: int | None = None,
    due_date: date | None = None,
    sort_order: int = 0,
) -> Milestone:
    _require_planner(actor, plan)
    title = _clean_title(title)
    due_date = _due_date(plan, offset_days, due_date)
    milestone = Milestone.objects.create(
        plan=plan, title=title, offset_days=offset_days, due_date=due_date, sort_order=sort_order
    )
    record(
        actor=actor,
        verb="campaigns.milestone_added",
        target=milestone,
        unit=plan.unit,
        changes={"title": [None, milestone.title], "due_date": [None, str(due_date)]},
    )
    return milestone


@transaction.atomic
def update_milestone(*, milestone: Milestone, actor, **changes) -> Milestone:
    """Edit a milestone. With an offset and a plan target date the date is re-counted backwards;
    clearing the offset keeps the date given (or the current one)."""
    _require_planner(actor, milestone.plan)
    unknown = set(changes) - set(MILESTONE_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    milestone = (
        Milestone.objects.select_for_update(no_key=True, of=("self",)).select_related("plan").get(pk=milestone.pk)
    )
    if "title" in changes:
        changes["title"] = _clean_title(changes["title"])
    if "sort_order" in changes:
        changes["sort_order"] = changes["sort_order"] or 0
    if "offset_days" in changes or "due_date" in changes:
        changes["due_date"] = _due_date(
            milestone.plan,
            changes.get("offset_days", milestone.offset_days),
            changes.get("due_date") or milestone.due_date,
        )
    delta = diff(milestone, changes)
    for name, value in changes.items():
        setattr(milestone, name, value)
    milestone.save()
    if delta:
        record(
            actor=actor, verb="campaigns.milestone_updated", target=milestone, unit=milestone.plan.unit, changes=delta
        )
    return milestone


@transaction.atomic
def complete_milestone(*, milestone: Milestone, actor, done_at: date | None = None) -> Milestone:
    """Mark a milestone reached. Every task filed under it must be done first; the date is not in the future."""
    _require_planner(actor, milestone.plan)
    milestone = (
        Milestone.objects.select_for_update(no_key=True, of=("self",)).select_related("plan").get(pk=milestone.pk)
    )
    if milestone.done_at:
        raise Conflict(f"该节点已于{milestone.done_at:%Y-%m-%d}完成", field="done_at")
    today = timezone.localdate()
    done_at = done_at or today
    if done_at > today:
        raise DomainError("完成日期不能晚于今天", field="done_at")
    open_tasks = milestone.tasks.exclude(status=TaskStatus.DONE).count()
    if open_tasks:
        raise DomainError(f"该节点下还有{open_tasks}项任务未完成，不能标记节点完成", field="done_at")
    milestone.done_at = done_at
    milestone.save(update_fields=["done_at"])
    record(
        actor=actor,
        verb="campaigns.milestone_completed",
        target=milestone,
        unit=milestone.plan.unit,
        changes={"done_at": [None, str(done_at)]},
    )
    return milestone


@transaction.atomic
def reopen_milestone(*, milestone: Milestone, actor, reason: str) -> Milestone:
    """Undo a completion (with a reason, kept in the audit log)."""
    _require_planner(actor, milestone.plan)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写重新打开的原因", field="reason")
    milestone = (
        Milestone.objects.select_for_update(no_key=True, of=("self",)).select_related("plan").get(pk=milestone.pk)
    )
    if not milestone.done_at:
        raise Conflict("该节点尚未完成", field="done_at")
    old = milestone.done_at
    milestone.done_at = None
    milestone.save(update_fields=["done_at"])
    record(
        actor=actor,
        verb="campaigns.milestone_reopened",
        target=milestone,
        unit=milestone.plan.unit,
        changes={"done_at": [str(old), None], "reason": [None, reason]},
    )
    return milestone
