import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import DomainError
from chuangcheng.public import selectors
from chuangcheng.public.models import Report, ReportStatus
from chuangcheng.public.ratelimit import RateLimited
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.services.reports import add_interest, submit_report
from chuangcheng.public.tests.factories import jpeg_bytes, photo_upload

pytestmark = pytest.mark.django_db


def _report(world, **kwargs):
    defaults = {"category": world["litter"], "description": "路边有一堆建筑垃圾", "lng": 120.005, "lat": 30.005}
    return submit_report(**(defaults | kwargs))


def _post(client, world, **extra):
    data = {
        "category": world["litter"].pk,
        "description": "小区门口垃圾桶满溢",
        "lng": "120.005",
        "lat": "30.005",
        "address": "东城路 1 号",
        "phone": "",
        "website": "",
    } | extra
    return client.post(reverse("public:report"), data)


def test_submit_report_anonymous_creates_pending_with_number_and_code(client, world):
    response = _post(client, world, photos=photo_upload())
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.status == ReportStatus.PENDING
    assert report.number.startswith("SP") and report.number in response.content.decode()
    assert report.area == world["east_area"] and report.unit == world["east"]
    assert report.photos.count() == 1
    code = response.context["code"]
    assert len(code) == 6 and selectors.find_for_follow(report.number, code) == report
    assert selectors.find_for_follow(report.number, "000000" if code != "000000" else "111111") is None
    assert AuditEvent.objects.filter(verb="public.report_submitted", target_id=str(report.pk)).exists()


def test_submit_report_honeypot_filled_creates_nothing(client, world):
    response = _post(client, world, website="http://spam.example")
    assert response.status_code == 400
    assert not Report.objects.exists()


@override_settings(PUBLIC_RATE_LIMITS={"report:addr": (2, 3600)})
def test_submit_report_over_address_limit_is_refused(client, world):
    assert _post(client, world).status_code == 200
    assert _post(client, world).status_code == 200
    response = _post(client, world)
    assert response.status_code == 429
    assert "频繁" in response.content.decode()
    assert Report.objects.count() == 2


@override_settings(PUBLIC_RATE_LIMITS={"report:phone": (1, 3600)})
def test_submit_report_over_phone_limit_is_refused_from_any_address(world):
    _report(world, phone="13800138000", client_address="10.0.0.1")
    with pytest.raises(RateLimited):
        _report(world, phone="138-0013-8000", client_address="10.0.0.2")
    _report(world, phone="13900139000", client_address="10.0.0.3")
    assert Report.objects.count() == 2


def test_submit_report_photo_checked_by_content(world):
    fake = SimpleUploadedFile("photo.jpg", b"this is not an image at all", content_type="image/jpeg")
    with pytest.raises(DomainError) as error:
        _report(world, photos=[fake])
    assert error.value.field == "photos"
    assert not Report.objects.exists()


def test_submit_report_public_copy_has_no_exif_original_kept(world):
    report, _ = _report(world, photos=[photo_upload(exif_note="phone 13800000000")])
    photo = report.photos.get()
    original = photo.original.read()
    published = photo.public_image.read()
    assert b"13800000000" in original
    assert b"13800000000" not in published and b"TestCam" not in published
    assert dict(Image.open(io.BytesIO(published)).getexif()) == {}


def test_submit_report_requires_location_or_address(world):
    with pytest.raises(DomainError) as error:
        _report(world, lng=None, lat=None, address="")
    assert error.value.field == "address"
    report, _ = _report(world, lng=None, lat=None, address="人民路菜场门口")
    assert report.area is None


def test_submit_report_invalid_phone_refused(world):
    with pytest.raises(DomainError) as error:
        _report(world, phone="12345")
    assert error.value.field == "phone"


