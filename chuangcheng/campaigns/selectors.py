"""Reads for campaigns: weighted plan progress, the ledger, the timeline, leader pages, pledge counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.utils import timezone

from chuangcheng.accounts.models import Role, User
from chuangcheng.assessments.selectors import latest_scores
from chuangcheng.campaigns.models import (
    FrontagePledge,
    LeaderAssignment,
    Milestone,
    Plan,
    ProgressReport,
    Task,
    TaskEvent,
    TaskStatus,
)
from chuangcheng.campaigns.services.plans import ESCALATION_LABELS
from chuangcheng.cases.selectors import open_cases_held
from chuangcheng.inspections.selectors import latest_round_results
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.places.models import Area, Site
from chuangcheng.places.selectors import descendant_area_ids

LEDGER_HEADERS = (
    "编号",
    "任务",
    "牵头单位",
    "配合单位",
    "责任人",
    "完成时限",
    "提前工作日",
    "权重",
    "进度（%）",
    "状态",
    "督办",
    "最新进展",
)


def ledger_tasks(queryset):
    """Tasks with everything the ledger shows, in a fixed number of queries."""
    latest = ProgressReport.objects.filter(task=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        queryset.select_related("lead_unit", "responsible", "plan")
        .prefetch_related(Prefetch("cooperating_units", queryset=Unit.objects.order_by("path")))
        .annotate(latest_note=Subquery(latest.values("note")[:1]))
    )


def ledger_rows(tasks) -> list[list]:
    return [
        [
            task.number,
            task.title,
            task.lead_unit.name,
            "、".join(unit.name for unit in task.cooperating_units.all()),
            task.person,
            task.deadline,
            task.offset_days,
            float(task.weight),
            task.progress,
            task.get_status_display(),
            ESCALATION_LABELS.get(task.escalation_level, ""),
            task.latest_note or "",
        ]
        for task in tasks
    ]


def weighted_progress(tasks_queryset) -> float:
    """Σ(weight × progress) / Σ weight, in percent (0 when there is no weight)."""
    totals = tasks_queryset.aggregate(total_weight=Sum("weight"), weighted=Sum(F("weight") * F("progress")))
    weight, done = totals["total_weight"] or Decimal(0), totals["weighted"] or Decimal(0)
    return round(float(done) / float(weight), 1) if weight else 0.0


@dataclass
class PlanSummary:
    total: int
    done: int
    overdue: int
    escalated: int
    progress: float


def plan_summary(plan: Plan, tasks_queryset, today: date | None = None) -> PlanSummary:
    today = today or timezone.localdate()
    counts = tasks_queryset.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=TaskStatus.DONE)),
        overdue=Count("id", filter=Q(deadline__lt=today) & ~Q(status=TaskStatus.DONE)),
        escalated=Count("id", filter=Q(escalation_level__gt=0) & ~Q(status=TaskStatus.DONE)),
    )
    return PlanSummary(progress=weighted_progress(tasks_queryset), **counts)


@dataclass
class TimelineEntry:
    day: date
    kind: str
    title: str
    detail: str = ""
    task: Task | None = None
    state: str = ""


def plan_timeline(plan: Plan, tasks_queryset, today: date | None = None) -> list[TimelineEntry]:
    """Milestones, task deadlines and the tasks' events on one dated line, oldest first."""
    today = today or timezone.localdate()
    entries: list[TimelineEntry] = []
    for milestone in Milestone.objects.filter(plan=plan):
        state = "done" if milestone.done_at else ("late" if milestone.due_date and milestone.due_date < today else "")
        if milestone.due_date:
            entries.append(
                TimelineEntry(
                    milestone.due_date,
                    "milestone",
                    milestone.title,
                    f"迎检前{milestone.offset_days}个工作日" if milestone.offset_days else "",
                    state=state,
                )
            )
    tasks = list(tasks_queryset.select_related("lead_unit"))
    for task in tasks:
        state = "done" if task.status == TaskStatus.DONE else ("late" if task.deadline < today else "")
        entries.append(
            TimelineEntry(
                task.deadline,
                "deadline",
                f"{task.number} {task.title}",
                f"牵头：{task.lead_unit.name}，进度{task.progress}%",
                task,
                state,
            )
        )
    events = TaskEvent.objects.filter(task__in=[t.pk for t in tasks]).select_related("task", "actor")
    for event in events:
        entries.append(
            TimelineEntry(
                timezone.localtime(event.at).date(),
                "event",
                f"{event.get_kind_display()}：{event.task.number} {event.task.title}",
                event.note,
                event.task,
                event.kind,
            )
        )
    if plan.target_date:
        entries.append(TimelineEntry(plan.target_date, "target", "迎检窗口", plan.title, state="target"))
    order = {"event": 0, "milestone": 1, "deadline": 2, "target": 3}
    entries.sort(key=lambda entry: (entry.day, order[entry.kind]))
    return entries


