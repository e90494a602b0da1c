"""Plans, milestones, tasks, backward scheduling (倒排工期), progress reports and overdue escalation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chuangcheng.accounts.models import Membership, Role
from chuangcheng.accounts.permissions import require_in_jurisdiction
from chuangcheng.audit.services import diff, record
from chuangcheng.campaigns import permissions
from chuangcheng.campaigns.models import (
    Milestone,
    Plan,
    PlanStatus,
    ProgressReport,
    Task,
    TaskEvent,
    TaskEventKind,
    TaskStatus,
)
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.workdays import add_working_days, working_days_between
from chuangcheng.dossiers.files import checked_file
from chuangcheng.notifications.models import NotificationKind
from chuangcheng.notifications.services import notify
from chuangcheng.programs.services import campaign_for, changed_campaign, require_within

PLAN_FIELDS = ("title", "year", "unit", "description", "target_date", "status", "campaign")
TASK_FIELDS = (
    "number",
    "title",
    "description",
    "lead_unit",
    "responsible",
    "responsible_name",
    "offset_days",
    "deadline",
    "weight",
    "milestone",
    "sort_order",
)
# (working days overdue, level, label): the ladder a late task climbs, as cases do.
ESCALATION_LADDER = ((1, 1, "超期督办"), (5, 2, "提级督办"), (10, 3, "约谈提醒"))
ESCALATION_LABELS = {0: "", **{level: label for _, level, label in ESCALATION_LADDER}}


def _require_planner(actor, plan: Plan | None = None) -> None:
    if actor is not None and not permissions.can_manage_plans(actor):
        raise NotPermitted("只有创建办可以制定和调整工作方案")
    if actor is not None and plan is not None and not permissions.owns_plan(actor, plan):
        raise NotPermitted("只有制定本方案的创建办或其上级创建办可以调整")


def _event(task: Task, kind: str, actor, note: str = "") -> None:
    TaskEvent.objects.create(
        task=task,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=timezone.now(),
        note=note[:500],
    )


def backward_date(target_date: date, offset_days: int) -> date:
    """The working day ``offset_days`` working days before ``target_date`` (holidays skipped)."""
    return add_working_days(target_date, -int(offset_days))


@transaction.atomic
def create_plan(
    *,
    actor,
    title: str,
    year: int,
    unit,
    description: str = "",
    target_date: date | None = None,
    status: str = PlanStatus.ACTIVE,
    campaign=None,
) -> Plan:
    _require_planner(actor)
    require_in_jurisdiction(actor, [unit], field="unit", label="牵头单位")
    if not title.strip():
        raise DomainError("方案名称不能为空", field="title")
    campaign = campaign_for(actor, campaign, unit)
    require_within(campaign, [unit], field="unit", what="制定单位")
    plan = Plan.objects.create(
        campaign=campaign,
        title=title.strip(),
        year=year,
        unit=unit,
        description=description,
        target_date=target_date,
        status=status,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        actor=actor,
        verb="campaigns.plan_created",
        target=plan,
        unit=unit,
        changes={"title": [None, plan.title], "target_date": [None, str(target_date) if target_date else None]},
    )
    return plan


@transaction.atomic
def update_plan(*, plan: Plan, actor, **changes) -> Plan:
    _require_planner(actor, plan)
    require_in_jurisdiction(actor, [changes.get("unit")], field="unit", label="牵头单位")
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    plan = Plan.objects.select_for_update(no_key=True).get(pk=plan.pk)
    owner = changed_campaign(actor, plan.campaign, changes)
    require_within(owner, [changes.get("unit", plan.unit)], field="unit", what="制定单位")
    if owner is not None and owner != plan.campaign:
        require_within(
            owner, [t.lead_unit for t in plan.tasks.select_related("lead_unit")], field="campaign", what="任务牵头单位"
        )
    delta = diff(plan, changes)
    for name, value in changes.items():
        setattr(plan, name, value)
    plan.save()
    if delta:
        record(actor=actor, verb="campaigns.plan_updated", target=plan, unit=plan.unit, changes=delta)
    if "target_date" in delta and plan.target_date:
        schedule_plan(plan=plan, actor=actor, target_date=plan.target_date)
    return plan


def _deadline(plan: Plan, deadline: date | None, offset_days: int | None) -> date:
    if offset_days is not None and plan.target_date:
        return backward_date(plan.target_date, offset_days)
    if deadline is None:
        raise DomainError("请填写完成时限，或填写迎检窗口日期后按提前工作日数倒排", field="deadline")
    return deadline


@transaction.atomic
def create_task(
    *,
    actor,
    plan: Plan,
    title: str,
    lead_unit,
    deadline: date | None = None,
    offset_days: int | None = None,
    cooperating_units: Iterable = (),
    responsible=None,
    responsible_name: str = "",
    weight: Decimal | int = 1,
    description: str = "",
    number: str = "",
    milestone: Milestone | None = None,
    sort_order: int = 0,
) -> Task:
    _require_planner(actor, plan)
    require_in_jurisdiction(actor, [lead_unit], field="lead_unit", label="牵头单位")
    require_in_jurisdiction(actor, cooperating_units, field="cooperating_units", label="配合单位")
    if not title.strip():
        raise DomainError("任务内容不能为空", field="title")
    if Decimal(str(weight)) < 0:
        raise DomainError("权重不能为负数", field="weight")
    if milestone is not None and milestone.plan_id != plan.pk:
        raise DomainError("时间节点不属于该方案", field="milestone")
    cooperating_units = list(cooperating_units)
    require_within(plan.campaign, [lead_unit], field="lead_unit", what="牵头单位")
    require_within(plan.campaign, cooperating_units, field="cooperating_units", what="配合单位")
    cooperating = [unit for unit in cooperating_units if unit.pk != lead_unit.pk]
    task = Task.objects.create(
        plan=plan,
        title=title.strip(),
        lead_unit=lead_unit,
        deadline=_deadline(plan, deadline, offset_days),
        offset_days=offset_days,
        responsible=responsible,
        responsible_name=responsible_name,
        weight=weight,
        description=description,
        number=number or f"{plan.tasks.count() + 1}",
        milestone=milestone,
        sort_order=sort_order,
    )
    task.cooperating_units.set(cooperating)
    _event(task, TaskEventKind.CREATED, actor, f"下达至{lead_unit.name}，时限{task.deadline:%Y-%m-%d}")
    record(
        actor=actor,
        verb="campaigns.task_created",
        target=task,
        unit=lead_unit,
        changes={
            "title": [None, task.title],
            "deadline": [None, str(task.deadline)],
            "cooperating_units": [[], [unit.pk for unit in cooperating]],
        },
    )
    return task


@transaction.atomic
def update_task(*, task: Task, actor, cooperating_units: Iterable | None = None, **changes) -> Task:
    _require_planner(actor, task.plan)
    require_in_jurisdiction(actor, [changes.get("lead_unit")], field="lead_unit", label="牵头单位")
    require_in_jurisdiction(actor, cooperating_units or (), field="cooperating_units", label="配合单位")
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    task = Task.objects.select_for_update(no_key=True, of=("self",)).select_related("plan").get(pk=task.pk)
    owner = task.plan.campaign
    require_within(
        owner, [changes["lead_unit"]] if changes.get("lead_unit") else [], field="lead_unit", what="牵头单位"
    )
    require_within(owner, cooperating_units or (), field="cooperating_units", what="配合单位")
    if "offset_days" in changes or "deadline" in changes:
        changes["deadline"] = _deadline(
            task.plan, changes.get("deadline", task.deadline), changes.get("offset_days", task.offset_days)
        )
    delta = diff(task, changes)
    for name, value in changes.items():
        setattr(task, name, value)
    task.save()
    if cooperating_units is not None:
        old = sorted(task.cooperating_units.values_list("pk", flat=True))
        new = sorted(unit.pk for unit in cooperating_units if unit.pk != task.lead_unit_id)
        if old != new:
            task.cooperating_units.set(new)
            delta["cooperating_units"] = [old, new]
    if delta:
        _event(task, TaskEventKind.UPDATED, actor, "、".join(Task._meta.get_field(n).verbose_name for n in delta))
        record(actor=actor, verb="campaigns.task_updated", target=task, unit=task.lead_unit, changes=delta)
    return task


@transaction.atomic
def schedule_plan(*, plan: Plan, actor, target_date: date) -> Plan:
    """倒排工期: set the plan's target date and move every milestone and task that has an offset
    to ``offset`` working days before it, skipping weekends and holidays, counting adjusted work days."""
    _require_planner(actor, plan)
    plan = Plan.objects.select_for_update(no_key=True).get(pk=plan.pk)
    old_target = plan.target_date
    plan.target_date = target_date
    plan.save(update_fields=["target_date", "updated_at"])
    moved = 0
    for milestone in plan.milestones.select_for_update(no_key=True).filter(offset_days__isnull=False):
        milestone.due_date = backward_date(target_date, milestone.offset_days)
        milestone.save(update_fields=["due_date"])
    for task in plan.tasks.select_for_update(no_key=True).filter(offset_days__isnull=False):
        new_deadline = backward_date(target_date, task.offset_days)
        if new_deadline != task.deadline:
            _event(
                task,
                TaskEventKind.SCHEDULED,
                actor,
                f"按迎检日期{target_date:%Y-%m-%d}倒排：{task.deadline:%Y-%m-%d} → {new_deadline:%Y-%m-%d}",
            )
            task.deadline = new_deadline
            task.save(update_fields=["deadline", "updated_at"])
            moved += 1
    record(
        actor=actor,
        verb="campaigns.plan_scheduled",
        target=plan,
        unit=plan.unit,
        changes={"target_date": [str(old_target) if old_target else None, str(target_date)], "tasks_moved": [0, moved]},
    )
    return plan


@transaction.atomic
def report_progress(*, task: Task, actor, progress: int, note: str, evidence=None) -> ProgressReport:
    """A unit reports progress. The lead unit's (or the office's) figure becomes the task's progress."""
    task = Task.objects.select_for_update(no_key=True, of=("self",)).select_related("lead_unit").get(pk=task.pk)
    if not permissions.can_report_progress(actor, task):
        raise NotPermitted("只有牵头或配合单位可以报送进展")
    if not 0 <= int(progress) <= 100:
        raise DomainError("进度须在0到100之间", field="progress")
    if not note.strip():
        raise DomainError("请填写进展情况", field="note")
    if task.status == TaskStatus.DONE:
        raise DomainError("任务已完成，不能再报送进展", field="progress")
    units = permissions.reporting_unit_ids(actor, task)
    unit_id = task.lead_unit_id if task.lead_unit_id in units or not units else min(units)
    report = ProgressReport(task=task, unit_id=unit_id, reporter=actor, progress=progress, note=note.strip())
    if evidence is not None:
        checked = checked_file(evidence, field="evidence")
        report.evidence = checked.content
        report.evidence_name = checked.original_name
        report.evidence_kind = checked.kind
    report.save()
    changes = {"report": [None, report.pk]}
    if unit_id == task.lead_unit_id:
        old_progress, old_status = task.progress, task.status
        task.progress = int(progress)
        task.status = TaskStatus.DONE if task.progress == 100 else TaskStatus.IN_PROGRESS
        if task.status == TaskStatus.DONE:
            task.completed_at = timezone.now()
        task.save(update_fields=["progress", "status", "completed_at", "updated_at"])
        changes |= {"progress": [old_progress, task.progress], "status": [old_status, task.status]}
    kind = TaskEventKind.COMPLETED if task.status == TaskStatus.DONE else TaskEventKind.PROGRESS
    _event(task, kind, actor, f"{progress}%：{note.strip()}")
    record(actor=actor, verb="campaigns.progress_reported", target=task, unit=task.lead_unit, changes=changes)
    return report


