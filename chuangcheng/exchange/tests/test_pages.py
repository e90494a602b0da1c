"""Pages and API: who sees endpoints and the log (out of scope → 404), the case-page include, query counts."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.exchange.models import Endpoint, Exchange


def _api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _page(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_case_exchange_is_seen_by_whoever_sees_the_case(city_mgmt, world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    row = Exchange.objects.get(case=case)
    url = reverse("exchange-log-detail", args=[row.pk])
    assert_permission_matrix(_api, url, in_scope=world.handler, out_of_scope=world.market_handler, no_role=world.nobody)
    assert _api(world.office).get(url).json()["case_number"] == case.number


def test_endpoints_are_the_office_configuration(city_mgmt, world):
    url = reverse("exchange-endpoint-detail", args=[city_mgmt.pk])
    assert_permission_matrix(_api, url, in_scope=world.office, out_of_scope=world.handler, no_role=world.nobody)
    data = _api(world.office).get(url).json()
    assert "secret" not in data and data["secret_hint"] == "••••" + city_mgmt.secret[-4:]


def test_endpoint_api_create_shows_the_secret_once_and_only_the_admin_writes(world, stub):
    body = {"code": "qx01", "name": "东城区平台", "kind": "district", "url": stub.url, "unit": world.district.pk}
    assert _api(world.office).post(reverse("exchange-endpoint-list"), body, format="json").status_code == 403
    response = _api(world.admin).post(reverse("exchange-endpoint-list"), body, format="json")
    assert response.status_code == 201 and len(response.json()["secret"]) >= 32
    endpoint = Endpoint.objects.get(code="qx01")
    assert endpoint.actor.username == "exchange-qx01" and not endpoint.actor.has_usable_password()
    rotated = _api(world.admin).post(reverse("exchange-endpoint-rotate-secret", args=[endpoint.pk]))
    assert rotated.json()["secret"] != response.json()["secret"]
    bad = _api(world.admin).post(
        reverse("exchange-endpoint-list"), {**body, "code": "qx02", "unit": None}, format="json"
    )
    assert bad.status_code == 422 and bad.json()["field"] == "unit"


def test_log_list_query_count_is_flat(city_mgmt, world):
    for _ in range(6):
        case_in_state(world, CaseStatus.DISPATCHED)
    client = _api(world.office)
    with assert_max_queries(8):
        response = client.get(reverse("exchange-log-list"))
    assert response.json()["count"] == 6
    handler = _api(world.handler)
    with assert_max_queries(8):
        assert handler.get(reverse("exchange-log-list") + "?direction=out").json()["count"] == 6
    assert _api(world.market_handler).get(reverse("exchange-log-list")).json()["count"] == 0


def test_pages_endpoints_log_and_the_case_include(city_mgmt, world, stub):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    office = _page(world.office)
    listing = office.get(reverse("exchange:endpoint_list"))
    assert listing.status_code == 200 and "数字城管" in listing.content.decode()
    assert city_mgmt.secret not in listing.content.decode()
    log = office.get(reverse("exchange:log") + f"?case_number={case.number}")
    assert log.status_code == 200 and case.number in log.content.decode() and "待发送" in log.content.decode()
    detail = office.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "系统对接记录" in detail and "转派外部系统" in detail
    handler_detail = _page(world.handler).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "系统对接记录" in handler_detail and "转派外部系统" not in handler_detail
    assert _page(world.handler).get(reverse("exchange:endpoint_list")).status_code == 403


def test_the_admin_creates_an_endpoint_on_the_page_and_sees_the_secret_once(world, stub):
    admin = _page(world.admin)
    form = {"code": "szcg2", "name": "运管服平台", "kind": "city_mgmt", "url": stub.url, "unit": world.urban.pk,
            "pull_every_minutes": 15, "is_active": "on"}  # fmt: skip
    response = admin.post(reverse("exchange:endpoint_create"), form)
    assert response.status_code == 201 and "只显示这一次" in response.content.decode()
    endpoint = Endpoint.objects.get(code="szcg2")
    assert endpoint.secret in response.content.decode()
    edit = admin.get(reverse("exchange:endpoint_update", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in edit and endpoint.masked_secret in edit
    missing = admin.post(reverse("exchange:endpoint_create"), {**form, "code": "szcg3", "unit": ""})
    assert missing.status_code == 422 and "对应单位" in missing.content.decode()


def test_the_office_sends_a_case_by_hand_and_resends_a_failure(city_mgmt, world, stub):
    stub.respond = lambda request: (400, {"error": "x"}, {})
    case = case_in_state(world, CaseStatus.REGISTERED)
    office = _page(world.office)
    response = office.post(reverse("exchange:send_case", args=[case.pk]), {"endpoint": city_mgmt.pk})
    assert response.status_code == 302
    row = Exchange.objects.get(case=case)
    from chuangcheng.exchange.services import outbox

    outbox.deliver_due()
    row.refresh_from_db()
    assert row.status == "failed"
    office.post(reverse("exchange:retry", args=[row.pk]))
    row.refresh_from_db()
    assert row.status == "pending"
    assert _page(world.market_handler).post(reverse("exchange:retry", args=[row.pk])).status_code == 403
