import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.audit.models import AuditEvent
from chuangcheng.campaigns.tests.factories import PlanFactory
from chuangcheng.inspections.models import InspectionRound
from chuangcheng.programs.demo import attach_demo_rows, seed_demo_campaigns
from chuangcheng.programs.models import Campaign
from chuangcheng.programs.titles import Title
from chuangcheng.standards.models import StandardStatus
from chuangcheng.standards.tests.factories import StandardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(tree):
    StandardFactory(kind="sanitary_city", status=StandardStatus.PUBLISHED)
    UserFactory(username="office")  # no office role: not the one the demo acts as
    office = user_with_role(Role.OFFICE_ADMIN, tree["office"], username="office2")
    return tree | {"actor": office}


def test_seed_demo_campaigns_keyed_by_unit_roles_and_idempotent(demo_world):
    first = seed_demo_campaigns()
    again = seed_demo_campaigns()
    assert [c.pk for c in first] == [c.pk for c in again]
    city, county, town = first
    assert (city.unit, city.title) == (demo_world["city"], Title.NATIONAL_SANITARY_CITY)
    assert (county.unit, county.title, county.parent) == (demo_world["east"], Title.NATIONAL_SANITARY_COUNTY, city)
    assert (town.unit, town.title, town.parent) == (demo_world["street"], Title.NATIONAL_SANITARY_TOWN, county)
    assert all(c.is_demo for c in first)
    assert county.office_unit == demo_world["east_office"]
    assert town.standard.uncertain and "待核实" in town.standard.description
    assert Campaign.objects.count() == 3


def test_attach_demo_rows_gives_existing_rows_the_city_campaign(demo_world):
    plan = PlanFactory(unit=demo_world["office"])
    seed_demo_campaigns()
    counts = attach_demo_rows()
    plan.refresh_from_db()
    assert plan.campaign.title == Title.NATIONAL_SANITARY_CITY
    assert counts["campaigns.Plan"] == 1
    assert AuditEvent.objects.filter(verb="programs.demo_rows_attached").count() == 1
    assert attach_demo_rows()["campaigns.Plan"] == 0
    assert not InspectionRound.objects.filter(campaign__isnull=True).exists()