def leader_overview(*, user, leader) -> dict:
    """What a leader is in charge of: areas (with their sites) and units, those units' open tasks, the open and
    overdue problems there, the latest round's results there and the units' latest published scores.

    Reads go through each app's selectors with a fixed number of queries, whatever the number of assignments.
    """
    assignments = list(
        LeaderAssignment.objects.visible_to(user).filter(leader=leader).select_related("area", "area__unit", "unit")
    )
    current = [a for a in assignments if a.end_date is None or a.end_date >= timezone.localdate()]
    area_ids = [a.area_id for a in current if a.area_id]
    unit_ids = {a.unit_id for a in current if a.unit_id} | {
        a.area.unit_id for a in current if a.area_id and a.area.unit_id
    }
    site_counts = dict(
        Site.objects.filter(area__in=area_ids, is_active=True)
        .values("area")
        .annotate(n=Count("id"))
        .values_list("area", "n")
    )
    tasks = (
        Task.objects.visible_to(user)
        .filter(lead_unit__in=unit_ids)
        .exclude(status=TaskStatus.DONE)
        .select_related("lead_unit", "plan")
        .order_by("deadline")[:50]
    )
    held_units = [a.unit for a in current if a.unit_id]
    held_areas = descendant_area_ids(area_ids)
    unit_paths = [unit.path for unit in held_units]
    case_counts, cases = open_cases_held(user, unit_paths=unit_paths, area_ids=held_areas)
    return {
        "case_counts": case_counts,
        "cases": cases,
        "round_result": latest_round_results(user, unit_paths=unit_paths, area_ids=held_areas),
        "scores": latest_scores(unit_ids),
        "assignments": current,
        "past": [a for a in assignments if a not in current],
        "areas": [(a.area, site_counts.get(a.area_id, 0)) for a in current if a.area_id],
        "units": [a.unit for a in current if a.unit_id],
        "tasks": list(tasks),
        "geometry": [
            {"name": a.area.name, "geometry": a.area.geometry} for a in current if a.area_id and a.area.geometry
        ],
    }


def leaders_with_counts(user):
    """Each leader with how many areas and units they hold (for the leaders list)."""
    return (
        LeaderAssignment.objects.visible_to(user)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
        .values("leader_id", "leader__full_name", "leader__username")
        .annotate(areas=Count("area", distinct=True), units=Count("unit", distinct=True))
        .order_by("leader__full_name", "leader_id")
    )


@dataclass
class StreetCount:
    street: Unit | None
    pledges: int
    sites: int

    @property
    def coverage(self) -> float:
        return round(100.0 * self.pledges / self.sites, 1) if self.sites else 0.0


def pledge_counts_by_street(*, user, year: int) -> list[StreetCount]:
    """Active pledges per street for a year, beside the active sites of that street (coverage)."""
    pledges = dict(
        FrontagePledge.objects.visible_to(user)
        .filter(year=year, is_active=True)
        .values("street")
        .annotate(n=Count("id"))
        .values_list("street", "n")
    )
    streets = list(Unit.objects.visible_to(user).filter(kind=UnitKind.STREET).order_by("path"))
    sites_per_unit = dict(
        Site.objects.visible_to(user)
        .filter(is_active=True, unit__isnull=False)
        .values("unit")
        .annotate(n=Count("id"))
        .values_list("unit", "n")
    )
    unit_paths = dict(Unit.objects.filter(pk__in=sites_per_unit).values_list("pk", "path"))
    rows = []
    for street in streets:
        sites = sum(n for unit_id, n in sites_per_unit.items() if unit_paths.get(unit_id, "").startswith(street.path))
        rows.append(StreetCount(street, pledges.get(street.pk, 0), sites))
    if pledges.get(None):
        rows.append(StreetCount(None, pledges[None], 0))
    return rows


def active_users():
    return User.objects.filter(is_active=True).order_by("full_name", "username")


def leader_users():
    return active_users().filter(memberships__role=Role.LEADER).distinct()


def user_by_id(pk: int):
    return User.objects.filter(pk=pk).first()


def areas_for_choice(user):
    return Area.objects.visible_to(user).order_by("level", "code")
