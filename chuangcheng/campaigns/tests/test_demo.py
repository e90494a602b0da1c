import pytest
from django.core.management import call_command
from django.utils import timezone

from chuangcheng.campaigns.demo import PLAN_TITLE, seed_campaigns_demo
from chuangcheng.campaigns.models import (
    FrontagePledge,
    LeaderAssignment,
    Plan,
    ProgressReport,
    ResponsibilityLetter,
    TaskStatus,
)
from chuangcheng.places.demo.seed import seed_demo_city

pytestmark = pytest.mark.django_db


def test_seed_campaigns_demo_schedules_backwards_and_is_idempotent():
    seed_demo_city(actor=None, scale=1)
    call_command("load_calendar", verbosity=0)
    message = seed_campaigns_demo()
    assert message.startswith("工作方案 1 个")
    plan = Plan.objects.get(title=PLAN_TITLE)
    today = timezone.localdate()
    assert plan.target_date > today and "示例" in plan.title
    tasks = list(plan.tasks.all())
    assert len(tasks) == 13 and all(task.offset_days is not None for task in tasks)
    overdue = [t for t in tasks if t.deadline < today and t.status != TaskStatus.DONE]
    assert len(overdue) == 3 and {t.escalation_level for t in overdue} == {1, 2, 3}
    assert sum(t.status == TaskStatus.DONE for t in tasks) == 3
    milestones = list(plan.milestones.order_by("sort_order"))
    assert milestones[0].done_at and not any(m.done_at for m in milestones[1:])
    assert ProgressReport.objects.exclude(evidence="").exists()
    assert ResponsibilityLetter.objects.count() == 8 and ResponsibilityLetter.objects.exclude(scan="").count() == 6
    assert LeaderAssignment.objects.values("leader").distinct().count() == 3
    assert FrontagePledge.objects.count() > 20 and FrontagePledge.objects.filter(street__isnull=True).count() == 0
    assert seed_campaigns_demo().startswith("已有") and Plan.objects.count() == 1


def test_seed_campaigns_demo_schedules_from_a_recorded_window():
    from datetime import timedelta

    from chuangcheng.accounts.models import User
    from chuangcheng.readiness.services import create_window

    seed_demo_city(actor=None, scale=1)
    today = timezone.localdate()
    office = User.objects.get(username="office")
    create_window(
        actor=office,
        kind="provincial",
        title="省级复核（演示）",
        earliest=today + timedelta(days=20),
        latest=today + timedelta(days=30),
    )
    national = create_window(
        actor=office,
        kind="national_undercover",
        title="国家暗访（演示）",
        earliest=today + timedelta(days=90),
        latest=today + timedelta(days=150),
    )
    seed_campaigns_demo()
    plan = Plan.objects.get(title=PLAN_TITLE)
    assert plan.target_date == national.earliest and "国家暗访（演示）" in plan.description
    tasks = list(plan.tasks.order_by("sort_order"))
    assert tasks[-1].deadline < plan.target_date and tasks[0].deadline < today
    assert plan.tasks.filter(escalation_level__gt=0).exists()
