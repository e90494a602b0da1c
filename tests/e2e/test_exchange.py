"""The office configures a 数字城管 endpoint (the secret shown once), hands a case to it from the case page
(转派外部系统), sees the push delivered to a stub receiver in the case's 系统对接记录 and on the log page."""

import json

import pytest

from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.conftest import world  # noqa: F401  (the shared test city)
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.exchange.models import Endpoint
from chuangcheng.exchange.tests.conftest import Stub
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_configures_an_endpoint_and_sends_a_case(page, live_server, world):  # noqa: F811
    stub = Stub()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        case = case_in_state(world, CaseStatus.REGISTERED)
        login(page, live_server, world.admin.username, "Test-pass-2026")
        page.goto(f"{live_server.url}/exchange/endpoints/new/")
        page.fill("input[name=code]", "szcg")
        page.fill("input[name=name]", "数字城管平台")
        page.select_option("select[name=kind]", "city_mgmt")
        page.fill("input[name=url]", stub.url + "/cases")
        page.select_option("select[name=unit]", str(world.urban.pk))
        page.check("input[name=manual_only]")
        page.click("form.card button[type=submit]")
        secret = page.locator("#new-secret").inner_text()
        endpoint = Endpoint.objects.get(code="szcg")
        assert secret == endpoint.secret and len(secret) >= 32
        shot(page, "exchange_endpoint_created")
        page.goto(f"{live_server.url}/exchange/endpoints/")
        assert secret not in page.content() and endpoint.masked_secret in page.content()

        page.goto(f"{live_server.url}/cases/{case.pk}/")
        section = page.locator("section", has_text="系统对接记录")
        assert "暂无与外部系统的交换" in section.inner_text()
        section.locator("select[name=endpoint]").select_option(str(endpoint.pk))
        section.locator("button", has_text="转派外部系统").click()
        page.wait_for_url(f"**/cases/{case.pk}/")
        assert "已转派至" in page.content()
        row = page.locator("section", has_text="系统对接记录").locator("tbody tr").first
        assert "推送案件" in row.inner_text() and "已送达" in row.inner_text()
        shot(page, "exchange_case_sent")
        body = json.loads(stub.posts()[0]["body"])
        assert body["case_number"] == case.number

        page.goto(f"{live_server.url}/exchange/?case_number={case.number}")
        assert case.number in page.locator("table.table").inner_text()
        assert errors == []
    finally:
        stub.close()
