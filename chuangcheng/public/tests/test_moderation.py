import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.public.models import ReportStatus
from chuangcheng.public.services.moderation import accept_report, edit_public_text, redact_photo, reject_report
from chuangcheng.public.services.reports import submit_report
from chuangcheng.public.tests.factories import photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(world):
    report, _ = submit_report(
        category=world["litter"],
        description="垃圾堆旁有人，电话13800001111",
        lng=120.005,
        lat=30.005,
        photos=[photo_upload(size=(100, 80), color=(250, 250, 250))],
    )
    return report


def page_client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_accept_report_keeps_original_and_publishes_edited_text(world, pending):
    report = accept_report(report=pending, actor=world["staff"], public_description="垃圾堆放")
    assert report.status == ReportStatus.ACCEPTED
    assert report.description == "垃圾堆旁有人，电话13800001111"
    assert report.shown_description == "垃圾堆放"
    event = AuditEvent.objects.get(verb="public.report_accepted")
    assert event.changes["status"] == ["pending", "accepted"]


def test_accept_report_twice_conflicts(world, pending):
    accept_report(report=pending, actor=world["staff"])
    with pytest.raises(Conflict):
        accept_report(report=pending, actor=world["staff"])


def test_reject_report_needs_reason_and_stays_private(client, world, pending):
    with pytest.raises(DomainError):
        reject_report(report=pending, actor=world["staff"], note=" ")
    report = reject_report(report=pending, actor=world["staff"], note="重复反映")
    assert report.status == ReportStatus.REJECTED
    assert client.get(reverse("public:board_detail", args=[report.number])).status_code == 404


def test_moderation_by_unit_handler_not_permitted(world, pending):
    with pytest.raises(NotPermitted):
        accept_report(report=pending, actor=world["east_handler"])
    with pytest.raises(NotPermitted):
        edit_public_text(report=pending, actor=world["east_handler"], public_description="x")


def test_redact_photo_paints_rectangle_on_public_copy_only(world, pending):
    photo = pending.photos.get()
    original_before = photo.original.read()
    photo = redact_photo(photo=photo, actor=world["staff"], rectangles=[[10, 10, 30, 20]])
    photo.public_image.open("rb")
    public = Image.open(io.BytesIO(photo.public_image.read())).convert("RGB")
    assert max(public.getpixel((25, 20))) < 80  # inside the box: dark
    assert min(public.getpixel((80, 70))) > 200  # outside: untouched
    photo.original.open("rb")
    assert photo.original.read() == original_before
    assert photo.redactions == [[10, 10, 30, 20]]
    assert AuditEvent.objects.filter(verb="public.photo_redacted").count() == 1


def test_redact_photo_outside_image_refused(world, pending):
    with pytest.raises(DomainError):
        redact_photo(photo=pending.photos.get(), actor=world["staff"], rectangles=[[500, 500, 10, 10]])


def test_redacted_copy_is_what_public_sees(client, world, pending):
    photo = pending.photos.get()
    redact_photo(photo=photo, actor=world["staff"], rectangles=[[0, 0, 100, 80]])
    accept_report(report=pending, actor=world["staff"])
    body = b"".join(client.get(reverse("public:photo", args=[photo.pk])).streaming_content)
    assert max(Image.open(io.BytesIO(body)).convert("RGB").getpixel((50, 40))) < 80


@pytest.mark.parametrize(
    "name",
    ["public:moderation", "public:survey_list", "public:hotline_list", "public:hotline_upload", "public:api_keys"],
)
def test_office_pages_permission_matrix(world, name):
    url = reverse(name)
    assert page_client(None).get(url).status_code == 302
    assert page_client(world["nobody"]).get(url).status_code == 403
    assert page_client(world["east_handler"]).get(url).status_code == 403
    user = world["admin"] if name == "public:api_keys" else world["staff"]
    assert page_client(user).get(url).status_code == 200


def test_api_keys_page_office_staff_forbidden(world):
    assert page_client(world["staff"]).get(reverse("public:api_keys")).status_code == 403


def test_moderation_detail_page_matrix(world, pending):
    url = reverse("public:moderation_detail", args=[pending.pk])
    assert page_client(None).get(url).status_code == 302
    assert page_client(world["east_handler"]).get(url).status_code == 403
    response = page_client(world["staff"]).get(url)
    assert response.status_code == 200 and "电话13800001111" in response.content.decode()
    assert page_client(world["staff"]).get(reverse("public:moderation_detail", args=[999999])).status_code == 404


def test_moderation_page_accept_and_redact_flow(world, pending):
    client = page_client(world["staff"])
    photo = pending.photos.get()
    redact = client.post(reverse("public:photo_redact", args=[photo.pk]), {"rectangles": json.dumps([[1, 1, 20, 20]])})
    assert redact.status_code == 302
    accept = client.post(
        reverse("public:moderation_detail", args=[pending.pk]), {"action": "accept", "public_description": "垃圾"}
    )
    assert accept.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ReportStatus.ACCEPTED and pending.public_description == "垃圾"


def test_original_photo_only_for_office(world, pending):
    url = reverse("public:photo_original", args=[pending.photos.get().pk])
    assert page_client(None).get(url).status_code == 302
    assert page_client(world["east_handler"]).get(url).status_code == 403
    assert page_client(world["staff"]).get(url).status_code == 200


def test_report_api_permission_matrix(world, pending):
    url = f"/api/v1/public/reports/{pending.pk}/"
    assert api_client(None).get(url).status_code in (401, 403)
    assert api_client(world["nobody"]).get(url).status_code == 404
    assert api_client(world["west_handler"]).get(url).status_code == 404
    assert api_client(world["east_handler"]).get(url).status_code == 200
    assert api_client(world["staff"]).get(url).status_code == 200


def test_report_api_accept_by_handler_forbidden_by_office_ok(world, pending):
    url = f"/api/v1/public/reports/{pending.pk}/accept/"
    assert api_client(world["east_handler"]).post(url, {}, format="json").status_code == 403
    response = api_client(world["staff"]).post(url, {"public_description": "公开"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_report_api_list_query_count_flat(world):
    for n in range(15):
        submit_report(
            category=world["litter"],
            description=f"问题描述{n}号",
            lng=120.005,
            lat=30.005,
            photos=[photo_upload()],
            client_address=f"10.0.0.{n}",
        )
    with assert_max_queries(8):
        response = api_client(world["staff"]).get("/api/v1/public/reports/")
    assert response.json()["count"] == 15
