import pytest
from rest_framework.test import APIClient

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.places.models import Area, AreaLevel, Site
from chuangcheng.places.tests.factories import AreaFactory, SiteFactory, square

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_area_detail_permission_matrix(city):
    assert_permission_matrix(
        client_for,
        f"/api/v1/areas/{city['areas']['east_grid'].pk}/",
        in_scope=city["users"]["east"],
        out_of_scope=city["users"]["west"],
        no_role=city["users"]["none"],
    )


def test_site_detail_permission_matrix(city):
    assert_permission_matrix(
        client_for,
        f"/api/v1/sites/{city['sites']['east'].pk}/",
        in_scope=city["users"]["east"],
        out_of_scope=city["users"]["west"],
        no_role=city["users"]["none"],
    )


def test_site_detail_visible_to_its_sectoral_department(city):
    response = client_for(city["users"]["dept"]).get(f"/api/v1/sites/{city['sites']['east'].pk}/")
    assert response.status_code == 200
    assert client_for(city["users"]["dept"]).get(f"/api/v1/sites/{city['sites']['west'].pk}/").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/areas/", "/api/v1/sites/", "/api/v1/site-categories/"])
def test_lists_refuse_anonymous(city, url):
    assert client_for(None).get(url).status_code in (401, 403)


def test_area_list_is_scoped(city):
    response = client_for(city["users"]["east"]).get("/api/v1/areas/")
    assert response.status_code == 200
    assert {row["code"] for row in response.json()["results"]} == {"D01", "D01-G01"}
    assert client_for(city["users"]["none"]).get("/api/v1/areas/").json()["count"] == 0
    assert client_for(city["users"]["office"]).get("/api/v1/areas/").json()["count"] == 5


def test_site_list_is_scoped_and_filtered(city):
    east = client_for(city["users"]["east"])
    assert [r["code"] for r in east.get("/api/v1/sites/").json()["results"]] == ["S-E1"]
    office = client_for(city["users"]["office"])
    assert office.get("/api/v1/sites/").json()["count"] == 2
    area = city["areas"]["west"].pk
    assert [r["code"] for r in office.get(f"/api/v1/sites/?area={area}").json()["results"]] == ["S-W1"]
    assert office.get("/api/v1/sites/?category_code=farmers_market&q=东城").json()["count"] == 1
    assert office.get("/api/v1/sites/?bbox=119.97,29.99,119.99,30.01").json()["count"] == 1
    assert office.get(f"/api/v1/sites/?unit={city['units']['east'].pk}").json()["count"] == 1


def test_area_list_filters_by_level_within_and_bbox(city):
    office = client_for(city["users"]["office"])
    assert office.get("/api/v1/areas/?level=5").json()["count"] == 2
    within = office.get(f"/api/v1/areas/?within={city['areas']['east'].pk}").json()
    assert {r["code"] for r in within["results"]} == {"D01", "D01-G01"}
    assert office.get("/api/v1/areas/?level=5&bbox=120.001,30.001,120.002,30.002").json()["count"] == 1
    assert office.get("/api/v1/areas/?bbox=nonsense").json()["count"] == 0


def test_area_list_omits_geometry_unless_asked(city):
    office = client_for(city["users"]["office"])
    row = office.get("/api/v1/areas/").json()["results"][0]
    assert "geometry" not in row and row["bbox"]
    assert "geometry" in office.get("/api/v1/areas/?geometry=1").json()["results"][0]


def test_area_list_as_geojson(city):
    response = client_for(city["users"]["office"]).get("/api/v1/areas/?format=geojson&level=5")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection" and body["count"] == 2
    assert body["features"][0]["geometry"]["type"] == "Polygon"
    assert body["features"][0]["properties"]["code"] == "D01-G01"


def test_site_list_as_geojson_has_points(city):
    body = client_for(city["users"]["office"]).get("/api/v1/sites/?format=geojson").json()
    assert body["features"][0]["geometry"] == {"type": "Point", "coordinates": [120.005, 30.005]}


