import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from chuangcheng.cases.models import CaseStatus, RoutingRule
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.tests.helpers import case_in_state, new_case
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_case_detail_permission_matrix(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    assert_permission_matrix(
        client_for,
        f"/api/v1/cases/{case.pk}/",
        in_scope=world.handler,
        out_of_scope=world.market_handler,
        no_role=world.nobody,
    )


def test_case_timeline_permission_matrix(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    assert_permission_matrix(
        client_for,
        f"/api/v1/cases/{case.pk}/transitions/",
        in_scope=world.office,
        out_of_scope=world.market_handler,
        no_role=world.nobody,
    )


def test_transition_endpoint_permission_matrix(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    url = f"/api/v1/cases/{case.pk}/transitions/"
    assert client_for(None).post(url, {"action": "sign"}, format="json").status_code in (401, 403)
    assert client_for(world.nobody).post(url, {"action": "sign"}, format="json").status_code == 404
    assert client_for(world.market_handler).post(url, {"action": "sign"}, format="json").status_code == 404
    # in scope (the territorial street sees it) but not the lead unit: 403 with the reason
    response = client_for(world.street_handler).post(url, {"action": "sign"}, format="json")
    assert response.status_code == 403 and "无权" in response.json()["detail"]
    response = client_for(world.handler).post(url, {"action": "sign"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "signed"
    assert "start" in response.json()["allowed_actions"]


def test_transition_with_stale_version_returns_409_in_chinese(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    url = f"/api/v1/cases/{case.pk}/transitions/"
    assert client_for(world.handler).post(url, {"action": "sign", "version": case.version}).status_code == 200
    response = client_for(world.handler).post(url, {"action": "return", "note": "x", "version": case.version})
    assert response.status_code == 409
    assert response.json()["detail"].startswith("案件已被他人更新")


def test_transition_not_allowed_returns_422_and_changes_nothing(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    response = client_for(world.handler).post(f"/api/v1/cases/{case.pk}/transitions/", {"action": "return"})
    assert response.status_code == 422 and response.json()["field"] == "note"
    response = client_for(world.handler).post(f"/api/v1/cases/{case.pk}/transitions/", {"action": "verify"})
    assert response.status_code in (403, 422)
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED


def test_submit_with_evidence_multipart(world):
    case = case_in_state(world, CaseStatus.RECTIFYING)
    response = client_for(world.handler).post(
        f"/api/v1/cases/{case.pk}/transitions/",
        {"action": "submit", "note": "已清理", "evidence": [jpeg_upload(taken_at="2099:01:01 08:00:00")]},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    photo = response.json()["photos"][0]
    assert photo["taken_at"] is None  # EXIF facts hidden outside the office
    office_view = client_for(world.office).get(f"/api/v1/cases/{case.pk}/").json()
    assert office_view["photos"][0]["taken_at"] is not None


def test_assign_permission_and_effect(world):
    case = new_case(world, title="待指定")
    url = f"/api/v1/cases/{case.pk}/assign/"
    assert client_for(world.handler).post(url, {"lead_unit": world.market.pk}).status_code == 403
    response = client_for(world.office).post(url, {"lead_unit": world.market.pk, "reason": "市场内部问题"})
    assert response.status_code == 200 and response.json()["lead_unit"] == world.market.pk


def test_create_offers_duplicates(world):
    first = new_case(world, title="第一次上报")
    response = client_for(world.grid).post(
        "/api/v1/cases/",
        {"source": "patrol", "title": "同一堆垃圾", "site": world.site.pk, "photos": [jpeg_upload()]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert [d["number"] for d in response.json()["duplicates"]] == [first.number]
    assert response.json()["photos"][0]["kind"] == "before"


def test_duplicates_endpoint_lists_nearest_open_cases_with_list_fields(world):
    near = new_case(world, title="近处", lng=120.0051, lat=30.0051)
    nearest = new_case(world, title="最近", lng=120.005, lat=30.005)
    new_case(world, title="远处", lng=120.02, lat=30.02)
    url = f"/api/v1/cases/duplicates/?category={world.category.pk}&lng=120.005&lat=30.005"
    with assert_max_queries(8):
        rows = client_for(world.office).get(url).json()
    assert [row["number"] for row in rows] == [nearest.number, near.number]
    assert rows[0]["distance_m"] == 0 and rows[1]["distance_m"] > 0 and rows[0]["lead_unit_name"] == "市城管局"
    assert client_for(world.market_handler).get(url).json() == []  # out of scope: not offered
    response = client_for(world.office).get("/api/v1/cases/duplicates/?category=x")
    assert response.status_code == 422 and response.json()["detail"] == "请提供类别与经纬度"


def test_create_with_bad_input_gives_400_or_422(world):
    assert client_for(world.grid).post("/api/v1/cases/", {"source": "nope", "title": "x"}).status_code == 400
    response = client_for(world.grid).post("/api/v1/cases/", {"source": "patrol", "title": "x", "lng": 120})
    assert response.status_code == 422 and response.json()["detail"] == "经纬度须同时填写"
    assert client_for(world.nobody).post("/api/v1/cases/", {"source": "patrol", "title": "x"}).status_code == 403


def test_list_is_scoped(world):
    mine = case_in_state(world, CaseStatus.DISPATCHED)
    response = client_for(world.market_handler).get("/api/v1/cases/")
    assert response.json()["count"] == 0
    response = client_for(world.handler).get("/api/v1/cases/")
    assert [row["number"] for row in response.json()["results"]] == [mine.number]
    assert client_for(world.nobody).get("/api/v1/cases/").json()["count"] == 0


def test_ledger_and_inbox_query_counts_are_flat(world):
    case_in_state(world, CaseStatus.DISPATCHED)
    client = client_for(world.handler)
    with assert_max_queries(8) as few:
        assert client.get("/api/v1/cases/?status=dispatched&page_size=100").json()["count"] == 1
    for _ in range(11):
        case_in_state(world, CaseStatus.DISPATCHED)
    with assert_max_queries(len(few.captured_queries)):  # count, page of ids, rows: the same at any size
        assert client.get("/api/v1/cases/?status=dispatched&page_size=100").json()["count"] == 12
    with assert_max_queries(8):
        assert client.get("/api/v1/cases/inbox/?tab=to_sign").json()["count"] == 12


def test_inbox_pages_keep_the_urgency_order_and_the_light(world):
    from datetime import timedelta

    from django.utils import timezone

    from chuangcheng.cases.models import Case

    today = timezone.localdate()
    cases = [case_in_state(world, CaseStatus.RECTIFYING) for _ in range(5)]
    deadlines = [today + timedelta(days=9), today - timedelta(days=1), today + timedelta(days=3), today, today]
    for case, deadline, level in zip(cases, deadlines, [0, 0, 0, 2, 0], strict=True):
        dispatched = timezone.now() - timedelta(days=14)
        Case.objects.filter(pk=case.pk).update(deadline=deadline, escalation_level=level, dispatched_at=dispatched)
    expected = [cases[3].number, cases[1].number, cases[4].number, cases[2].number, cases[0].number]
    client = client_for(world.handler)
    first = client.get("/api/v1/cases/inbox/?tab=rectifying&page_size=2").json()
    second = client.get("/api/v1/cases/inbox/?tab=rectifying&page_size=2&page=2").json()
    third = client.get("/api/v1/cases/inbox/?tab=rectifying&page_size=2&page=3").json()
    rows = first["results"] + second["results"] + third["results"]
    assert first["count"] == 5 and [row["number"] for row in rows] == expected
    assert rows[1]["light"] == "red" and rows[1]["status_display"] == "整改中"
    assert rows[-1]["light"] in ("green", "yellow") and rows[0]["source_display"] == "网格巡查"
    ledger = client.get("/api/v1/cases/?page_size=2&page=2").json()
    assert [row["number"] for row in ledger["results"]] == [cases[2].number, cases[1].number]  # newest first


def test_export_uses_current_filters(world):
    case_in_state(world, CaseStatus.DISPATCHED)
    case_in_state(world, CaseStatus.CLOSED)
    response = client_for(world.office).get("/api/v1/cases/export/?status=closed")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "案件编号" and len(rows) == 2 and rows[1][7] == "已办结"


def test_bulk_sign(world):
    cases = [case_in_state(world, CaseStatus.DISPATCHED) for _ in range(3)]
    response = client_for(world.handler).post(
        "/api/v1/cases/bulk/", {"ids": [c.pk for c in cases], "action": "sign"}, format="json"
    )
    assert len(response.json()["done"]) == 3 and response.json()["failed"] == []


def test_routing_rules_crud_office_only(world):
    data = {
        "name": "市场类",
        "category": world.category.pk,
        "lead_unit": world.market.pk,
        "cooperating_units": [world.street.pk],
    }
    assert client_for(world.handler).post("/api/v1/routing-rules/", data, format="json").status_code == 403
    response = client_for(world.office).post("/api/v1/routing-rules/", data, format="json")
    assert response.status_code == 201, response.content
    rule = RoutingRule.objects.get()
    assert list(rule.cooperating_units.all()) == [world.street]
    response = client_for(world.office).patch(f"/api/v1/routing-rules/{rule.pk}/", {"priority": 5}, format="json")
    assert response.status_code == 200 and response.json()["priority"] == 5
    assert client_for(world.office).delete(f"/api/v1/routing-rules/{rule.pk}/").status_code == 204
