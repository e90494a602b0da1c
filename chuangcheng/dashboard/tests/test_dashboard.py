import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.cases.models import Case, CaseStatus, CaseTransition
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.dashboard.models import AreaCaseStat, DailyCaseStat, UnitCaseStat
from chuangcheng.dashboard.services import refresh_dashboard
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import AreaFactory

pytestmark = pytest.mark.django_db
ENDPOINTS = ("summary", "trends", "funnel", "rankings", "map", "map/shading", "map/shapes")


@pytest.fixture
def world():
    root = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=root)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=root)
    east_street = UnitFactory(code="D01-S1", name="东城一街道", kind=UnitKind.STREET, parent=east)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=root)
    grid_east = AreaFactory(name="东城网格1", unit=east_street)
    grid_west = AreaFactory(name="西城网格1", unit=west)
    today = timezone.localdate()
    now = timezone.now()
    yesterday = today - datetime.timedelta(days=1)

    def case(unit, area, status, **extra):
        created = extra.pop("created", now - datetime.timedelta(days=2))
        c = CaseFactory(lead_unit=unit, area=area, status=status, **extra)
        Case.objects.filter(pk=c.pk).update(created_at=created)
        return c

    case(east_street, grid_east, CaseStatus.RECTIFYING, deadline=yesterday, dispatched_at=now, registered_at=now)
    case(east_street, grid_east, CaseStatus.DISPATCHED, deadline=today + datetime.timedelta(days=5), registered_at=now)
    case(east, grid_east, CaseStatus.CLOSED, closed_at=now, deadline=today, registered_at=now, dispatched_at=now)
    sent_back = case(west, grid_west, CaseStatus.RECTIFYING, sendback_count=2, is_rebound=True)
    case(None, None, CaseStatus.REPORTED)
    CaseTransition.objects.create(
        case=sent_back,
        from_status="submitted",
        to_status="rectifying",
        action="send_back",
        at=now,
        prev_hash="0",
        hash="1",
    )
    refresh_dashboard()
    return {
        "root": root,
        "east": east,
        "west": west,
        "grid_east": grid_east,
        "office": user_with_role(Role.OFFICE_STAFF, office),
        "east_head": user_with_role(Role.UNIT_HEAD, east),
        "west_head": user_with_role(Role.UNIT_HEAD, west),
        "handler": user_with_role(Role.UNIT_HANDLER, east),
    }


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_refresh_builds_snapshots_and_flows(world):
    assert UnitCaseStat.objects.count() == 4  # east street, east, west, unrouted
    assert AreaCaseStat.objects.get(area=world["grid_east"]).open == 2
    assert DailyCaseStat.objects.exists()
    again = refresh_dashboard()
    assert again["units"] == 4 and UnitCaseStat.objects.count() == 4


def test_summary_for_office_counts_everything(world):
    data = api(world["office"]).get("/api/v1/dashboard/summary/").json()
    assert data["open"] == 4  # includes the unrouted report
    assert data["overdue"] == 1
    assert data["closed_this_week"] == 1
    assert data["sendbacks_this_week"] == 1
    assert data["rebounds_total"] == 1


def test_summary_for_district_head_sees_only_the_district(world):
    data = api(world["east_head"]).get("/api/v1/dashboard/summary/").json()
    assert data["open"] == 2 and data["overdue"] == 1 and data["closed_this_week"] == 1
    assert data["sendbacks_this_week"] == 0


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_dashboard_endpoint_permission_matrix(world, endpoint):
    assert_permission_matrix(
        api,
        f"/api/v1/dashboard/{endpoint}/?unit={world['east'].pk}",
        in_scope=world["east_head"],
        out_of_scope=world["west_head"],
        no_role=UserFactory(),
    )


def test_dashboard_api_for_handler_is_404(world):
    assert api(world["handler"]).get("/api/v1/dashboard/summary/").status_code == 404


