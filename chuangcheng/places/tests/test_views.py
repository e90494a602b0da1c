import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.places import services
from chuangcheng.places.models import Site
from chuangcheng.places.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["places:area_detail", "places:site_detail"])
def test_detail_pages_permission_matrix(city, name):
    obj = city["areas"]["east_grid"] if name == "places:area_detail" else city["sites"]["east"]
    assert_permission_matrix(
        client_for,
        reverse(name, args=[obj.pk]),
        in_scope=city["users"]["east"],
        out_of_scope=city["users"]["west"],
        no_role=city["users"]["none"],
    )


def test_site_edit_page_permission_matrix(city):
    url = reverse("places:site_update", args=[city["sites"]["east"].pk])
    assert client_for(None).get(url).status_code == 302
    assert client_for(city["users"]["east"]).get(url).status_code == 403  # sees it, may not edit it
    assert client_for(city["users"]["office"]).get(url).status_code == 200


@pytest.mark.parametrize("name", ["places:area_list", "places:site_list", "places:map", "places:site_export"])
def test_list_pages_need_login_and_are_scoped(city, name):
    url = reverse(name)
    assert client_for(None).get(url).status_code == 302
    assert client_for(city["users"]["none"]).get(url).status_code == 200
    assert client_for(city["users"]["east"]).get(url).status_code == 200


def test_map_page_speaks_to_users_not_to_developers(city, settings):
    settings.MAP_TILE_URL = ""
    html = client_for(city["users"]["east"]).get(reverse("places:map")).content.decode()
    assert "未配置在线底图" in html and "MAP_TILE_URL" not in html


def test_site_list_page_shows_only_scope(city):
    body = client_for(city["users"]["east"]).get(reverse("places:site_list")).content.decode()
    assert "东城农贸市场" in body and "西城农贸市场" not in body
    office = client_for(city["users"]["office"]).get(reverse("places:site_list") + "?q=西城").content.decode()
    assert "西城农贸市场" in office and "东城农贸市场" not in office


def test_site_list_page_query_count_is_flat(city):
    for _n in range(40):
        SiteFactory(category=city["category"], area=city["areas"]["east_grid"], unit=city["units"]["east"])
    client = client_for(city["users"]["office"])
    with assert_max_queries(14):
        response = client.get(reverse("places:site_list"))
    assert response.status_code == 200


def test_area_list_page_query_count_is_flat(city):
    client = client_for(city["users"]["office"])
    with assert_max_queries(12):
        response = client.get(reverse("places:area_list"))
    assert "东城网格1" in response.content.decode()


@pytest.mark.parametrize("name", ["places:site_create", "places:site_import", "places:area_import"])
def test_office_only_pages(city, name):
    url = reverse(name)
    assert client_for(None).get(url).status_code == 302
    assert client_for(city["users"]["east"]).get(url).status_code == 403
    assert client_for(city["users"]["office"]).get(url).status_code == 200


def test_create_site_page_looks_up_area(city):
    response = client_for(city["users"]["office"]).post(
        reverse("places:site_create"),
        {
            "code": "S-P1",
            "name": "页面新增",
            "category": city["category"].pk,
            "lng": "120.004",
            "lat": "30.004",
            "is_active": "on",
        },
    )
    site = Site.objects.get(code="S-P1")
    assert response.status_code == 302 and response["Location"] == reverse("places:site_detail", args=[site.pk])
    assert site.area == city["areas"]["east_grid"]


def test_create_site_page_outside_city_shows_error(city):
    response = client_for(city["users"]["office"]).post(
        reverse("places:site_create"),
        {"code": "S-P2", "name": "城外", "category": city["category"].pk, "lng": "100", "lat": "30"},
    )
    assert response.status_code == 200
    assert "不在本市范围内" in response.content.decode()


def test_edit_site_page_saves_through_service(city):
    site = city["sites"]["east"]
    response = client_for(city["users"]["office"]).post(
        reverse("places:site_update", args=[site.pk]),
        {
            "code": site.code,
            "name": "改名市场",
            "category": city["category"].pk,
            "lng": site.lng,
            "lat": site.lat,
            "unit": city["units"]["east"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.name == "改名市场"


def test_site_import_page_shows_itemised_report(city):
    workbook = Workbook()
    workbook.active.append(list(services.SITE_COLUMNS))
    workbook.active.append(["S-I9", "城外点位", "农贸市场", "", 100, 30])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "sites.xlsx"
    response = client_for(city["users"]["office"]).post(reverse("places:site_import"), {"file": upload})
    assert response.status_code == 400
    assert "不在本市范围内" in response.content.decode()
    assert not Site.objects.filter(code="S-I9").exists()


def test_map_page_carries_config_without_tiles(city, settings):
    settings.MAP_TILE_URL = ""
    body = client_for(city["users"]["east"]).get(reverse("places:map")).content.decode()
    assert 'id="map-config"' in body and "vendor/leaflet/dist/leaflet.js" in body and "js/map.js" in body
    assert "离线模式" in body


def test_map_page_uses_configured_tiles(city, settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILE_CRS = "gcj02"
    response = client_for(city["users"]["office"]).get(reverse("places:map") + f"?area={city['areas']['east'].pk}")
    body = response.content.decode()
    assert "tiles.example" in body and '"tile_crs": "gcj02"' in body and "离线模式" not in body
    assert "东城区" in body