def escalation_level_for(deadline: date, today: date) -> int:
    if deadline >= today:
        return 0
    late = working_days_between(deadline, today)
    level = 0
    for threshold, ladder_level, _ in ESCALATION_LADDER:
        if late >= threshold:
            level = ladder_level
    return level


@transaction.atomic
def escalate_overdue_tasks(*, today: date, actor=None) -> list[Task]:
    """Raise the escalation level of every unfinished task past its deadline (idempotent per day).

    Each step is recorded in the task timeline and the audit log, and the office and the lead unit are
    told through the notifications app when it provides ``notify``.
    """
    escalated: list[Task] = []
    candidates = (
        Task.objects.select_for_update(no_key=True, of=("self",))
        .filter(deadline__lt=today)
        .exclude(status=TaskStatus.DONE)
        .exclude(plan__status=PlanStatus.CLOSED)
        .select_related("lead_unit", "responsible")
        .order_by("id")
    )
    for task in candidates:
        level = escalation_level_for(task.deadline, today)
        if level <= task.escalation_level:
            continue
        old = task.escalation_level
        task.escalation_level = level
        task.escalated_at = timezone.now()
        task.save(update_fields=["escalation_level", "escalated_at", "updated_at"])
        label = ESCALATION_LABELS[level]
        _event(task, TaskEventKind.ESCALATED, actor, f"{label}：超过时限{task.deadline:%Y-%m-%d}")
        record(
            actor=actor,
            verb="campaigns.task_escalated",
            target=task,
            unit=task.lead_unit,
            changes={"escalation_level": [old, level]},
        )
        escalated.append(task)
    _notify_escalations(escalated, actor)
    return escalated


def _notify_escalations(tasks: list[Task], actor) -> None:
    """Tell the lead unit's heads and handlers and the responsible person (in-app; webhooks of the unit)."""
    if not tasks:
        return
    members = Membership.objects.filter(
        unit__in={task.lead_unit_id for task in tasks}, role__in=(Role.UNIT_HEAD, Role.UNIT_HANDLER)
    ).select_related("user")
    by_unit: dict[int, list] = {}
    for membership in members:
        by_unit.setdefault(membership.unit_id, []).append(membership.user)
    for task in tasks:
        users = [*by_unit.get(task.lead_unit_id, []), task.responsible]
        label = ESCALATION_LABELS[task.escalation_level]
        notify(
            actor=actor,
            users=users,
            kind=NotificationKind.CASE_ESCALATED,
            title=f"任务{label}：{task.title}"[:200],
            body=f"任务“{task.title}”已超过完成时限{task.deadline:%Y-%m-%d}，请尽快办理并报送进展。",
            url=reverse("campaigns:task_detail", args=[task.pk]),
            units=[task.lead_unit],
        )
