import pytest
from rest_framework.test import APIClient

from chuangcheng.accounts.tests.factories import UserFactory
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.readiness import services
from chuangcheng.readiness.models import ForecastRun, InspectionWindow
from chuangcheng.readiness.tests.factories import InspectionWindowFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_run_detail_permission_matrix(city):
    run = services.run_forecast(actor=city["office_user"], runs=200, seed=1)
    assert_permission_matrix(
        client_for,
        f"/api/v1/readiness/runs/{run.pk}/",
        in_scope=city["leader"],
        out_of_scope=city["unit_head"],
        no_role=UserFactory(),
    )


def test_what_if_permission_matrix(city):
    run = services.run_forecast(actor=city["office_user"], runs=200, seed=1)
    assert_permission_matrix(
        client_for,
        f"/api/v1/readiness/runs/{run.pk}/what-if/",
        method="post",
        data={"case_ids": [city["cases"][0].pk]},
        in_scope=city["office_user"],
        out_of_scope=city["unit_head"],
        no_role=UserFactory(),
    )


def test_create_run_through_api_returns_stored_run(city):
    response = client_for(city["leader"]).post(
        "/api/v1/readiness/runs/", {"runs": 500, "seed": 99, "pass_line": 95}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["seed"] == 99 and body["parameters"]["pass_line"] == 95
    assert ForecastRun.objects.get(pk=body["id"]).created_by == city["leader"]


def test_create_run_by_unit_head_is_forbidden(city):
    response = client_for(city["unit_head"]).post("/api/v1/readiness/runs/", {"runs": 500}, format="json")
    assert response.status_code == 403
    assert "领导" in response.json()["detail"]


def test_run_list_query_count_is_flat(city):
    for seed in range(8):
        services.run_forecast(actor=city["office_user"], runs=100, seed=seed)
    with assert_max_queries(6):
        response = client_for(city["office_user"]).get("/api/v1/readiness/runs/")
    assert response.json()["count"] == 8


def test_windows_visible_to_all_roles_but_written_by_office(city):
    InspectionWindowFactory()
    assert client_for(city["unit_head"]).get("/api/v1/readiness/windows/").json()["count"] == 1
    assert client_for(UserFactory()).get("/api/v1/readiness/windows/").json()["count"] == 0
    payload = {"kind": "provincial", "earliest": "2027-03-01", "latest": "2027-04-30", "title": "省级复核"}
    assert client_for(city["leader"]).post("/api/v1/readiness/windows/", payload, format="json").status_code == 403
    response = client_for(city["office_user"]).post("/api/v1/readiness/windows/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert InspectionWindow.objects.filter(title="省级复核").exists()


def test_window_with_latest_before_earliest_is_422(city):
    payload = {"kind": "provincial", "earliest": "2027-05-01", "latest": "2027-04-30"}
    response = client_for(city["office_user"]).post("/api/v1/readiness/windows/", payload, format="json")
    assert response.status_code == 422
    assert response.json()["field"] == "latest"
