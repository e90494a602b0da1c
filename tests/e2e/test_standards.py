import pytest
from django.core.management import call_command

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.standards.models import Compliance, IndicatorReport
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_unit_opens_2021_standard_searches_item_and_reports_indicator(page, live_server):
    call_command("load_standards", verbosity=0)
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    health = UnitFactory(code="HEALTH", name="市卫健委", kind=UnitKind.DEPARTMENT, parent=city)
    user = user_with_role(Role.UNIT_HANDLER, health, username="health")
    login(page, live_server, user.username, "Test-pass-2026")

    page.click("nav >> text=标准体系")
    page.click("text=国家卫生城市和国家卫生县标准（2021版）")
    page.wait_for_selector("#tree")
    assert "待核实" in page.content()
    page.fill("#tree-search", "农贸")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector("text=划行归市，无活禽售卖")
    assert "示例" in page.content()
    shot(page, "standards_search")
    page.click("text=划行归市，无活禽售卖")
    page.wait_for_selector("text=严重程度")
    assert "示例" in page.content()

    page.go_back()
    page.fill("#tree-search", "婴儿死亡率")
    page.click("form[role=search] button[type=submit]")
    page.click("a:text-is('婴儿死亡率')")
    page.click("#report-link")
    page.select_option("select[name=unit]", label="市卫健委")
    page.fill("input[name=period]", "2025")
    page.fill("input[name=value]", "4.2")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("table.history")
    assert "达标" in page.content()
    shot(page, "standards_indicator_reported")
    report = IndicatorReport.objects.get()
    assert (report.unit, report.period, report.compliance) == (health, "2025", Compliance.PASS)
