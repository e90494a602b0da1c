"""A county runs its own round while the city sees it: the county office plans a secret round over its ground,
draws, visits the site on the checklist, closes and publishes; the city office sees the round (before and after
publication), the sibling county never does (404)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.inspections.models import Finding, InspectionRound
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, SiteFactory
from chuangcheng.programs.tests.factories import CampaignFactory
from chuangcheng.programs.titles import Title
from chuangcheng.standards.tests.factories import CheckItemFactory, StandardFactory
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Test-pass-2026"


def county_world() -> dict:
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    city_office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    county = UnitFactory(code="C1", name="东县", kind=UnitKind.DISTRICT, parent=city)
    county_office = UnitFactory(code="C1-OFFICE", name="东县创建办", kind=UnitKind.OFFICE, parent=county)
    sibling = UnitFactory(code="C2", name="西县", kind=UnitKind.DISTRICT, parent=city)
    area = AreaFactory(code="AR-C1", name="东县全域", level=2, unit=county)
    AreaFactory(code="AR-C2", name="西县全域", level=2, unit=sibling)
    market = SiteCategoryFactory(code="market", name="农贸市场")
    SiteFactory(code="C1-M1", name="东县城关农贸市场", category=market, area=area, unit=county, address="城关路1号")
    standard = StandardFactory()
    item = CheckItemFactory(
        standard=standard, code="K1", title="地面有积水垃圾", points=Decimal("2"), site_categories=[market]
    )
    campaign = CampaignFactory(
        name="东县创建国家卫生县城", unit=county, office_unit=county_office, title=Title.NATIONAL_SANITARY_COUNTY
    )
    return {
        "county_staff": user_with_role(Role.OFFICE_STAFF, county_office, username="county_staff"),
        "city_admin": user_with_role(Role.OFFICE_ADMIN, city_office, username="city_admin"),
        "sibling_staff": user_with_role(Role.OFFICE_STAFF, sibling, username="sibling_staff"),
        "campaign": campaign,
        "county_office": county_office,
        "area": area,
        "market": market,
        "item": item,
        "standard": standard,
    }


def test_a_county_runs_its_own_round_and_the_city_sees_it(browser, live_server):
    w = county_world()
    county = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = county.new_page()
    login(page, live_server, "county_staff", PASSWORD)

    page.goto(f"{live_server.url}/inspections/new/")
    page.select_option("select[name=campaign]", str(w["campaign"].pk))
    page.fill("input[name=name]", "东县第一轮暗访")
    page.select_option("select[name=kind]", "covert")
    page.select_option("select[name=standard]", str(w["standard"].pk))
    page.select_option("select[name=unit]", str(w["county_office"].pk))
    page.select_option("select[name=areas]", [str(w["area"].pk)])
    page.fill("input[name=period_start]", "2026-12-01")
    page.fill("input[name=period_end]", "2026-12-15")
    page.select_option("select[name=inspectors]", [str(w["county_staff"].pk)])
    page.check("input[name=is_secret]")
    page.click("form.card button[type=submit]")
    page.wait_for_url(lambda url: "/inspections/new/" not in url)
    round_ = InspectionRound.objects.get(name="东县第一轮暗访")
    assert round_.campaign == w["campaign"] and round_.is_hidden

    page.fill(f"input[name=quota_{w['market'].pk}]", "1")
    page.click("text=保存抽样方案")
    page.click("form.filter-bar button[type=submit]")  # 抽样
    page.wait_for_selector("text=东县城关农贸市场")
    page.click("button[name=auto]")  # 平均分配给督查员
    page.click("text=待检查")
    page.wait_for_selector("body[data-field-ready='1']")
    card = page.locator(f".field-item[data-item='{w['item'].pk}']")
    card.locator("input[value=deduct]").check()
    card.locator("input.count").fill("1")
    card.locator("textarea.note").fill("摊位前积水")
    page.click("#submit-visit")
    page.wait_for_selector("#sync-status[data-state=synced]", timeout=15000)
    page.wait_for_selector("body:not([data-syncing='1'])")
    assert Finding.objects.filter(visit__round=round_).count() == 1

    # The city sees the county's secret round while it is still secret; the sibling county does not.
    city = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    city_page = city.new_page()
    login(city_page, live_server, "city_admin", PASSWORD)
    city_page.goto(f"{live_server.url}/inspections/")
    assert "东县第一轮暗访" in city_page.inner_text("main")
    sibling = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    sibling_page = sibling.new_page()
    login(sibling_page, live_server, "sibling_staff", PASSWORD)
    assert sibling_page.goto(f"{live_server.url}/inspections/{round_.pk}/").status == 404
    sibling_page.goto(f"{live_server.url}/inspections/")
    assert "东县第一轮暗访" not in sibling_page.inner_text("main")

    page.goto(f"{live_server.url}/inspections/{round_.pk}/")
    page.click("text=结束检查")
    page.wait_for_selector("text=发布")
    page.click("form button:has-text('发布')")
    page.wait_for_selector("text=已发布")
    round_.refresh_from_db()
    assert round_.status == "published" and not round_.is_hidden
    shot(page, "levels-county-round-published")

    city_page.goto(f"{live_server.url}/inspections/{round_.pk}/")
    assert "东县第一轮暗访" in city_page.inner_text("main") and "已发布" in city_page.inner_text("main")
    assert sibling_page.goto(f"{live_server.url}/inspections/{round_.pk}/").status == 404
    for context in (county, city, sibling):
        context.close()
