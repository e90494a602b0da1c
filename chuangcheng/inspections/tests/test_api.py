import base64
import io
import uuid

import pytest
from docx import Document
from openpyxl import load_workbook

from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.inspections import services
from chuangcheng.inspections.models import Finding, FindingPhoto, InspectionRound, SiteVisit
from chuangcheng.inspections.tests.conftest import PNG, api, make_round

pytestmark = pytest.mark.django_db
DATA_URL = "data:image/png;base64," + base64.b64encode(PNG).decode()


@pytest.fixture
def open_round(world):
    round_ = make_round(world, kind="open", areas=[world.areas["east"]])
    services.draw_round(round_=round_, actor=world.users["office_admin"], seed=9)
    services.assign_visits(round_=round_, actor=world.users["office_admin"], assignments="auto")
    return round_


def sync_body(world, visit, key=None, photo_key=None):
    return {
        "visit": visit.pk,
        "lng": 120.2,
        "lat": 30.2,
        "accuracy": 8,
        "items": [
            {
                "uuid": key or str(uuid.uuid4()),
                "check_item": world.items["litter"].pk,
                "result": "deduct",
                "count": 3,
                "note": "路边垃圾",
                "photos": [{"uuid": photo_key or str(uuid.uuid4()), "data": DATA_URL}],
            }
        ],
    }


@pytest.mark.parametrize(
    "path", ["", "visits/{visit}/", "visits/{visit}/checklist/", "rounds/{round}/score/", "rounds/{round}/verify-draw/"]
)
def test_read_endpoints_permission_matrix(world, open_round, path):
    visit = SiteVisit.objects.filter(round=open_round).first()
    url = "/api/v1/inspections/" + (path or "rounds/{round}/").format(round=open_round.pk, visit=visit.pk)
    assert_permission_matrix(
        api,
        url,
        in_scope=world.users["east_head"] if "score" not in path else world.users["leader"],
        out_of_scope=world.users["west_head"],
        no_role=world.users["no_role"],
    )


def test_finding_and_patrol_detail_permission_matrix(world, open_round):
    visit = SiteVisit.objects.filter(round=open_round, category=world.categories["road"]).first()
    api(visit.inspector).post("/api/v1/inspections/sync/", sync_body(world, visit), format="json")
    finding = Finding.objects.get(visit=visit)
    assert_permission_matrix(
        api,
        f"/api/v1/inspections/findings/{finding.pk}/",
        in_scope=world.users["east_handler"],
        out_of_scope=world.users["west_head"],
        no_role=world.users["no_role"],
    )


def test_score_hidden_from_units_before_publication(world, open_round):
    response = api(world.users["east_head"]).get(f"/api/v1/inspections/rounds/{open_round.pk}/score/")
    assert response.status_code == 403
    assert "发布" in response.json()["detail"]


@pytest.mark.parametrize(
    "action,body", [("plan", {"quotas": {}}), ("draw", {}), ("assign", {"auto": True}), ("close", {}), ("publish", {})]
)
def test_round_actions_refused_to_non_office(world, open_round, action, body):
    url = f"/api/v1/inspections/rounds/{open_round.pk}/{action}/"
    assert api(world.users["east_head"]).post(url, body, format="json").status_code == 403
    assert api(world.users["west_head"]).post(url, body, format="json").status_code == 404
    assert api().post(url, body, format="json").status_code in (401, 403)


