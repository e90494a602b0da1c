"""Rounds belong to a campaign: scope of the areas, default campaign, filters (programs.Campaign)."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from chuangcheng.core.errors import DomainError
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.inspections import services
from chuangcheng.inspections.forms import RoundForm
from chuangcheng.inspections.models import InspectionRound
from chuangcheng.inspections.tests.factories import RoundFactory
from chuangcheng.programs.tests.owned import build_owned_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned_world():
    return build_owned_world()


def _round(world, **overrides):
    values = {
        "actor": world["office_user"],
        "name": "东城区第1轮明查",
        "kind": "open",
        "unit": world["east"],
        "period_start": date(2026, 11, 1),
        "period_end": date(2026, 11, 30),
        "areas": [world["east_area"]],
        "campaign": world["east_campaign"],
    }
    values.update(overrides)
    return services.create_round(**values)


def test_round_gets_its_campaign(owned_world):
    assert _round(owned_world).campaign == owned_world["east_campaign"]


def test_round_without_campaign_gets_its_units_running_campaign(owned_world):
    assert _round(owned_world, campaign=None).campaign == owned_world["east_campaign"]
    city_round = _round(owned_world, campaign=None, unit=owned_world["office"], areas=[])
    assert city_round.campaign == owned_world["city_campaign"]


def test_area_outside_the_campaign_subtree_is_refused(owned_world):
    with pytest.raises(DomainError) as excinfo:
        _round(owned_world, areas=[owned_world["east_area"], owned_world["west_area"]])
    assert excinfo.value.field == "areas" and "西城社区" in excinfo.value.message
    with pytest.raises(DomainError) as excinfo:
        _round(owned_world, unit=owned_world["office"], areas=[])
    assert excinfo.value.field == "unit"
    assert not InspectionRound.objects.exists()


def test_closed_campaign_is_refused(owned_world):
    with pytest.raises(DomainError) as excinfo:
        _round(owned_world, campaign=owned_world["closed"], unit=owned_world["west"], areas=[])
    assert excinfo.value.field == "campaign" and "已结束" in excinfo.value.message


def test_update_to_a_campaign_whose_subtree_misses_the_areas_is_refused(owned_world):
    round_ = _round(owned_world, campaign=owned_world["city_campaign"], unit=owned_world["office"])
    with pytest.raises(DomainError) as excinfo:
        services.update_round(round_=round_, actor=owned_world["office_user"], campaign=owned_world["east_campaign"])
    assert excinfo.value.field == "unit"
    round_.refresh_from_db()
    assert round_.campaign == owned_world["city_campaign"]


def test_form_offers_visible_running_campaigns_with_the_users_default(owned_world):
    form = RoundForm(user=owned_world["office_user"])
    names = {c.code for c in form.fields["campaign"].queryset}
    assert names == {"CITY-GW", "D01-CW"}
    assert form.fields["campaign"].initial == owned_world["city_campaign"]


def test_api_filters_by_campaign_and_sets_it(owned_world):
    RoundFactory(unit=owned_world["east"], campaign=owned_world["east_campaign"])
    RoundFactory(unit=owned_world["office"], campaign=owned_world["city_campaign"])
    RoundFactory(unit=owned_world["office"])
    client = APIClient()
    client.force_authenticate(owned_world["office_user"])
    with assert_max_queries(12):
        rows = client.get("/api/v1/inspections/rounds/", {"campaign": owned_world["east_campaign"].pk}).json()
    assert [row["campaign"] for row in rows["results"]] == [owned_world["east_campaign"].pk]
    assert client.get("/api/v1/inspections/rounds/", {"campaign": "none"}).json()["count"] == 1
    body = {
        "name": "API 轮次",
        "kind": "open",
        "unit": owned_world["east"].pk,
        "period_start": "2026-11-01",
        "period_end": "2026-11-02",
        "areas": [owned_world["west_area"].pk],
        "campaign": owned_world["east_campaign"].pk,
    }
    response = client.post("/api/v1/inspections/rounds/", body, format="json")
    assert response.status_code == 422 and response.json()["field"] == "areas"


def test_round_on_a_civilized_standard_goes_to_the_civilized_campaign_beside_the_sanitary_one(owned_world):
    """双迎: a 模拟测评 on the 创文 测评手册 without a chosen campaign belongs to the 创文 campaign, not the
    巩卫 one running beside it (the nearest-campaign rule used to prefer the sanitary one)."""
    from chuangcheng.programs.tests.factories import CampaignFactory
    from chuangcheng.standards.tests.factories import StandardFactory

    civilized = StandardFactory(kind="civilized_city", status="published")
    wenming = CampaignFactory(
        unit=owned_world["office"],
        code="CITY-WM",
        name="示范市创文",
        title="national_civilized_city",
        standard=civilized,
        status="preparing",
    )
    city = dict(campaign=None, unit=owned_world["office"], areas=[])
    assert _round(owned_world, **city, kind="mock", standard=civilized).campaign == wenming
    assert _round(owned_world, **city, name="巩卫明查").campaign == owned_world["city_campaign"]
