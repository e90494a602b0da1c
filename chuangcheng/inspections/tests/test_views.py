import uuid
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from chuangcheng.core.testing import assert_max_queries
from chuangcheng.inspections import services
from chuangcheng.inspections.models import InspectionRound, PatrolRecord, SiteVisit
from chuangcheng.inspections.tests.conftest import make_round

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_round_pages_for_office_plan_draw_assign_close_publish(world):
    office = client_for(world.users["office_admin"])
    response = office.post(
        reverse("inspections:round_create"),
        {
            "name": "页面暗访",
            "kind": "covert",
            "standard": world.standard.pk,
            "unit": world.units["office"].pk,
            "period_start": "2026-11-01",
            "period_end": "2026-11-05",
            "inspectors": [world.users["inspector"].pk],
            "exclusion_days": 90,
            "recheck_count": 0,
            "recheck_days": 30,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    round_ = InspectionRound.objects.get(name="页面暗访")
    assert round_.is_secret
    action = lambda name: reverse("inspections:round_action", args=[round_.pk, name])  # noqa: E731
    office.post(action("plan"), {f"quota_{world.categories['road'].pk}": "2"})
    office.post(action("draw"), {"seed": "77"})
    round_.refresh_from_db()
    assert round_.seed == 77 and round_.visits.count() == 2
    office.post(action("assign"), {"auto": "1"})
    assert not round_.visits.filter(inspector__isnull=True).exists()
    page = office.get(reverse("inspections:round_detail", args=[round_.pk]))
    assert "保密" in page.content.decode() and "复核抽样" in page.content.decode()
    verify = office.get(reverse("inspections:verify_draw", args=[round_.pk]))
    assert "完全一致" in verify.content.decode()
    office.post(action("close"))
    office.post(action("publish"))
    round_.refresh_from_db()
    assert round_.status == "published"
    for fmt in ("xlsx", "docx"):
        report = office.get(reverse("inspections:round_report", args=[round_.pk, fmt]))
        assert report.status_code == 200
        # the download is named for the round, in Chinese: not "round-7.xlsx"
        assert quote(f"页面暗访督查情况.{fmt}") in report["Content-Disposition"]


def test_round_action_by_unit_head_shows_error_not_change(world):
    round_ = make_round(world, kind="open", areas=[world.areas["east"]])
    head = client_for(world.users["east_head"])
    response = head.post(reverse("inspections:round_action", args=[round_.pk, "draw"]), {}, follow=True)
    assert "只有创建办" in response.content.decode()
    assert not round_.visits.exists()
    assert (
        client_for(world.users["west_head"])
        .post(reverse("inspections:round_action", args=[round_.pk, "draw"]))
        .status_code
        == 404
    )


def test_round_create_page_refused_to_unit(world):
    assert client_for(world.users["east_head"]).get(reverse("inspections:round_create")).status_code == 403
    assert client_for(None).get(reverse("inspections:round_create")).status_code == 302


def test_my_visits_and_field_page_for_inspector(world):
    round_ = make_round(world)
    services.draw_round(round_=round_, actor=world.users["office_admin"], seed=4)
    services.assign_visits(round_=round_, actor=world.users["office_admin"], assignments="auto")
    inspector = client_for(world.users["inspector"])
    page = inspector.get(reverse("inspections:my_visits"))
    assert page.status_code == 200 and len(page.context["object_list"]) == 4
    visit = SiteVisit.objects.filter(round=round_).first()
    field = inspector.get(reverse("inspections:visit_field", args=[visit.pk]))
    body = field.content.decode()
    assert 'capture="environment"' not in body  # inputs are built by field.js
    assert "field.js" in body and 'id="field-data"' in body and "提交本点位" in body
    assert (
        client_for(world.users["east_head"]).get(reverse("inspections:visit_field", args=[visit.pk])).status_code == 404
    )
    sw = inspector.get(reverse("inspections:service_worker"))
    assert sw["Content-Type"].startswith("application/javascript") and sw["Service-Worker-Allowed"] == "/inspections/"


def test_round_list_query_count_is_flat(world):
    for n in range(15):
        make_round(world, name=f"第{n}轮", kind="open")
    client = client_for(world.users["office_admin"])
    with assert_max_queries(12):
        response = client.get(reverse("inspections:round_list"))
    assert response.status_code == 200 and len(response.context["object_list"]) == 15


def test_patrol_page_for_grid_worker(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chuangcheng.inspections.tests.conftest import PNG
    from chuangcheng.places.tests.factories import AreaFactory

    grid = AreaFactory(code="G2", name="东城网格2", level=5, parent=world.areas["east"], unit=world.units["east"])
    worker = client_for(world.users["grid_worker"])
    assert worker.get(reverse("inspections:patrol")).status_code == 200
    response = worker.post(
        reverse("inspections:patrol"),
        {
            "area": grid.pk,
            "kind": "self_fix",
            "description": "小广告",
            "client_uuid": str(uuid.uuid4()),
            "photos_before": SimpleUploadedFile("a.png", PNG, content_type="image/png"),
            "photos_after": SimpleUploadedFile("b.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PatrolRecord.objects.get(description="小广告").photos.count() == 2
    assert client_for(world.users["east_head"]).get(reverse("inspections:patrol")).status_code == 404