def test_create_round_via_api_by_office_only(world):
    body = {
        "name": "十二月明查",
        "kind": "open",
        "unit": world.units["office"].pk,
        "standard": world.standard.pk,
        "areas": [world.areas["west"].pk],
        "period_start": "2026-12-01",
        "period_end": "2026-12-10",
        "inspectors": [world.users["inspector"].pk],
    }
    assert api(world.users["east_head"]).post("/api/v1/inspections/rounds/", body, format="json").status_code == 403
    response = api(world.users["office_staff"]).post("/api/v1/inspections/rounds/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["is_secret"] is False
    bad = api(world.users["office_staff"]).post(
        "/api/v1/inspections/rounds/", body | {"period_end": "2026-11-01"}, format="json"
    )
    assert bad.status_code in (400, 422)


def test_full_round_through_api(world):
    office = api(world.users["office_admin"])
    body = {
        "name": "暗访",
        "kind": "covert",
        "unit": world.units["office"].pk,
        "standard": world.standard.pk,
        "period_start": "2026-11-01",
        "period_end": "2026-11-20",
        "inspectors": [world.users["inspector"].pk],
    }
    round_id = office.post("/api/v1/inspections/rounds/", body, format="json").json()["id"]
    plan = {"quotas": {str(world.categories["road"].pk): 3, str(world.categories["market"].pk): 1}}
    assert office.post(f"/api/v1/inspections/rounds/{round_id}/plan/", plan, format="json").status_code == 200
    drawn = office.post(f"/api/v1/inspections/rounds/{round_id}/draw/", {"seed": 123}, format="json").json()
    assert drawn["seed"] == 123 and sum(len(v) for v in drawn["sites"].values()) == 4
    verify = office.get(f"/api/v1/inspections/rounds/{round_id}/verify-draw/").json()
    assert verify["matches"] is True
    assert (
        office.post(f"/api/v1/inspections/rounds/{round_id}/assign/", {"auto": True}, format="json").json()["changed"]
        == 4
    )
    mine = api(world.users["inspector"]).get("/api/v1/inspections/visits/?mine=true").json()["results"]
    assert len(mine) == 4
    visit = SiteVisit.objects.get(pk=next(v["id"] for v in mine if v["category"] == world.categories["road"].pk))
    assert (
        api(world.users["inspector"])
        .post("/api/v1/inspections/sync/", sync_body(world, visit), format="json")
        .status_code
        == 200
    )
    assert office.post(f"/api/v1/inspections/rounds/{round_id}/close/").status_code == 200
    assert office.post(f"/api/v1/inspections/rounds/{round_id}/publish/").json()["status"] == "published"
    score = office.get(f"/api/v1/inspections/rounds/{round_id}/score/").json()
    assert score["total"]["lost"] == "5.00"  # 3 × 2 points, capped at 5 per site
    assert score["total"]["capped"] == "1.00"
    xlsx = office.get(f"/api/v1/inspections/rounds/{round_id}/report-xlsx/")
    sheets = load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert sheets == ["概况", "区域排名", "点位类别", "问题清单"]
    docx = office.get(f"/api/v1/inspections/rounds/{round_id}/report-docx/")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "暗访" in text and "待核实" in text


def test_sync_endpoint_is_idempotent(world, open_round):
    visit = SiteVisit.objects.filter(round=open_round, category=world.categories["road"]).first()
    body = sync_body(world, visit, key=str(uuid.uuid4()), photo_key=str(uuid.uuid4()))
    client = api(visit.inspector)
    first = client.post("/api/v1/inspections/sync/", body, format="json")
    second = client.post("/api/v1/inspections/sync/", body, format="json")
    assert first.status_code == second.status_code == 200
    assert len(first.json()["created"]) == 1 and second.json()["created"] == []
    assert Finding.objects.filter(visit=visit).count() == 1
    assert FindingPhoto.objects.filter(finding__visit=visit).count() == 1


def test_sync_endpoint_permissions(world, open_round):
    visit = SiteVisit.objects.filter(round=open_round, category=world.categories["road"]).first()
    body = sync_body(world, visit)
    assert api().post("/api/v1/inspections/sync/", body, format="json").status_code in (401, 403)
    assert api(world.users["west_head"]).post("/api/v1/inspections/sync/", body, format="json").status_code == 404
    assert api(world.users["east_head"]).post("/api/v1/inspections/sync/", body, format="json").status_code == 403
    bad = dict(
        body, items=[dict(body["items"][0], photos=[{"uuid": str(uuid.uuid4()), "data": "data:image/png;base64,AAAA"}])]
    )
    response = api(visit.inspector).post("/api/v1/inspections/sync/", bad, format="json")
    assert response.status_code == 422 and "文件类型" in response.json()["detail"]
    assert not Finding.objects.filter(visit=visit).exists()


def test_sync_endpoint_refuses_a_visit_sent_without_answers(world, open_round):
    visit = SiteVisit.objects.filter(round=open_round, category=world.categories["road"]).first()
    body = dict(sync_body(world, visit), items=[])
    response = api(visit.inspector).post("/api/v1/inspections/sync/", body, format="json")
    assert response.status_code == 422
    assert response.json()["field"] == "items" and "未收到任何检查项的结果" in response.json()["detail"]
    visit.refresh_from_db()
    assert visit.status != "done" and visit.lng is None


def test_list_endpoints_query_count_is_flat(world):
    for n in range(12):
        make_round(world, name=f"轮次{n}", kind="open", areas=[world.areas["east"], world.areas["west"]])
    round_ = InspectionRound.objects.first()
    services.draw_round(round_=round_, actor=world.users["office_admin"], seed=1)
    for user in (world.users["office_admin"], world.users["east_head"]):
        client = api(user)
        with assert_max_queries(10):
            assert client.get("/api/v1/inspections/rounds/").status_code == 200
        with assert_max_queries(6):
            assert client.get(f"/api/v1/inspections/visits/?round={round_.pk}").status_code == 200
        with assert_max_queries(6):
            assert client.get("/api/v1/inspections/findings/").status_code == 200


def test_patrol_api_creates_case_and_is_scoped(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chuangcheng.places.tests.factories import AreaFactory

    grid = AreaFactory(code="G9", name="东城网格9", level=5, parent=world.areas["east"], unit=world.units["east"])
    client = api(world.users["grid_worker"])
    body = {
        "area": grid.pk,
        "kind": "report",
        "description": "垃圾满溢",
        "client_uuid": str(uuid.uuid4()),
        "photos_before": [SimpleUploadedFile("a.png", PNG, content_type="image/png")],
    }
    response = client.post("/api/v1/inspections/patrols/", body, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["case_id"]
    record_id = response.json()["id"]
    assert_permission_matrix(
        api,
        f"/api/v1/inspections/patrols/{record_id}/",
        in_scope=world.users["east_head"],
        out_of_scope=world.users["west_head"],
        no_role=world.users["no_role"],
    )
