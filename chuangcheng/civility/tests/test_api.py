"""API: the permission matrix on every detail endpoint, query guards on every list, register and transitions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chuangcheng.civility.tests.conftest import api_for
from chuangcheng.civility.tests.factories import (
    CivilizedUnitFactory,
    PublicityCheckFactory,
    PublicitySiteFactory,
    RatingFactory,
    ReviewFactory,
    WindowIndustryFactory,
    WindowUnitFactory,
)
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix

pytestmark = pytest.mark.django_db

BASE = "/api/v1/civility/"


def test_detail_endpoints_follow_the_permission_matrix(world):
    honour = CivilizedUnitFactory(unit=world["east"])
    review = ReviewFactory(civilized_unit=honour)
    window = WindowUnitFactory(unit=world["east"])
    rating = RatingFactory(window_unit=window)
    check = PublicityCheckFactory(site=PublicitySiteFactory(unit=world["east_street"]))
    for url in (
        f"{BASE}units/{honour.pk}/",
        f"{BASE}reviews/{review.pk}/",
        f"{BASE}windows/{window.pk}/",
        f"{BASE}ratings/{rating.pk}/",
        f"{BASE}checks/{check.pk}/",
    ):
        assert_permission_matrix(
            api_for, url, in_scope=world["east_head"], out_of_scope=world["west_head"], no_role=world["nobody"]
        )


def test_lists_are_scoped_and_run_a_fixed_number_of_queries(world):
    for n in range(10):
        honour = CivilizedUnitFactory(unit=world["east"] if n % 2 else world["west"])
        ReviewFactory(civilized_unit=honour)
        window = WindowUnitFactory(unit=world["east"])
        RatingFactory(window_unit=window)
        PublicityCheckFactory(site=PublicitySiteFactory(unit=world["east_street"]), state="missing")
    WindowIndustryFactory(name="供水")
    client = api_for(world["admin"])
    for path, count in (
        ("units", 10),
        ("reviews", 10),
        ("windows", 10),
        ("ratings", 10),
        ("checks", 10),
        ("industries", 11),
    ):
        with assert_max_queries(4):
            response = client.get(f"{BASE}{path}/")
        assert response.status_code == 200 and response.json()["count"] == count, path
    assert api_for(world["east_head"]).get(f"{BASE}units/").json()["count"] == 5
    assert api_for(world["nobody"]).get(f"{BASE}units/").json()["count"] == 0
    assert api_for(None).get(f"{BASE}industries/").status_code in (401, 403)


def test_register_and_walk_transitions_through_the_api(world):
    client = api_for(world["admin"])
    response = client.post(
        f"{BASE}units/", {"name": "某银行分行", "unit": world["east"].pk, "level": "municipal", "year_awarded": 2022}
    )
    assert response.status_code == 201, response.json()
    url = f"{BASE}units/{response.json()['id']}/transitions/"
    response = client.post(url, {"action": "revoke", "reason": "直接撤销"})
    assert response.status_code == 409 and "须先黄牌警示" in response.json()["detail"]
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(url, {"action": "warn", "reason": "门前脏乱", "deadline": deadline})
    assert response.status_code == 200 and response.json()["status"] == "warned"
    response = client.post(url, {"action": "revoke", "reason": "逾期未整改"})
    assert response.json()["status"] == "revoked" and response.json()["status_display"] == "撤销"
    assert api_for(world["east_head"]).post(url, {"action": "lift", "reason": "x"}).status_code == 403
    assert api_for(world["west_head"]).post(url, {"action": "lift", "reason": "x"}).status_code == 404


def test_api_registration_refusals_name_the_field(world):
    response = api_for(world["admin"]).post(f"{BASE}units/", {"name": "甲", "level": "municipal", "year_awarded": 2022})
    assert response.status_code == 422 and response.json()["field"] == "unit"
    response = api_for(world["east_head"]).post(
        f"{BASE}units/", {"name": "甲", "unit": world["east"].pk, "level": "municipal", "year_awarded": 2022}
    )
    assert response.status_code == 403
