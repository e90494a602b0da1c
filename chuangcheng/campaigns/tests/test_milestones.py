"""Milestones: add, edit (re-counted backwards), complete and reopen; pages and API; audited."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.campaigns import services
from chuangcheng.campaigns.models import Milestone, TaskStatus
from chuangcheng.campaigns.tests.conftest import client_for
from chuangcheng.campaigns.tests.factories import MilestoneFactory, PlanFactory, TaskFactory
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world, official_calendar):
    return services.create_plan(
        actor=world["admin"], title="迎检方案", year=2026, unit=world["office"], target_date=date(2026, 10, 12)
    )


def test_update_recounts_the_date_from_the_offset_and_is_audited(world, plan):
    milestone = services.add_milestone(actor=world["admin"], plan=plan, title="自查", offset_days=3)
    assert milestone.due_date == date(2026, 10, 8)  # Oct 1–7 National Day, Sat Oct 10 worked
    milestone = services.update_milestone(milestone=milestone, actor=world["admin"], title=" 全面自查 ", offset_days=4)
    assert (milestone.title, milestone.due_date) == ("全面自查", date(2026, 9, 30))
    event = AuditEvent.objects.get(verb="campaigns.milestone_updated", target_id=str(milestone.pk))
    assert event.changes["due_date"] == ["2026-10-08", "2026-09-30"] and event.changes["offset_days"] == [3, 4]
    # clearing the offset keeps a date given by hand
    milestone = services.update_milestone(
        milestone=milestone, actor=world["admin"], offset_days=None, due_date=date(2026, 9, 15)
    )
    assert (milestone.offset_days, milestone.due_date) == (None, date(2026, 9, 15))
    # a later change of the target date leaves it alone
    services.schedule_plan(plan=plan, actor=world["admin"], target_date=date(2026, 11, 2))
    milestone.refresh_from_db()
    assert milestone.due_date == date(2026, 9, 15)


def test_update_rules(world, plan):
    milestone = services.add_milestone(actor=world["admin"], plan=plan, title="自查", due_date=date(2026, 9, 1))
    with pytest.raises(NotPermitted):
        services.update_milestone(milestone=milestone, actor=world["east_head"], title="改")
    with pytest.raises(DomainError) as error:
        services.update_milestone(milestone=milestone, actor=world["admin"], title="  ")
    assert error.value.field == "title"
    with pytest.raises(DomainError) as error:
        services.update_milestone(milestone=milestone, actor=world["admin"], plan=plan)
    assert "plan" in error.value.message
    milestone.refresh_from_db()
    assert milestone.title == "自查"
    services.update_milestone(milestone=milestone, actor=world["admin"], title="自查")
    assert not AuditEvent.objects.filter(verb="campaigns.milestone_updated").exists()  # nothing changed


def test_complete_needs_its_tasks_done_and_a_past_date(world, plan):
    milestone = services.add_milestone(actor=world["admin"], plan=plan, title="整改", due_date=date(2026, 9, 1))
    task = services.create_task(
        actor=world["admin"],
        plan=plan,
        title="清理",
        lead_unit=world["east"],
        deadline=date(2026, 9, 1),
        milestone=milestone,
    )
    with pytest.raises(DomainError) as error:
        services.complete_milestone(milestone=milestone, actor=world["admin"])
    assert "1项任务未完成" in error.value.message and error.value.field == "done_at"
    services.report_progress(task=task, actor=world["east_head"], progress=100, note="已清理")
    assert Milestone.objects.get(pk=milestone.pk).done_at is None
    with pytest.raises(DomainError):
        services.complete_milestone(
            milestone=milestone, actor=world["admin"], done_at=timezone.localdate() + timedelta(days=1)
        )
    with pytest.raises(NotPermitted):
        services.complete_milestone(milestone=milestone, actor=world["east_head"])
    done = services.complete_milestone(milestone=milestone, actor=world["admin"], done_at=date(2026, 9, 2))
    assert done.done_at == date(2026, 9, 2)
    with pytest.raises(Conflict):
        services.complete_milestone(milestone=milestone, actor=world["admin"])
    assert AuditEvent.objects.filter(verb="campaigns.milestone_completed", target_id=str(milestone.pk)).count() == 1


def test_reopen_needs_a_reason(world, plan):
    milestone = services.add_milestone(actor=world["admin"], plan=plan, title="验收", due_date=date(2026, 9, 1))
    with pytest.raises(Conflict):
        services.reopen_milestone(milestone=milestone, actor=world["admin"], reason="误点")
    services.complete_milestone(milestone=milestone, actor=world["admin"])
    with pytest.raises(DomainError) as error:
        services.reopen_milestone(milestone=milestone, actor=world["admin"], reason=" ")
    assert error.value.field == "reason"
    reopened = services.reopen_milestone(milestone=milestone, actor=world["admin"], reason="复查发现问题")
    assert reopened.done_at is None
    event = AuditEvent.objects.get(verb="campaigns.milestone_reopened")
    assert event.changes["reason"] == [None, "复查发现问题"]


def test_pages_edit_complete_and_reopen(world, plan):
    milestone = services.add_milestone(actor=world["admin"], plan=plan, title="自查", offset_days=3)
    office = Client()
    office.force_login(world["admin"])
    page = office.get(f"/campaigns/plans/{plan.pk}/")
    assert (
        "标记完成" in page.content.decode() and f"/campaigns/milestones/{milestone.pk}/edit/" in page.content.decode()
    )
    response = office.post(
        f"/campaigns/milestones/{milestone.pk}/edit/", {"title": "全面自查", "offset_days": 4, "sort_order": 1}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date) == ("全面自查", date(2026, 9, 30))
    cleared = office.post(f"/campaigns/milestones/{milestone.pk}/edit/", {"title": "全面自查", "offset_days": ""})
    assert cleared.status_code == 302  # no offset and no date given: the current date stays
    milestone.refresh_from_db()
    assert (milestone.offset_days, milestone.due_date) == (None, date(2026, 9, 30))
    empty = office.post(f"/campaigns/milestones/{milestone.pk}/edit/", {"title": ""})
    assert empty.status_code == 200 and "节点名称" in empty.content.decode()
    office.post(f"/campaigns/milestones/{milestone.pk}/state/", {"action": "complete"})
    milestone.refresh_from_db()
    assert milestone.done_at == timezone.localdate()
    response = office.post(f"/campaigns/milestones/{milestone.pk}/state/", {"action": "reopen"}, follow=True)
    assert "请填写重新打开的原因" in response.content.decode()
    office.post(f"/campaigns/milestones/{milestone.pk}/state/", {"action": "reopen", "reason": "返工"})
    milestone.refresh_from_db()
    assert milestone.done_at is None
    # a unit head may see the plan but not change milestones; out of scope is 404
    TaskFactory(plan=plan, lead_unit=world["east"], status=TaskStatus.PENDING)
    head = Client()
    head.force_login(world["east_head"])
    assert head.post(f"/campaigns/milestones/{milestone.pk}/state/", {"action": "complete"}).status_code == 403
    other = MilestoneFactory(plan=PlanFactory(unit=world["west"]))
    assert office.get(f"/campaigns/milestones/{other.pk}/edit/").status_code == 200
    west_head = Client()
    west_head.force_login(world["west_head"])
    assert west_head.post(f"/campaigns/milestones/{milestone.pk}/edit/", {"title": "x"}).status_code == 404


def test_api_patch_complete_reopen(world, plan):
    milestone = services.add_milestone(actor=world["admin"], plan=plan, title="自查", due_date=date(2026, 9, 1))
    api = client_for(world["admin"])
    url = f"/api/v1/campaign-milestones/{milestone.pk}/"
    response = api.patch(url, {"title": "全面自查", "offset_days": 4}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["title"], response.json()["due_date"]) == ("全面自查", "2026-09-30")
    response = api.post(f"{url}complete/", {"done_at": "2026-09-29"}, format="json")
    assert response.status_code == 200 and response.json()["done_at"] == "2026-09-29"
    assert api.post(f"{url}complete/", {}, format="json").status_code == 409
    response = api.post(f"{url}reopen/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert api.post(f"{url}reopen/", {"reason": "返工"}, format="json").json()["done_at"] is None
    response = client_for(world["east_head"]).patch(url, {"title": "x"}, format="json")
    assert response.status_code in (403, 404)
    assert Milestone.objects.get(pk=milestone.pk).title == "全面自查"
