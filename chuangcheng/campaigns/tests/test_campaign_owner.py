"""Plans belong to a campaign; their tasks are assigned inside the campaign's subtree (programs.Campaign)."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from chuangcheng.campaigns import services
from chuangcheng.campaigns.forms import PlanForm
from chuangcheng.campaigns.models import Plan, Task
from chuangcheng.campaigns.tests.factories import PlanFactory
from chuangcheng.core.errors import DomainError
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.programs.tests.owned import build_owned_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_owned_world()


def _plan(world, **overrides):
    values = {"actor": world["office_user"], "title": "东城区创卫工作方案", "year": 2026, "unit": world["east"]}
    values.update(overrides)
    return services.create_plan(**values)


def test_plan_defaults_to_its_units_running_campaign_and_checks_the_unit(world):
    assert _plan(world).campaign == world["east_campaign"]
    assert _plan(world, unit=world["office"]).campaign == world["city_campaign"]
    with pytest.raises(DomainError) as excinfo:
        _plan(world, unit=world["west"], campaign=world["east_campaign"])
    assert excinfo.value.field == "unit" and "西城区" in excinfo.value.message


def test_tasks_are_assigned_inside_the_campaign_subtree(world):
    plan = _plan(world)
    services.create_task(
        actor=world["office_user"],
        plan=plan,
        title="清理背街小巷",
        lead_unit=world["street"],
        deadline=date(2026, 12, 1),
    )
    with pytest.raises(DomainError) as excinfo:
        services.create_task(
            actor=world["office_user"], plan=plan, title="越界任务", lead_unit=world["west"], deadline=date(2026, 12, 1)
        )
    assert excinfo.value.field == "lead_unit"
    with pytest.raises(DomainError) as excinfo:
        services.create_task(
            actor=world["office_user"],
            plan=plan,
            title="越界配合",
            lead_unit=world["street"],
            cooperating_units=[world["west"]],
            deadline=date(2026, 12, 1),
        )
    assert excinfo.value.field == "cooperating_units"
    assert Task.objects.count() == 1


def test_city_plan_assigns_tasks_down_to_the_county(world):
    plan = _plan(world, unit=world["office"])
    task = services.create_task(
        actor=world["office_user"], plan=plan, title="下达区县", lead_unit=world["east"], deadline=date(2026, 12, 1)
    )
    assert task.plan.campaign == world["city_campaign"]
    with pytest.raises(DomainError) as excinfo:
        services.update_plan(plan=plan, actor=world["office_user"], campaign=world["east_campaign"])
    assert excinfo.value.field == "unit"
    plan.refresh_from_db()
    assert plan.campaign == world["city_campaign"]


def test_form_and_api_filter(world):
    assert PlanForm(user=world["office_user"]).fields["campaign"].initial == world["city_campaign"]
    PlanFactory(unit=world["east"], campaign=world["east_campaign"])
    PlanFactory(unit=world["office"])
    client = APIClient()
    client.force_authenticate(world["office_user"])
    with assert_max_queries(10):
        rows = client.get("/api/v1/campaign-plans/", {"campaign": world["east_campaign"].pk}).json()["results"]
    assert [row["campaign"] for row in rows] == [world["east_campaign"].pk]
    assert client.get("/api/v1/campaign-plans/", {"campaign": "none"}).json()["count"] == 1
    assert Plan.objects.count() == 2
