"""The forecast refuses numbers that would make the simulation overflow, naming the field (never a 500)."""

import pytest

from chuangcheng.readiness.tests.test_api import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"runs": 200, "full_score": 1e308, "pass_line": 1e308}, "full_score"),
        ({"runs": 200, "unknown_points": 1e308}, "unknown_points"),
        ({"runs": 200, "seed": 10**30}, "seed"),
    ],
)
def test_forecast_with_huge_numbers_is_refused_naming_the_field(city, payload, field):
    response = client_for(city["office_user"]).post("/api/v1/readiness/runs/", payload, format="json")
    assert 400 <= response.status_code < 500
    assert response.json()["field"] == field and response.json()["detail"]
