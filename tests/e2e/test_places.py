"""Areas, sites and the map in a real browser, as the campaign office and as a street head."""

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places import lookup
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, SiteFactory, square
from tests.e2e.conftest import login, open_nav, shot

pytestmark = pytest.mark.django_db(transaction=True)


def small_city():
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    street = UnitFactory(code="D01-S01", name="东城区第一街道", kind=UnitKind.STREET, parent=east)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    root = AreaFactory(code="CITY", name="示范市", level=AreaLevel.CITY, unit=city, geometry=square(117.0, 36.6, 0.2))
    d1 = AreaFactory(
        code="D01", name="东城区", level=AreaLevel.DISTRICT, parent=root, unit=east, geometry=square(117.1, 36.6, 0.1)
    )
    AreaFactory(
        code="D02", name="西城区", level=AreaLevel.DISTRICT, parent=root, unit=west, geometry=square(117.0, 36.6, 0.1)
    )
    s1 = AreaFactory(
        code="D01-S01",
        name="东城区第一街道",
        level=AreaLevel.STREET,
        parent=d1,
        unit=street,
        geometry=square(117.1, 36.6, 0.05),
    )
    grid = AreaFactory(
        code="D01-S01-G01",
        name="第一网格",
        level=AreaLevel.GRID,
        parent=s1,
        unit=street,
        geometry=square(117.1, 36.6, 0.01),
    )
    lookup.invalidate_index()
    market = SiteCategoryFactory(code="farmers_market", name="农贸市场")
    SiteFactory(code="P1", name="幸福农贸市场", category=market, lng=117.105, lat=36.605, area=grid, unit=street)
    SiteFactory(code="P2", name="西城农贸市场", category=market, lng=117.05, lat=36.65, unit=west)
    return {"office": office, "street": street}


@pytest.mark.parametrize(
    ("role", "unit_key", "sees_west"), [(Role.OFFICE_ADMIN, "office", True), (Role.UNIT_HEAD, "street", False)]
)
def test_areas_sites_and_map(page, live_server, role, unit_key, sees_west):
    units = small_city()
    user = user_with_role(role, units[unit_key])
    login(page, live_server, user.username, "Test-pass-2026")

    open_nav(page, "区域网格")
    page.wait_for_selector("text=东城区第一街道")
    assert ("西城区" in page.inner_text("table")) is sees_west
    shot(page, f"places_areas_{unit_key}")

    open_nav(page, "点位")
    page.wait_for_selector("text=幸福农贸市场")
    assert ("西城农贸市场" in page.content()) is sees_west
    shot(page, f"places_sites_{unit_key}")
    page.click("text=幸福农贸市场")
    page.wait_for_selector("text=第一网格")

    open_nav(page, "地图")
    page.wait_for_selector("#map[data-ready='1']")
    page.wait_for_function("() => document.getElementById('map-status').textContent.startsWith('区域')")
    page.wait_for_function("() => document.getElementById('site-count').textContent.startsWith('点位')")
    assert page.locator(".leaflet-container").count() == 1
    assert page.locator(".leaflet-tile").count() == 0  # offline: no tile layer
    shot(page, f"places_map_{unit_key}")