def test_pending_report_not_public_anywhere(client, world):
    report, _ = _report(world, photos=[photo_upload()])
    photo = report.photos.get()
    assert client.get(reverse("public:board")).context["rows"] == []
    assert client.get(reverse("public:board_detail", args=[report.number])).status_code == 404
    assert client.get(reverse("public:photo", args=[photo.pk])).status_code == 404
    assert client.get("/open311/v2/requests.json").json() == []
    assert client.get(f"/open311/v2/requests/{report.number}.json").status_code == 404
    assert client.get(reverse("public:board_rss")).content.count(b"<item>") == 0


def test_accepted_report_shown_on_board_feed_and_photo(client, world):
    report, _ = _report(world, photos=[photo_upload()])
    accept_report(report=report, actor=world["staff"], public_description="路边有建筑垃圾")
    board = client.get(reverse("public:board"))
    assert [r.number for r, _ in board.context["rows"]] == [report.number]
    detail = client.get(reverse("public:board_detail", args=[report.number]))
    assert "路边有建筑垃圾" in detail.content.decode() and "东城区" in detail.content.decode()
    photo = client.get(reverse("public:photo", args=[report.photos.get().pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    rss = client.get(reverse("public:board_rss"))
    atom = client.get(reverse("public:board_atom"))
    assert rss.status_code == 200 and report.number.encode() in rss.content
    assert atom.status_code == 200 and b"<feed" in atom.content


def test_follow_with_number_and_code_shows_status(client, world):
    report, code = _report(world)
    wrong = client.post(reverse("public:follow"), {"number": report.number, "code": "99999x"})
    assert wrong.status_code == 404 and wrong.context["report"] is None
    # The code never travels in a URL: a GET with it shows nothing, even when it is right.
    in_url = client.get(reverse("public:follow"), {"number": report.number, "code": code})
    assert in_url.context["report"] is None and "查询码不会出现在网址中" in in_url.content.decode()
    ok = client.post(reverse("public:follow"), {"number": report.number, "code": code})
    assert ok.status_code == 302 and ok["Location"] == f"{reverse('public:follow')}?number={report.number}"
    page = client.get(ok["Location"])
    assert page.context["state"].label == "待审核" and code not in page.content.decode()


def test_nearby_offers_open_same_category_reports_within_radius(client, world):
    near, _ = _report(world)
    far, _ = _report(world, lng=120.009, lat=30.009)
    other, _ = _report(world, category=world["stall"])
    for report in (near, far, other):
        accept_report(report=report, actor=world["staff"])
    response = client.get(reverse("public:nearby"), {"category": world["litter"].pk, "lng": 120.0051, "lat": 30.0051})
    assert [item["number"] for item in response.json()["results"]] == [near.number]


def test_metoo_adds_interest_once_per_device(client, world):
    report, _ = _report(world)
    accept_report(report=report, actor=world["staff"])
    url = reverse("public:metoo", args=[report.number])
    first = client.post(url, HTTP_ACCEPT="application/json")
    assert first.status_code == 200 and first.json()["interest"] == 1
    again = client.post(url, HTTP_ACCEPT="application/json")
    assert again.status_code == 409
    report.refresh_from_db()
    assert report.interest_count == 1


def test_metoo_on_pending_report_is_404(client, world):
    report, _ = _report(world)
    assert client.post(reverse("public:metoo", args=[report.number])).status_code == 404


def test_add_interest_from_two_devices_counts_two(world):
    report, _ = _report(world)
    accept_report(report=report, actor=world["staff"])
    add_interest(report=report, client_address="1.1.1.1", device_id="a")
    report = add_interest(report=report, client_address="1.1.1.2", device_id="b")
    assert report.interest_count == 2


def test_report_page_renders_map_on_phone(client, world):
    response = client.get(reverse("public:report"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "vendor/leaflet/dist/leaflet.js" in body and 'name="website"' in body


def test_photo_bytes_fixture_is_a_jpeg():
    assert jpeg_bytes()[:2] == b"\xff\xd8"