def test_site_categories_readable_by_any_signed_in_user(city):
    response = client_for(city["users"]["none"]).get("/api/v1/site-categories/")
    assert response.status_code == 200
    assert response.json()[0]["code"] == "farmers_market"


def test_area_list_query_count_is_flat(city):
    for _n in range(30):
        AreaFactory(level=AreaLevel.GRID, parent=city["areas"]["east"], unit=city["units"]["east"])
    client = client_for(city["users"]["office"])
    with assert_max_queries(6):
        response = client.get("/api/v1/areas/?page_size=100&format=geojson")
    assert response.json()["count"] == 35


def test_site_list_query_count_is_flat(city):
    for _n in range(30):
        SiteFactory(
            category=city["category"],
            area=city["areas"]["east_grid"],
            unit=city["units"]["east"],
            department=city["units"]["dept"],
        )
    client = client_for(city["users"]["office"])
    with assert_max_queries(6):
        response = client.get("/api/v1/sites/?page_size=100")
    assert response.json()["count"] == 32


def test_create_site_by_office_gets_area_and_unit_from_lookup(city):
    response = client_for(city["users"]["office"]).post(
        "/api/v1/sites/",
        {"code": "S-NEW", "name": "新公厕", "category": city["category"].pk, "lng": 120.003, "lat": 30.004},
        format="json",
    )
    assert response.status_code == 201, response.json()
    site = Site.objects.get(code="S-NEW")
    assert site.area == city["areas"]["east_grid"] and site.unit == city["units"]["east"]
    assert AuditEvent.objects.filter(verb="places.site_created", target_id=str(site.pk)).exists()


def test_create_site_outside_city_is_rejected(city):
    response = client_for(city["users"]["office"]).post(
        "/api/v1/sites/",
        {"code": "S-OUT", "name": "城外", "category": city["category"].pk, "lng": 121.0, "lat": 30.0},
        format="json",
    )
    assert response.status_code == 422
    assert "不在本市范围内" in response.json()["detail"]


def test_create_site_by_unit_head_is_forbidden(city):
    response = client_for(city["users"]["east"]).post(
        "/api/v1/sites/",
        {"code": "S-X", "name": "无权", "category": city["category"].pk, "lng": 120.003, "lat": 30.004},
        format="json",
    )
    assert response.status_code == 403
    assert not Site.objects.filter(code="S-X").exists()


def test_update_site_moves_area_and_unit(city):
    site = city["sites"]["east"]
    response = client_for(city["users"]["office"]).patch(
        f"/api/v1/sites/{site.pk}/", {"lng": 119.985, "lat": 30.006}, format="json"
    )
    assert response.status_code == 200, response.json()
    site.refresh_from_db()
    assert site.area == city["areas"]["west_grid"] and site.unit == city["units"]["west"]


def test_update_site_out_of_scope_is_404(city):
    response = client_for(city["users"]["west"]).patch(
        f"/api/v1/sites/{city['sites']['east'].pk}/", {"name": "改名"}, format="json"
    )
    assert response.status_code == 404


