"""The office imports a 12345 export as the hotline sends it (title row merged across, a blank row, the
header on row 3, masked phones, Excel serial dates) in the browser: the header row is found, can be
changed on the page, the preview validates, and the batch page says how many cases were opened, placed
and routed."""

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.lookup import invalidate_index
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, square
from chuangcheng.public.models import HotlineOrder
from chuangcheng.public.tests.test_hotline_exports import order_row, real_export
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_imports_a_title_row_export(page, live_server, tmp_path):
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="EAST", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    AreaFactory(code="A-EAST", name="东城区", level=AreaLevel.DISTRICT, unit=east, geometry=square(120.0, 30.0, 0.01))
    invalidate_index()
    SiteCategoryFactory(code="litter", name="暴露垃圾")
    staff = user_with_role(Role.OFFICE_STAFF, office)
    export = tmp_path / "12345工单明细.xlsx"
    export.write_bytes(real_export([order_row(0), order_row(1, 事发地址="不详")]))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    login(page, live_server, staff.username, "Test-pass-2026")
    page.goto(f"{live_server.url}/public/hotline/upload/")
    page.set_input_files("input[name=file]", str(export))
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/mapping/")
    header = page.locator("#header-row")
    assert "表头在第 3 行" in header.locator("summary").inner_text()
    assert page.input_value("select[name=number]") == "工单编号"
    assert page.input_value("select[name=category]") == "诉求类型"

    header.locator("summary").click()  # the person tries the title row, then goes back to row 3
    page.select_option("select[name=header_row]", "1")
    page.click("button[value=header]")
    assert "表头在第 1 行" in page.locator("#header-row summary").inner_text()
    page.locator("#header-row summary").click()
    page.select_option("select[name=header_row]", "3")
    page.click("button[value=header]")
    assert page.input_value("select[name=number]") == "工单编号"

    page.click("button[value=preview]")
    summary = page.locator("#preview-summary").inner_text()
    assert "将新增 2 条" in summary
    shot(page, "hotline_mapping_title_row")
    page.click("button[value=import]")
    page.wait_for_url("**/hotline/*/")
    cases = page.locator("#batch-cases").inner_text()
    assert "已立案 2 件" in cases and "定位 1 件" in cases and "派遣到责任单位 2 件" in cases
    assert "待立案" not in cases
    shot(page, "hotline_batch_cases")
    assert HotlineOrder.objects.filter(case__isnull=False, caller_phone="191****8950").count() == 2
    assert errors == []
