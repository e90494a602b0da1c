import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from tests.e2e.conftest import login, open_nav, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_logs_in_and_browses_units(page, live_server):
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    user = user_with_role(Role.OFFICE_ADMIN, office, username="office")
    missing: list[str] = []
    page.on("console", lambda m: m.type == "error" and missing.append(m.text))  # e.g. /favicon.ico 404
    login(page, live_server, user.username, "Test-pass-2026")
    assert page.url.endswith("/cases/dispatch/")  # the office lands on its dispatch console
    open_nav(page, "单位")
    page.wait_for_selector("text=东城区")
    shot(page, "units")
    page.click("text=东城区")
    assert "区县" in page.content()
    assert not missing, f"浏览器控制台报错：{missing}"
