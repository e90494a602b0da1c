"""The 模拟测评 report: 得分率 per scope with Δ from the previous round, page, API, xlsx, guards, secrecy."""

import io
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.inspections import evaluation, services
from chuangcheng.inspections.models import Observation
from chuangcheng.inspections.tests.conftest import api
from chuangcheng.inspections.tests.mock import civ, mock_round, observations, visits_of

pytestmark = pytest.mark.django_db
D = Decimal


def walk(round_, verdict=lambda item, seq: True):
    for visit in visits_of(round_):
        services.sync_visit(actor=visit.inspector, visit=visit, items=[], observations=observations(visit, verdict))


@pytest.fixture
def rounds(world):
    """Last month's 模拟测评 (all 达标, closed) and this month's (O1's first observation 不达标 everywhere)."""
    standard, items = civ(world)
    before = mock_round(world, standard, start=date(2026, 10, 1), seed=5, name="十月模拟测评")
    walk(before)
    services.close_round(round_=before, actor=world.users["office_admin"])
    now = mock_round(world, standard, start=date(2026, 11, 1), seed=5, name="十一月模拟测评", is_secret=False)
    walk(now, lambda item, seq: not (item.pk == items["clean"].pk and seq == 1))
    return before, now, items


def by_name(rows):
    return {row.name: row for row in rows}


def test_rates_per_scope_and_change_from_previous_round(world, rounds):
    before, now, items = rounds
    report = evaluation.build(now)
    assert report.previous == before and report.planned == report.done == 3
    total = report.total
    # 4 × 2/3 + 2 + 3 over 9 (O3's 分值 待核实: observed, not scored)
    assert total.tally.rate == D("0.8519") and total.previous.rate == D("1.0000")
    assert total.delta == D("-0.1481") and total.delta_text == "−14.81"
    assert total.tally.unknown_items == 1 and total.tally.full == D("9")
    categories = by_name(report.tables["category"])
    assert categories["农贸市场"].tally.rate == D("0.7778") and categories["背街小巷"].tally.rate == D("0.8519")
    assert by_name(report.tables["district"])["东城区"].tally.rate == D("0.8519")
    clauses = {row.key: row for row in report.tables["clause"]}
    assert clauses["A1"].name == "环境卫生" and clauses["A1"].tally.rate == D("0.6667")
    assert clauses["A1"].delta == D("-0.3333") and clauses["A2"].tally.unknown_items == 1
    sections = {row.key: row for row in report.tables["section"]}
    assert sections["A"].name == "公共环境" and sections["A"].tally.rate == D("0.7778")
    assert sections["B"].tally.rate == D("1.0000") and sections["B"].delta == D("0")
    points = report.tables["point"]
    assert len(points) == 3 and all(row.previous is not None for row in points)  # same sites drawn (same seed)
    assert [row.rank for row in points] == [1, 1, 3]


def test_first_round_has_nothing_to_compare(world):
    standard, _ = civ(world)
    round_ = mock_round(world, standard)
    walk(round_)
    report = evaluation.build(round_)
    assert report.previous is None and report.total.delta is None
    assert report.total.cells()[-2:] == ["无", "—"]


def test_query_count_does_not_grow_with_the_round(world, rounds):
    _before, now, _items = rounds
    with assert_max_queries(14):
        evaluation.build(now)
    bigger = mock_round(world, civ_standard(now), start=date(2026, 12, 1), seed=8, areas=[])
    walk(bigger)
    with assert_max_queries(14):
        report = evaluation.build(bigger)
    assert report.done == 3


def civ_standard(round_):
    return round_.standard


