import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.tests.helpers import case_in_state, new_case
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix

pytestmark = pytest.mark.django_db


def browser(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_detail_page_permission_matrix(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    assert_permission_matrix(
        browser, f"/cases/{case.pk}/", in_scope=world.handler, out_of_scope=world.market_handler, no_role=world.nobody
    )


def test_detail_shows_only_allowed_buttons(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    html = browser(world.handler).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-action="sign"' in html and 'data-action="return"' in html
    assert 'data-action="verify"' not in html and 'data-action="reroute"' not in html
    office = browser(world.office).get(f"/cases/{case.pk}/").content.decode()
    assert 'data-action="sign"' not in office


def test_detail_map_draws_the_cases_grid(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    response = browser(world.handler).get(f"/cases/{case.pk}/")
    point = response.context["point"]
    assert point["area_name"] == case.area.name and point["area"]["type"] == "Polygon"
    assert 'id="case-point"' in response.content.decode()


def test_transition_form_posts_through_workflow(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    client = browser(world.handler)
    response = client.post(f"/cases/{case.pk}/transition/", {"action": "return", "note": "", "version": case.version})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "请填写退回理由" in page
    client.post(f"/cases/{case.pk}/transition/", {"action": "sign", "version": case.version})
    case.refresh_from_db()
    assert case.status == CaseStatus.SIGNED
    client.post(f"/cases/{case.pk}/transition/", {"action": "start", "version": case.version - 1})
    case.refresh_from_db()
    assert case.status == CaseStatus.SIGNED  # stale version refused
    client.post(f"/cases/{case.pk}/transition/", {"action": "start", "version": case.version})
    client.post(
        f"/cases/{case.pk}/transition/",
        {"action": "submit", "note": "已清理", "evidence": jpeg_upload(taken_at="2099:01:01 09:00:00")},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_out_of_scope_transition_is_404(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    assert browser(world.market_handler).post(f"/cases/{case.pk}/transition/", {"action": "sign"}).status_code == 404


def test_create_page_reports_case_and_offers_duplicates(world):
    first = new_case(world)
    client = browser(world.grid)
    response = client.post(
        "/cases/new/",
        {"source": "patrol", "title": "门口垃圾", "site": world.site.pk, "severity": "normal", "photos": jpeg_upload()},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "可能重复" in page and first.number in page


def test_inbox_tabs_and_bulk_sign(world):
    cases = [case_in_state(world, CaseStatus.DISPATCHED) for _ in range(3)]
    client = browser(world.handler)
    client.get("/cases/inbox/")
    with assert_max_queries(15):
        page = client.get("/cases/inbox/?tab=to_sign")
    assert page.status_code == 200 and all(c.number in page.content.decode() for c in cases)
    client.post("/cases/bulk/", {"action": "sign", "ids": [c.pk for c in cases], "next": "/cases/inbox/"})
    assert Case.objects.filter(status=CaseStatus.SIGNED).count() == 3


def test_ledger_page_query_count_is_flat(world):
    for _ in range(10):
        case_in_state(world, CaseStatus.DISPATCHED)
    client = browser(world.office)
    client.get("/cases/")
    with assert_max_queries(15):
        assert client.get("/cases/?status=dispatched").status_code == 200


def test_dispatch_console_office_only_and_bulk_dispatch(world):
    assert browser(world.handler).get("/cases/dispatch/").status_code == 403
    from chuangcheng.cases import services

    unrouted = services.create_case(actor=None, source="citizen", title="无位置", auto_register=True)
    client = browser(world.office)
    assert unrouted.number in client.get("/cases/dispatch/").content.decode()
    client.post("/cases/bulk/", {"action": "dispatch", "ids": [unrouted.pk], "lead_unit": world.urban.pk})
    unrouted.refresh_from_db()
    assert unrouted.status == CaseStatus.DISPATCHED and unrouted.lead_unit == world.urban


def test_export_page_honours_filters(world):
    case_in_state(world, CaseStatus.DISPATCHED)
    closed = case_in_state(world, CaseStatus.CLOSED)
    response = browser(world.office).get("/cases/export/?status=closed")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [closed.number]


def test_map_and_rules_pages(world):
    case_in_state(world, CaseStatus.DISPATCHED)
    assert browser(world.handler).get("/cases/map/").status_code == 200
    assert browser(world.office).get("/cases/rules/").status_code == 200
    assert browser(world.handler).get("/cases/rules/").status_code == 403
