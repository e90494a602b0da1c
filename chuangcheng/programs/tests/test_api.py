import pytest
from django.test import Client
from rest_framework.test import APIClient

from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.programs.models import Campaign, CampaignStatus
from chuangcheng.programs.tests.factories import CampaignFactory
from chuangcheng.programs.titles import Title

pytestmark = pytest.mark.django_db


def api_as(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def page_as(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def campaigns(tree):
    city = CampaignFactory(unit=tree["city"], code="CITY-GW", standard=tree["standard"])
    east = CampaignFactory(
        unit=tree["east"], code="D01-CW", title=Title.NATIONAL_SANITARY_COUNTY, parent=city, standard=tree["standard"]
    )
    west = CampaignFactory(
        unit=tree["west"], code="D02-CW", title=Title.NATIONAL_SANITARY_COUNTY, parent=city, standard=tree["standard"]
    )
    town = CampaignFactory(
        unit=tree["street"], code="S01-WS", title=Title.NATIONAL_SANITARY_TOWN, parent=east, standard=tree["standard"]
    )
    return {"city": city, "east": east, "west": west, "town": town}


def test_campaign_detail_permission_matrix(tree, campaigns):
    assert_permission_matrix(
        api_as,
        f"/api/v1/programs/{campaigns['town'].pk}/",
        in_scope=tree["handler"],
        out_of_scope=tree["west_handler"],
        no_role=tree["no_role"],
    )
    page = f"/programs/{campaigns['town'].pk}/"
    assert page_as(None).get(page).status_code == 302
    assert page_as(tree["west_handler"]).get(page).status_code == 404
    assert page_as(tree["handler"]).get(page).status_code == 200
    assert page_as(tree["office_user"]).get(page).status_code == 200


def test_unit_sees_its_own_and_the_campaigns_above_never_a_sibling(tree, campaigns):
    codes = {row["code"] for row in api_as(tree["handler"]).get("/api/v1/programs/").json()["results"]}
    assert codes == {"CITY-GW", "D01-CW", "S01-WS"}
    codes = {row["code"] for row in api_as(tree["west_handler"]).get("/api/v1/programs/").json()["results"]}
    assert codes == {"CITY-GW", "D02-CW"}
    assert api_as(tree["west_handler"]).get(f"/api/v1/programs/{campaigns['east'].pk}/").status_code == 404


def test_office_creates_over_the_api_and_errors_name_the_field(tree, campaigns):
    client = api_as(tree["office_user"])
    body = {
        "code": "S01-WM",
        "name": "东城街道创建文明村镇",
        "unit": tree["street"].pk,
        "title": Title.CIVILIZED_VILLAGE_TOWN,
        "standard": tree["standard"].pk,
    }
    response = client.post("/api/v1/programs/", body, format="json")
    assert response.status_code == 201, response.json()
    bad = client.post("/api/v1/programs/", body | {"code": "X", "title": Title.NATIONAL_SANITARY_CITY}, format="json")
    assert bad.status_code == 422 and bad.json()["field"] == "title"
    none = client.post("/api/v1/programs/", body | {"code": "Y", "standard": None}, format="json")
    assert none.status_code == 422 and none.json()["field"] == "standard"
    assert "评价标准" in none.json()["detail"]
    assert not Campaign.objects.filter(code__in=["X", "Y"]).exists()


def test_unit_handler_may_read_but_not_write(tree, campaigns):
    client = api_as(tree["handler"])
    response = client.patch(f"/api/v1/programs/{campaigns['town'].pk}/", {"name": "x"}, format="json")
    assert response.status_code == 403
    response = client.post(f"/api/v1/programs/{campaigns['town'].pk}/close/", {}, format="json")
    assert response.status_code == 403


def test_put_keeps_code_and_unit_and_close_works(tree, campaigns):
    client = api_as(tree["office_user"])
    town = campaigns["town"]
    data = client.get(f"/api/v1/programs/{town.pk}/").json()
    data.update(name="东城街道创建国家卫生乡镇（新）", office_unit=None, parent=campaigns["east"].pk)
    response = client.put(f"/api/v1/programs/{town.pk}/", data, format="json")
    assert response.status_code == 200, response.json()
    moved = client.patch(f"/api/v1/programs/{town.pk}/", {"unit": tree["west"].pk}, format="json")
    assert moved.status_code == 422 and moved.json()["field"] == "unit"
    closed = client.post(f"/api/v1/programs/{town.pk}/close/", {"ends_on": "2026-12-31"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == CampaignStatus.CLOSED


def test_list_endpoint_and_page_query_counts_do_not_grow(tree, campaigns):
    client = api_as(tree["office_user"])
    client.get("/api/v1/programs/")
    with assert_max_queries(6):
        response = client.get("/api/v1/programs/")
    assert response.json()["count"] == 4
    page = page_as(tree["office_user"])
    page.get("/programs/")
    with assert_max_queries(14):
        response = page.get("/programs/")
    assert response.status_code == 200
    for _n in range(10):
        CampaignFactory(unit=tree["community"], title=Title.PROVINCIAL_SANITARY_VILLAGE, standard=tree["standard"])
    with assert_max_queries(6):
        assert client.get("/api/v1/programs/").json()["count"] == 14
    with assert_max_queries(14):
        assert page.get("/programs/").status_code == 200


def test_filters(tree, campaigns):
    client = api_as(tree["office_user"])
    rows = client.get("/api/v1/programs/", {"unit": tree["east"].pk}).json()["results"]
    assert {row["code"] for row in rows} == {"D01-CW", "S01-WS"}
    rows = client.get("/api/v1/programs/", {"level": "district"}).json()["results"]
    assert {row["code"] for row in rows} == {"D01-CW", "D02-CW"}
    rows = client.get("/api/v1/programs/", {"title": Title.NATIONAL_SANITARY_TOWN}).json()["results"]
    assert [row["code"] for row in rows] == ["S01-WS"]
