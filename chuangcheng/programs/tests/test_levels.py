"""Campaign rights by level: a county office runs its county's and towns' campaigns, reads the city's, never
sees a sibling county's; the city office manages them all (permission matrix over every level)."""

import pytest
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.programs import services
from chuangcheng.programs.tests.factories import CampaignFactory
from chuangcheng.programs.titles import Title

pytestmark = pytest.mark.django_db


@pytest.fixture
def levels(tree):
    city = CampaignFactory(unit=tree["city"], code="CITY-GW", standard=tree["standard"])
    east = CampaignFactory(
        unit=tree["east"], code="D01-CW", title=Title.NATIONAL_SANITARY_COUNTY, parent=city, standard=tree["standard"]
    )
    west = CampaignFactory(
        unit=tree["west"], code="D02-CW", title=Title.NATIONAL_SANITARY_COUNTY, parent=city, standard=tree["standard"]
    )
    return tree | {
        "c_city": city,
        "c_east": east,
        "c_west": west,
        "county_office": user_with_role(Role.OFFICE_STAFF, tree["east_office"]),
        "leader": user_with_role(Role.LEADER, tree["city"]),
    }


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# (user, campaign, status of GET detail, status of PATCH)
MATRIX = [
    ("office_user", "c_city", 200, 200),
    ("office_user", "c_east", 200, 200),
    ("office_user", "c_west", 200, 200),
    ("county_office", "c_city", 200, 403),
    ("county_office", "c_east", 200, 200),
    ("county_office", "c_west", 404, 404),
    ("leader", "c_east", 200, 403),
    ("handler", "c_city", 200, 403),
    ("handler", "c_east", 200, 403),
    ("handler", "c_west", 404, 404),
    ("west_handler", "c_east", 404, 404),
    ("no_role", "c_city", 404, 404),
]


@pytest.mark.parametrize(("who", "which", "read", "write"), MATRIX)
def test_campaign_rights_by_level(levels, who, which, read, write):
    client = _client(levels[who])
    url = f"/api/v1/programs/{levels[which].pk}/"
    assert client.get(url).status_code == read
    assert client.patch(url, {"description": "改"}, format="json").status_code == write


def test_county_office_creates_a_town_campaign_but_not_in_a_sibling_county(levels):
    town = services.create_campaign(
        actor=levels["county_office"],
        code="S01-WS",
        name="东城街道创建国家卫生乡镇",
        unit=levels["street"],
        title=Title.NATIONAL_SANITARY_TOWN,
        standard=levels["standard"],
    )
    assert town.parent == levels["c_east"]
    with pytest.raises(DomainError) as excinfo:
        services.create_campaign(
            actor=levels["county_office"],
            code="D02-X",
            name="越界",
            unit=levels["west"],
            title=Title.NATIONAL_SANITARY_COUNTY,
            standard=levels["standard"],
        )
    assert excinfo.value.field == "unit"
    with pytest.raises(NotPermitted):
        services.close_campaign(campaign=levels["c_city"], actor=levels["county_office"])


def test_list_is_scoped_per_level(levels):
    codes = {row["code"] for row in _client(levels["county_office"]).get("/api/v1/programs/").json()["results"]}
    assert codes == {"CITY-GW", "D01-CW"}
    codes = {row["code"] for row in _client(levels["office_user"]).get("/api/v1/programs/").json()["results"]}
    assert codes == {"CITY-GW", "D01-CW", "D02-CW"}
