"""Reports that lack optional fields (no point, no area, no unit, no case) never break a page; a point
outside the city is refused; an address-only report is placed by its address or by the office."""

import re
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import Case
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory, SiteFactory
from chuangcheng.public.models import Report, ReportStatus
from chuangcheng.public.services.keys import issue_api_key
from chuangcheng.public.services.moderation import accept_report

pytestmark = pytest.mark.django_db
OPEN311 = "/open311/v2"


def citizen_post(client, **fields):
    data = {"category": fields.pop("category").pk, "description": "路口有一堆垃圾没人清理"} | fields
    return client.post(reverse("public:report"), data)


def submitted(client, **fields) -> tuple[Report, str]:
    response = citizen_post(client, **fields)
    assert response.status_code == 200, response.content.decode()[:500]
    code = re.search(r"查询码[^0-9]*(\d{6})", response.content.decode())
    return Report.objects.get(), code.group(1) if code else ""


def staff_client(world):
    client = Client()
    client.force_login(world["staff"])
    return client


def test_address_only_report_from_the_citizen_form_keeps_moderation_working(world):
    report, _ = submitted(Client(), category=world["litter"], address="幸福小区北门")
    assert report.lng is None and report.area is None and report.unit is None
    staff = staff_client(world)
    listing = staff.get(reverse("public:moderation"))
    assert listing.status_code == 200
    assert report.number in listing.content.decode() and "待定位" in listing.content.decode()
    detail = staff.get(reverse("public:moderation_detail", args=[report.pk]))
    assert detail.status_code == 200
    assert "未能匹配到区域或点位" in detail.content.decode() and 'id="place-map"' in detail.content.decode()


def test_accepting_a_report_without_place_is_refused_in_chinese(world):
    report, _ = submitted(Client(), category=world["litter"], address="幸福小区北门")
    staff = staff_client(world)
    response = staff.post(
        reverse("public:moderation_detail", args=[report.pk]),
        {"action": "accept", "public_description": "小区门口垃圾"},
    )
    assert response.status_code == 422
    assert "请先在地图上点选位置" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.case is None and not Case.objects.exists()