def test_create_area_computes_bbox_and_size_and_refreshes_lookup(city):
    client = client_for(city["users"]["office"])
    response = client.post(
        "/api/v1/areas/",
        {
            "code": "D01-G02",
            "name": "东城网格2",
            "level": 5,
            "parent": city["areas"]["east"].pk,
            "unit": city["units"]["east"].pk,
            "geometry": square(120.01, 30.0, 0.01),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    area = Area.objects.get(code="D01-G02")
    assert [area.min_lng, area.min_lat, area.max_lng, area.max_lat] == pytest.approx([120.01, 30.0, 120.02, 30.01])
    assert area.area_m2 == pytest.approx(1113.2 * 962.5, rel=0.01)
    located = client.post("/api/v1/places/locate/", {"lng": 120.015, "lat": 30.005}, format="json").json()
    assert located["area"]["code"] == "D01-G02"


def test_new_grid_takes_over_the_sites_inside_it(city):
    office = city["users"]["office"]
    site = SiteFactory(
        code="S-E2", category=city["sites"]["east"].category, lng=120.015, lat=30.005, area=city["areas"]["east"]
    )
    response = client_for(office).post(
        "/api/v1/areas/",
        {
            "code": "D01-G02",
            "name": "东城网格2",
            "level": 5,
            "parent": city["areas"]["east"].pk,
            "geometry": square(120.01, 30.0, 0.01),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    site.refresh_from_db()
    assert site.area.code == "D01-G02"
    city["sites"]["east"].refresh_from_db()
    assert city["sites"]["east"].area.code == "D01-G01"
    assert AuditEvent.objects.filter(verb="places.site_areas_reassigned").count() == 1


def test_reshaped_grid_releases_sites_outside_it(city):
    response = client_for(city["users"]["office"]).patch(
        f"/api/v1/areas/{city['areas']['east_grid'].pk}/", {"geometry": square(120.0, 30.007, 0.003)}, format="json"
    )
    assert response.status_code == 200, response.json()
    site = city["sites"]["east"]
    site.refresh_from_db()
    assert site.area.code == "D01"


def test_create_area_with_self_intersecting_polygon_is_rejected(city):
    bowtie = {"type": "Polygon", "coordinates": [[[120, 30], [120.01, 30.01], [120.01, 30], [120, 30.01], [120, 30]]]}
    response = client_for(city["users"]["office"]).post(
        "/api/v1/areas/", {"code": "BAD", "name": "坏", "level": 5, "geometry": bowtie}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "geometry" and "自相交" in response.json()["detail"]


def test_update_area_by_unit_head_is_forbidden(city):
    response = client_for(city["users"]["east"]).patch(
        f"/api/v1/areas/{city['areas']['east_grid'].pk}/", {"name": "改"}, format="json"
    )
    assert response.status_code == 403


def test_update_area_parent_must_be_higher_level(city):
    response = client_for(city["users"]["office"]).patch(
        f"/api/v1/areas/{city['areas']['east'].pk}/", {"parent": city["areas"]["west_grid"].pk}, format="json"
    )
    assert response.status_code == 422 and response.json()["field"] == "parent"


def test_locate_single_returns_chain(city):
    response = client_for(city["users"]["office"]).post(
        "/api/v1/places/locate/", {"lng": 120.005, "lat": 30.005}, format="json"
    )
    assert response.status_code == 200
    assert [a["code"] for a in response.json()["chain"]] == ["D01-G01", "D01", "CITY"]


def test_locate_hides_out_of_scope_areas(city):
    west = client_for(city["users"]["west"])
    assert west.post("/api/v1/places/locate/", {"lng": 120.005, "lat": 30.005}, format="json").json()["area"] is None
    east = client_for(city["users"]["east"]).post(
        "/api/v1/places/locate/", {"lng": 120.005, "lat": 30.005}, format="json"
    )
    assert [a["code"] for a in east.json()["chain"]] == ["D01-G01", "D01"]


def test_locate_batch(city):
    response = client_for(city["users"]["office"]).post(
        "/api/v1/places/locate/", {"points": [[120.005, 30.005], [0, 0], [119.985, 30.005]]}, format="json"
    )
    results = response.json()["results"]
    assert [r["code"] if r else None for r in results] == ["D01-G01", None, "D02-G01"]


def test_locate_requires_login_and_valid_input(city):
    assert client_for(None).post("/api/v1/places/locate/", {"lng": 1, "lat": 1}, format="json").status_code in (
        401,
        403,
    )
    bad = client_for(city["users"]["office"]).post("/api/v1/places/locate/", {"lng": 1}, format="json")
    assert bad.status_code == 400


def test_openapi_schema_includes_places(city):
    response = client_for(city["users"]["office"]).get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/places/locate/" in response.content and b"/api/v1/sites/" in response.content


def test_site_list_brief_for_maps(city):
    body = client_for(city["users"]["office"]).get("/api/v1/sites/?format=geojson&brief=1").json()
    properties = body["features"][0]["properties"]
    assert set(properties) == {"id", "code", "name", "category_code", "category_name", "address", "lng", "lat", "line"}
