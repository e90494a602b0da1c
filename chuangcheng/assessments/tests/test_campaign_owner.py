"""Schemes (and their periods) belong to a campaign; peer-group units lie in its subtree (programs.Campaign)."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from chuangcheng.assessments import services
from chuangcheng.assessments.forms import SchemeForm
from chuangcheng.assessments.models import PeerGroup
from chuangcheng.assessments.tests.factories import PeriodFactory, PublishedSchemeFactory
from chuangcheng.core.errors import DomainError
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.programs.tests.owned import build_owned_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_owned_world()


def test_scheme_and_its_period_belong_to_the_campaign(world):
    scheme = services.create_scheme(
        actor=world["office_user"], code="DC-KH", name="东城区月度考核", campaign=world["east_campaign"]
    )
    assert scheme.campaign == world["east_campaign"]
    published = PublishedSchemeFactory(campaign=world["east_campaign"])
    period = services.create_period(
        actor=world["office_user"], scheme=published, kind="monthly", start=date(2026, 3, 1), end=date(2026, 3, 31)
    )
    assert period.campaign == world["east_campaign"]


def test_peer_group_unit_outside_the_campaign_subtree_is_refused(world):
    scheme = services.create_scheme(
        actor=world["office_user"], code="DC-KH", name="东城区月度考核", campaign=world["east_campaign"]
    )
    services.create_peer_group(actor=world["office_user"], scheme=scheme, name="街道", units=[world["street"]])
    with pytest.raises(DomainError) as excinfo:
        services.create_peer_group(actor=world["office_user"], scheme=scheme, name="越界", units=[world["west"]])
    assert excinfo.value.field == "units" and "西城区" in excinfo.value.message
    group = PeerGroup.objects.get()
    with pytest.raises(DomainError):
        services.update_peer_group(group=group, actor=world["office_user"], units=[world["street"], world["west"]])
    assert list(group.units.all()) == [world["street"]]


def test_scheme_closed_campaign_is_refused(world):
    with pytest.raises(DomainError) as excinfo:
        services.create_scheme(actor=world["office_user"], code="X", name="旧", campaign=world["closed"])
    assert excinfo.value.field == "campaign"


def test_form_and_api_filters(world):
    assert SchemeForm(user=world["office_user"]).fields["campaign"].initial == world["city_campaign"]
    assert "campaign" not in SchemeForm(editing=True).fields
    PeriodFactory(scheme=PublishedSchemeFactory(campaign=world["east_campaign"]), campaign=world["east_campaign"])
    PeriodFactory()
    client = APIClient()
    client.force_authenticate(world["office_user"])
    with assert_max_queries(8):
        rows = client.get("/api/v1/assessments/periods/", {"campaign": world["east_campaign"].pk}).json()["results"]
    assert [row["campaign"] for row in rows] == [world["east_campaign"].pk]
    schemes = client.get("/api/v1/assessments/schemes/", {"campaign": world["east_campaign"].pk}).json()["results"]
    assert len(schemes) == 1
    body = {"code": "API-KH", "name": "API 考核", "campaign": world["east_campaign"].pk}
    response = client.post("/api/v1/assessments/schemes/", body, format="json")
    assert response.status_code == 201 and response.json()["campaign"] == world["east_campaign"].pk