def test_office_places_an_address_only_report_on_the_map_then_accepts_it(world):
    report, _ = submitted(Client(), category=world["litter"], address="幸福小区北门")
    staff = staff_client(world)
    url = reverse("public:moderation_detail", args=[report.pk])
    outside = staff.post(url, {"action": "place", "public_description": "x", "lng": "121.5", "lat": "31.2"})
    assert outside.status_code == 422 and "不在本市管辖范围内" in outside.content.decode()
    half = staff.post(url, {"action": "place", "public_description": "x", "lng": "120.005"})
    assert half.status_code == 400 and "经度和纬度须同时填写" in half.content.decode()
    report.refresh_from_db()
    assert report.lng is None
    response = staff.post(
        url, {"action": "accept", "public_description": "小区门口垃圾", "lng": "120.005", "lat": "30.005"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.lng, report.lat, report.area, report.unit) == (120.005, 30.005, world["east_area"], world["east"])
    assert report.status == ReportStatus.ACCEPTED and report.case.area == world["east_area"]
    assert AuditEvent.objects.filter(verb="public.report_placed").exists()
    page = staff.get(url).content.decode()
    assert reverse("cases:detail", args=[report.case.pk]) in page and report.case.number in page


def test_address_naming_an_area_places_the_report_there(world):
    street = AreaFactory(name="东关街道", level=AreaLevel.STREET, parent=world["east_area"], unit=world["east"])
    report, _ = submitted(Client(), category=world["litter"], address="东关街道人民路 12 号门口")
    assert report.area == street and report.unit == world["east"] and report.lng is None
    report = accept_report(report=report, actor=world["staff"])
    assert report.case.area == street and report.case.unit_id == world["east"].pk


def test_address_naming_a_site_opens_the_case_at_that_site(world):
    site = SiteFactory(name="东关农贸市场", address="人民路88号", area=world["east_area"], unit=world["east"])
    report, _ = submitted(Client(), category=world["litter"], address="东关农贸市场北门")
    assert report.area == world["east_area"] and report.unit == world["east"]
    case = accept_report(report=report, actor=world["staff"]).case
    assert case.site == site and (case.lng, case.lat) == (site.lng, site.lat)


def test_point_outside_the_city_is_refused_on_the_location_field(world):
    response = citizen_post(Client(), category=world["litter"], lng="121.5", lat="31.2")
    assert response.status_code == 422
    form = response.context["form"]
    assert "所选位置不在本市管辖范围内" in " ".join(form.errors["lat"])
    assert not Report.objects.exists()


def test_pages_of_an_accepted_address_only_report_render(world):
    AreaFactory(name="东关街道", level=AreaLevel.STREET, parent=world["east_area"], unit=world["east"])
    client = Client()
    report, code = submitted(client, category=world["litter"], address="东关街道幸福小区北门")
    assert client.get(reverse("public:follow"), {"number": report.number, "code": code}).status_code == 200
    accept_report(report=report, actor=world["staff"])
    # Optional relations may also vanish later (an area or unit deleted: SET_NULL): pages still render.
    Report.objects.filter(pk=report.pk).update(area=None, unit=None)
    for url in (
        reverse("public:board"),
        reverse("public:board_detail", args=[report.number]),
        reverse("public:board_rss"),
        reverse("public:board_atom"),
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("public:follow"), {"number": report.number, "code": code})
    assert page.status_code == 200 and "已受理" in page.content.decode()
    staff = staff_client(world)
    assert staff.get(reverse("public:moderation")).status_code == 200
    assert staff.get(reverse("public:moderation_detail", args=[report.pk])).status_code == 200
    [item] = client.get(f"{OPEN311}/requests.json").json()
    assert item["service_request_id"] == report.number and item["lat"] is None and item["long"] is None
    root = ET.fromstring(client.get(f"{OPEN311}/requests/{report.number}.xml").content)
    assert root.find("request").find("lat").text is None


@pytest.fixture
def key(world):
    return issue_api_key(actor=world["admin"], name="市数字城管")[1]


def test_open311_post_with_only_an_address_waits_in_moderation(world, key):
    response = Client().post(
        f"{OPEN311}/requests.json", {"api_key": key, "service_code": "litter", "address_string": "幸福小区北门"}
    )
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.area is None and report.channel == "open311"
    staff = staff_client(world)
    assert staff.get(reverse("public:moderation")).status_code == 200
    assert staff.get(reverse("public:moderation_detail", args=[report.pk])).status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_post_outside_every_area_is_a_400_in_open311_format(world, key, fmt):
    data = {"api_key": key, "service_code": "litter", "lat": "31.2", "long": "121.5", "description": "外地的问题"}
    response = Client().post(f"{OPEN311}/requests.{fmt}", data)
    assert response.status_code == 400
    if fmt == "json":
        [error] = response.json()
        assert error["code"] == 400 and "不在本市管辖范围内" in error["description"]
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors" and root.find("error").find("code").text == "400"
        assert "不在本市管辖范围内" in root.find("error").find("description").text
    assert not Report.objects.exists()


def test_hotline_pages_render_orders_missing_optional_fields(world):
    from django.utils import timezone

    from chuangcheng.public.models import HotlineBatch, HotlineOrder

    batch = HotlineBatch.objects.create(filename="工单.xlsx", status="imported", imported_at=timezone.now())
    HotlineOrder.objects.create(
        number="GD001", received_at=timezone.now(), content="有人占道", row_hash="x", batch=batch
    )
    staff = staff_client(world)
    for url in (
        reverse("public:hotline_list"),
        reverse("public:hotline_batch", args=[batch.pk]),
        reverse("public:hotline_export"),
        reverse("public:hotline_export") + f"?batch={batch.pk}",
    ):
        assert staff.get(url).status_code == 200, url