def test_api_payload_xlsx_and_page(world, rounds):
    _before, now, _items = rounds
    leader = world.users["leader"]
    with assert_max_queries(20):
        response = api(leader).get(f"/api/v1/inspections/rounds/{now.pk}/evaluation/")
    body = response.json()
    assert body["total"]["rate"] == "0.8519" and body["total"]["delta"] == "-0.1481"
    assert body["previous_round"]["name"] == "十月模拟测评"
    assert {row["key"] for row in body["by_clause"]} == {"A1", "A2", "B1"}
    xlsx = api(leader).get(f"/api/v1/inspections/rounds/{now.pk}/evaluation-xlsx/")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["概况", "测评项目", "测评内容", "区县", "点位类别", "点位"]
    assert book["测评内容"]["B2"].value and book["概况"]["B4"].value == "85.19%"
    client = Client()
    client.force_login(leader)
    with assert_max_queries(30):
        page = client.get(f"/inspections/{now.pk}/evaluation/")
    html = page.content.decode()
    assert "85.19%" in html and "−14.81" in html and "分值待核实" in html
    assert client.get(f"/inspections/{now.pk}/evaluation.xlsx").status_code == 200
    detail = client.get(f"/inspections/{now.pk}/").content.decode()
    assert "模拟测评得分率" in detail and "非标准规定" in detail


def _page_client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("path", ["/inspections/{pk}/evaluation/", "/api/v1/inspections/rounds/{pk}/evaluation/"])
def test_permission_matrix(world, rounds, path):
    _before, now, _items = rounds
    factory = _page_client if path.startswith("/inspections") else api
    assert_permission_matrix(
        factory,
        path.format(pk=now.pk),
        in_scope=world.users["leader"],
        out_of_scope=world.users["west_head"],
        no_role=world.users["no_role"],
    )


def test_secret_round_and_its_observations_hidden_until_published(world):
    standard, _ = civ(world)
    secret = mock_round(world, standard, is_secret=True)
    walk(secret, lambda item, seq: seq != 2)
    east = world.users["east_head"]
    assert _page_client(east).get(f"/inspections/{secret.pk}/evaluation/").status_code == 404
    assert api(east).get(f"/api/v1/inspections/rounds/{secret.pk}/evaluation/").status_code == 404
    assert not Observation.objects.visible_to(east).exists()
    assert Observation.objects.visible_to(world.users["inspector"]).exists()
    services.close_round(round_=secret, actor=world.users["office_admin"])
    services.publish_round(round_=secret, actor=world.users["office_admin"])
    assert Observation.objects.visible_to(east).count() == Observation.objects.filter(visit__round=secret).count()
    assert _page_client(east).get(f"/inspections/{secret.pk}/evaluation/").status_code == 200
    assert not Observation.objects.visible_to(world.users["west_head"]).exists()


def test_sync_api_accepts_observations_idempotently(world):
    standard, items = civ(world)
    round_ = mock_round(world, standard)
    visit = visits_of(round_, world.categories["market"])[0]
    keys = {}
    body = {"visit": visit.pk, "items": [], "observations": observations(visit, keys=keys)}
    client = api(visit.inspector)
    first = client.post("/api/v1/inspections/sync/", body, format="json")
    second = client.post("/api/v1/inspections/sync/", body, format="json")
    assert first.status_code == second.status_code == 200
    assert len(first.json()["created"]) == 8 and second.json()["created"] == []
    assert Observation.objects.filter(visit=visit).count() == 8
    checklist = client.get(f"/api/v1/inspections/visits/{visit.pk}/checklist/").json()
    assert len(checklist["observations"]) == 8
    observed = {i["code"]: i["observations"] for i in checklist["items"] if i["judgement"] == "observe"}
    assert observed["O1"] == 3
    missing = {"visit": visit.pk, "observations": [dict(body["observations"][0], uuid=str(uuid.uuid4()), seq=9)]}
    refused = client.post("/api/v1/inspections/sync/", missing, format="json")
    assert refused.status_code == 422 and "观察序号" in str(refused.json())


def test_district_of_a_street_and_under_a_province(db):
    from chuangcheng.org.models import UnitKind
    from chuangcheng.org.tests.factories import UnitFactory

    province = UnitFactory(code="P", kind=UnitKind.PROVINCE)
    city = UnitFactory(code="C", kind=UnitKind.CITY, parent=province)
    district = UnitFactory(code="D", kind=UnitKind.DISTRICT, parent=city)
    street = UnitFactory(code="S", kind=UnitKind.STREET, parent=district)
    zone = UnitFactory(code="Z", kind=UnitKind.OTHER, parent=city)  # a development zone, not a 区县
    with assert_max_queries(1):
        found = evaluation.districts_of([street.path, district.path, zone.path, city.path, None])
    assert found == {street.path: district, district.path: district, zone.path: zone, city.path: None}
