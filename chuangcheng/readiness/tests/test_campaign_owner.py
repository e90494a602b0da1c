"""Windows and forecasts belong to a campaign; a campaign's active windows may not overlap (programs.Campaign)."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from chuangcheng.core.errors import DomainError
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.programs.tests.owned import build_owned_world
from chuangcheng.readiness import selectors, services
from chuangcheng.readiness.forms import WindowForm
from chuangcheng.readiness.models import InspectionWindow

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_owned_world()


def _window(world, **overrides):
    values = {
        "actor": world["office_user"],
        "kind": "provincial",
        "title": "省级暗访",
        "earliest": date(2027, 3, 1),
        "latest": date(2027, 3, 31),
        "campaign": world["east_campaign"],
    }
    values.update(overrides)
    return services.create_window(**values)


def test_overlapping_windows_of_one_campaign_are_refused(world):
    first = _window(world)
    with pytest.raises(DomainError) as excinfo:
        _window(world, title="重叠", earliest=date(2027, 3, 31), latest=date(2027, 4, 10))
    assert excinfo.value.field == "earliest" and "重叠" in excinfo.value.message and "省级暗访" in excinfo.value.message
    assert InspectionWindow.objects.count() == 1
    # another campaign, an inactive window, or no overlap: fine
    _window(world, campaign=world["city_campaign"])
    _window(world, title="停用", is_active=False)
    _window(world, title="四月", earliest=date(2027, 4, 1), latest=date(2027, 4, 30))
    with pytest.raises(DomainError):
        services.update_window(window=first, actor=world["office_user"], latest=date(2027, 4, 2))
    first.refresh_from_db()
    assert first.latest == date(2027, 3, 31)


def test_window_of_a_closed_campaign_is_refused(world):
    with pytest.raises(DomainError) as excinfo:
        _window(world, campaign=world["closed"])
    assert excinfo.value.field == "campaign"


def test_forecast_run_takes_the_windows_campaign(world):
    window = _window(world)
    assert selectors.next_countdown(world["office_user"], campaign=world["east_campaign"], today=date(2027, 1, 1))
    assert (
        selectors.next_countdown(world["office_user"], campaign=world["city_campaign"], today=date(2027, 1, 1)) is None
    )
    assert window.campaign == world["east_campaign"]


def test_form_and_api(world):
    form = WindowForm(user=world["office_user"])
    assert form.fields["campaign"].initial == world["city_campaign"]
    _window(world)
    _window(world, campaign=world["city_campaign"])
    client = APIClient()
    client.force_authenticate(world["office_user"])
    with assert_max_queries(8):
        rows = client.get("/api/v1/readiness/windows/", {"campaign": world["east_campaign"].pk}).json()["results"]
    assert [row["campaign"] for row in rows] == [world["east_campaign"].pk]
    body = {
        "kind": "provincial",
        "earliest": "2027-03-15",
        "latest": "2027-03-20",
        "campaign": world["east_campaign"].pk,
    }
    response = client.post("/api/v1/readiness/windows/", body, format="json")
    assert response.status_code == 422 and response.json()["field"] == "earliest"
    page = APIClient()
    page.force_login(world["office_user"])
    html = page.get("/readiness/windows/", {"campaign": world["east_campaign"].pk}).content.decode()
    assert "东城区创卫" in html


def test_demo_windows_belong_to_the_demo_campaigns(city):
    from django.core.management import call_command

    from chuangcheng.programs.demo import seed_demo_campaigns

    city["office_user"].username = "office"
    city["office_user"].save(update_fields=["username"])
    city_campaign, county_campaign = seed_demo_campaigns()
    call_command("seed_readiness_demo")
    by_campaign = {w.title: w.campaign for w in InspectionWindow.objects.all()}
    assert list(by_campaign.values()).count(city_campaign) == 2
    assert list(by_campaign.values()).count(county_campaign) == 1
    assert all("演示" in title for title in by_campaign)
