"""按行政区划建立辖区 in a real browser: the office picks 安徽省 → 淮北市 → 杜集区 and gets the tree."""

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.models import Area, AreaLevel
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_office_loads_a_county_by_cascading_selects(request, live_server, fixture):
    page = request.getfixturevalue(fixture)
    office = user_with_role(Role.OFFICE_ADMIN, UnitFactory(code="OFFICE", kind=UnitKind.OFFICE))
    login(page, live_server, office.username, "Test-pass-2026")
    page.goto(f"{live_server.url}/places/areas/divisions/")
    page.wait_for_selector("#division-province option[value='340000']", state="attached")
    page.select_option("#division-province", "340000")
    page.wait_for_selector("#division-city option[value='340600']", state="attached")
    page.select_option("#division-city", "340600")
    assert page.input_value("input[name=code]") == "340600"
    page.wait_for_selector("#division-county option[value='340602']", state="attached")
    page.select_option("#division-county", "340602")
    assert page.input_value("input[name=code]") == "340602"
    assert "杜集区（340602）" in page.inner_text("#division-choice")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#division-form button[type=submit]")
    page.wait_for_selector("text=新增单位 63 个")
    assert "新增单位 63 个" in page.inner_text("main")
    shot(page, f"divisions-{fixture}")
    assert Unit.objects.filter(division_code__startswith="340602").count() == 63
    county = Area.objects.get(division_code="340602")
    assert county.level == AreaLevel.DISTRICT and county.geometry is not None
    # the city now lists the county as already loaded
    page.select_option("#division-province", "340000")
    page.wait_for_selector("#division-city option[value='340600']", state="attached")
    page.select_option("#division-city", "340600")
    page.wait_for_selector("#division-county option[value='340602']", state="attached")
    assert "已建立" in page.inner_text("#division-county option[value='340602']")
