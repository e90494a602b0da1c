from datetime import date

import pytest

from chuangcheng.audit.models import AuditEvent
from chuangcheng.campaigns import services
from chuangcheng.campaigns.models import TaskEvent, TaskEventKind, TaskStatus
from chuangcheng.campaigns.selectors import plan_summary, weighted_progress
from chuangcheng.campaigns.services.plans import escalation_level_for
from chuangcheng.campaigns.tests.factories import PlanFactory, TaskFactory
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_schedule_backwards_across_spring_festival_skips_holidays(world, official_calendar):
    plan = services.create_plan(actor=world["admin"], title="迎检方案", year=2026, unit=world["office"])
    task = services.create_task(
        actor=world["admin"],
        plan=plan,
        title="资料归档",
        lead_unit=world["east"],
        deadline=date(2026, 1, 5),
        offset_days=5,
    )
    milestone = services.add_milestone(actor=world["admin"], plan=plan, title="自查完成", due_date=date(2026, 1, 1))
    services.schedule_plan(plan=plan, actor=world["admin"], target_date=date(2026, 2, 27))
    task.refresh_from_db()
    # Feb 26, 25, 24 are working days; Feb 15–23 is the Spring Festival; Sat Feb 14 is an adjusted working day.
    assert task.deadline == date(2026, 2, 13)
    milestone.refresh_from_db()
    assert milestone.due_date == date(2026, 1, 1)  # no offset: left alone
    assert TaskEvent.objects.filter(task=task, kind=TaskEventKind.SCHEDULED).exists()
    assert AuditEvent.objects.filter(verb="campaigns.plan_scheduled", target_id=str(plan.pk)).exists()


def test_schedule_backwards_across_national_day_counts_adjusted_saturday(world, official_calendar):
    plan = services.create_plan(
        actor=world["admin"], title="迎检方案", year=2026, unit=world["office"], target_date=date(2026, 10, 12)
    )
    three = services.create_task(
        actor=world["admin"], plan=plan, title="三天前", lead_unit=world["east"], offset_days=3
    )
    four = services.create_task(actor=world["admin"], plan=plan, title="四天前", lead_unit=world["east"], offset_days=4)
    milestone = services.add_milestone(actor=world["admin"], plan=plan, title="模拟测评", offset_days=4)
    # Sat Oct 10 is worked, Oct 1–7 are National Day holidays.
    assert three.deadline == date(2026, 10, 8)
    assert four.deadline == date(2026, 9, 30)
    assert milestone.due_date == date(2026, 9, 30)


def test_moving_the_target_date_moves_offset_tasks(world, official_calendar):
    plan = services.create_plan(
        actor=world["admin"], title="方案", year=2026, unit=world["office"], target_date=date(2026, 10, 12)
    )
    task = services.create_task(actor=world["admin"], plan=plan, title="任务", lead_unit=world["east"], offset_days=1)
    services.update_plan(plan=plan, actor=world["admin"], target_date=date(2026, 2, 24))
    task.refresh_from_db()
    assert task.deadline == date(2026, 2, 14)  # the adjusted Saturday before the Spring Festival ended


def test_task_without_deadline_or_target_is_rejected(world):
    plan = services.create_plan(actor=world["admin"], title="方案", year=2026, unit=world["office"])
    with pytest.raises(DomainError) as error:
        services.create_task(actor=world["admin"], plan=plan, title="任务", lead_unit=world["east"], offset_days=3)
    assert error.value.field == "deadline"


def test_unit_cannot_create_plan(world):
    with pytest.raises(NotPermitted):
        services.create_plan(actor=world["east_head"], title="方案", year=2026, unit=world["east"])


def test_lead_unit_progress_completes_task_and_cooperating_does_not_move_it(world):
    task = TaskFactory(lead_unit=world["east"])
    task.cooperating_units.add(world["west"])
    services.report_progress(task=task, actor=world["west_head"], progress=90, note="配合完成宣传")
    task.refresh_from_db()
    assert task.progress == 0
    services.report_progress(task=task, actor=world["east_head"], progress=100, note="全部完成")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_at is not None
    assert task.events.filter(kind=TaskEventKind.COMPLETED).exists()
    with pytest.raises(DomainError):
        services.report_progress(task=task, actor=world["east_head"], progress=100, note="再报")


def test_unrelated_unit_cannot_report(world):
    task = TaskFactory(lead_unit=world["east"])
    with pytest.raises(NotPermitted):
        services.report_progress(task=task, actor=world["west_head"], progress=10, note="x")


def test_escalation_counts_working_days_and_is_idempotent(world, official_calendar):
    late = TaskFactory(lead_unit=world["east"], deadline=date(2026, 9, 30))
    done = TaskFactory(lead_unit=world["east"], deadline=date(2026, 9, 30), status=TaskStatus.DONE)
    future = TaskFactory(lead_unit=world["east"], deadline=date(2026, 12, 31))
    # Oct 1–7 are holidays: on Oct 9 the task is only 2 working days late.
    assert [t.pk for t in services.escalate_overdue_tasks(today=date(2026, 10, 9))] == [late.pk]
    late.refresh_from_db()
    assert late.escalation_level == 1
    assert services.escalate_overdue_tasks(today=date(2026, 10, 9)) == []
    # Oct 15: 7 working days late (15 calendar days) → level 2, not 3.
    services.escalate_overdue_tasks(today=date(2026, 10, 15))
    late.refresh_from_db()
    done.refresh_from_db()
    future.refresh_from_db()
    assert (late.escalation_level, done.escalation_level, future.escalation_level) == (2, 0, 0)
    assert late.events.filter(kind=TaskEventKind.ESCALATED).count() == 2
    assert AuditEvent.objects.filter(verb="campaigns.task_escalated", target_id=str(late.pk)).count() == 2
    inbox = Notification.objects.filter(user=world["east_head"], kind="case_escalated")
    assert inbox.count() == 2 and "超期督办" in inbox.order_by("id").first().title


def test_escalation_level_ladder(official_calendar):
    assert escalation_level_for(date(2026, 9, 30), date(2026, 9, 30)) == 0
    assert escalation_level_for(date(2026, 9, 30), date(2026, 10, 8)) == 1
    assert escalation_level_for(date(2026, 9, 30), date(2026, 10, 22)) == 3


def test_escalate_command_reports(world, official_calendar, capsys):
    from django.core.management import call_command

    TaskFactory(lead_unit=world["east"], deadline=date(2026, 9, 30))
    call_command("escalate_overdue_tasks", "--today", "2026-10-09")
    assert "共督办 1 项" in capsys.readouterr().out


def test_weighted_progress_and_summary(world):
    plan = PlanFactory(unit=world["office"])
    TaskFactory(plan=plan, lead_unit=world["east"], weight=3, progress=100, status=TaskStatus.DONE)
    TaskFactory(plan=plan, lead_unit=world["east"], weight=1, progress=40, deadline=date(2020, 1, 1))
    assert weighted_progress(plan.tasks.all()) == 85.0
    summary = plan_summary(plan, plan.tasks.all(), today=date(2026, 1, 1))
    assert (summary.total, summary.done, summary.overdue) == (2, 1, 1)
