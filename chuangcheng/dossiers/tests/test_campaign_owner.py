"""Archive assignments belong to a campaign: its standard's requirements, units in its subtree (programs.Campaign)."""

import pytest
from rest_framework.test import APIClient

from chuangcheng.core.errors import DomainError
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.dossiers import services
from chuangcheng.dossiers.models import MaterialAssignment
from chuangcheng.programs.tests.owned import build_owned_world
from chuangcheng.standards.tests.factories import MaterialRequirementFactory, StandardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_owned_world()
    world["requirement"] = MaterialRequirementFactory(standard=world["standard"], title="创卫工作方案")
    world["other_requirement"] = MaterialRequirementFactory(standard=StandardFactory(), title="文明城市资料")
    return world


def test_assignment_gets_the_campaign(world):
    created = services.assign_requirement(
        actor=world["office_user"],
        requirement=world["requirement"],
        units=[world["street"]],
        campaign=world["east_campaign"],
    )
    assert [a.campaign for a in created] == [world["east_campaign"]]


def test_unit_outside_the_subtree_or_requirement_of_another_standard_is_refused(world):
    with pytest.raises(DomainError) as excinfo:
        services.assign_requirement(
            actor=world["office_user"],
            requirement=world["requirement"],
            units=[world["street"], world["west"]],
            campaign=world["east_campaign"],
        )
    assert excinfo.value.field == "units" and "西城区" in excinfo.value.message
    with pytest.raises(DomainError) as excinfo:
        services.assign_requirement(
            actor=world["office_user"],
            requirement=world["other_requirement"],
            units=[world["street"]],
            campaign=world["east_campaign"],
        )
    assert excinfo.value.field == "requirement"
    assert not MaterialAssignment.objects.exists()


def test_api_sets_and_filters_campaign(world):
    client = APIClient()
    client.force_authenticate(world["office_user"])
    body = {
        "requirement": world["requirement"].pk,
        "units": [world["street"].pk],
        "campaign": world["east_campaign"].pk,
    }
    assert client.post("/api/v1/dossier-assignments/", body, format="json").status_code == 201
    services.assign_requirement(actor=world["office_user"], requirement=world["requirement"], units=[world["west"]])
    with assert_max_queries(8):
        rows = client.get("/api/v1/dossier-assignments/", {"campaign": world["east_campaign"].pk}).json()["results"]
    assert [row["campaign"] for row in rows] == [world["east_campaign"].pk]
    assert client.get("/api/v1/dossier-assignments/", {"campaign": "none"}).json()["count"] == 1