def test_map_is_scoped_to_the_territory(world):
    geo = api(world["east_head"]).get("/api/v1/dashboard/map/").json()
    assert [f["properties"]["name"] for f in geo["features"]] == ["东城网格1"]
    assert geo["stats"] == {str(world["grid_east"].pk): [2, 1]}
    office = api(world["office"]).get("/api/v1/dashboard/map/").json()
    assert len(office["features"]) == 2 and office["max_open"] == 2


def test_map_shading_and_shapes_travel_apart_and_shapes_revalidate_with_their_etag(world):
    client = api(world["east_head"])
    shading = client.get("/api/v1/dashboard/map/shading/").json()
    assert shading["stats"] == {str(world["grid_east"].pk): [2, 1]} and shading["max_open"] == 2
    assert "features" not in shading
    first = client.get("/api/v1/dashboard/map/shapes/")
    shapes = first.json()
    assert [f["properties"]["name"] for f in shapes["features"]] == ["东城网格1"]
    assert first["Cache-Control"] == "private, no-cache" and first["ETag"].startswith('"')
    again = client.get("/api/v1/dashboard/map/shapes/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    # another reach has other shapes, hence another tag: the east head's copy is never served to the office
    office = api(world["office"]).get("/api/v1/dashboard/map/shapes/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert office.status_code == 200 and len(office.json()["features"]) == 2
    # a changed area changes the tag
    world["grid_east"].name = "东城网格一"
    world["grid_east"].save()
    changed = client.get("/api/v1/dashboard/map/shapes/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["features"][0]["properties"]["name"] == "东城网格一"


def test_map_shapes_are_rounded_to_about_a_metre():
    from chuangcheng.dashboard.selectors import _quantise

    ring = [[[117.1498123, 36.6993294], [117.155794, 36.699988], [117.1498123, 36.6993294]]]
    assert _quantise(ring) == [[[117.14981, 36.69933], [117.15579, 36.69999], [117.14981, 36.69933]]]
    assert _quantise([[ring]]) == [[_quantise(ring)]]  # MultiPolygon nesting


def test_funnel_and_trends(world):
    funnel = api(world["office"]).get("/api/v1/dashboard/funnel/").json()
    assert [s["value"] for s in funnel] == [5, 3, 2, 1]
    trends = api(world["office"]).get("/api/v1/dashboard/trends/?days=7").json()
    assert len(trends["days"]) == 7 and sum(trends["reported"]) == 5 and sum(trends["closed"]) == 1


def test_rankings_order_by_overdue(world):
    rows = api(world["office"]).get("/api/v1/dashboard/rankings/").json()
    assert rows[0]["unit"] == "东城一街道" and rows[0]["overdue"] == 1


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_dashboard_query_count_does_not_grow_with_cases(world, endpoint):
    for _n in range(40):
        CaseFactory(lead_unit=world["east"], area=world["grid_east"], status=CaseStatus.RECTIFYING)
    refresh_dashboard()
    client = api(world["east_head"])
    client.get(f"/api/v1/dashboard/{endpoint}/")  # warm the session/user caches
    with assert_max_queries(6):
        response = client.get(f"/api/v1/dashboard/{endpoint}/")
    assert response.status_code == 200


def test_dashboard_pages_by_role(world):
    for name in ("dashboard:index", "dashboard:bigscreen"):
        url = reverse(name)
        assert Client().get(url).status_code == 302
        client = Client()
        client.force_login(world["handler"])
        assert client.get(url).status_code == 403
        client.force_login(world["office"])
        with assert_max_queries(20):
            response = client.get(url)
        assert response.status_code == 200
        assert "未办结" in response.content.decode()


def test_dashboard_page_out_of_scope_unit_is_404(world):
    client = Client()
    client.force_login(world["east_head"])
    assert client.get(reverse("dashboard:index") + f"?unit={world['west'].pk}").status_code == 404
    assert client.get(reverse("dashboard:index") + f"?unit={world['east'].pk}").status_code == 200


def test_big_screen_clock_shows_the_citys_time_zone(world):
    client = Client()
    client.force_login(world["office"])
    html = client.get(reverse("dashboard:bigscreen")).content.decode()
    assert 'id="bs-clock" data-tz="Asia/Shanghai"' in html  # read by static/js/dashboard.js
