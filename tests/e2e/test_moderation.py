"""A resident reports a problem with only an address (no map tap); the office finds it in the
moderation queue, is told to place it first, clicks the place on the map, accepts it and follows the
link to the case it opened."""

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.public.models import Report, ReportStatus
from tests.e2e.conftest import login, shot
from tests.e2e.worlds import citizen_city

pytestmark = pytest.mark.django_db(transaction=True)


def test_address_only_report_is_placed_on_the_map_and_accepted(browser, live_server):
    world = citizen_city()
    office, district, east = world.office, world.district, world.east
    staff = user_with_role(Role.OFFICE_STAFF, office)
    errors: list[str] = []

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN").new_page()
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    phone.goto(f"{live_server.url}/public/report/")
    phone.select_option("select[name=category]", label="暴露垃圾")
    phone.fill("input[name=address]", "幸福小区北门")
    phone.fill("textarea[name=description]", "小区北门垃圾堆了三天没人清理")
    phone.click("button[type=submit]")
    number = phone.inner_text("#report-number").strip()
    report = Report.objects.get(number=number)
    assert report.lng is None and report.area is None
    phone.context.close()

    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, staff.username, "Test-pass-2026")
    response = page.goto(f"{live_server.url}/public/moderation/")
    assert response.status == 200
    row = page.locator("#pending-table tr", has_text=number)
    assert "待定位" in row.inner_text()
    row.get_by_role("link", name=number).click()
    assert "未能匹配到区域或点位" in page.inner_text("#needs-place")

    with page.expect_navigation():
        page.click("button[value=accept]")
    assert "请先在地图上点选位置" in page.inner_text("#report-place")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.PENDING

    box = page.locator("#place-map").bounding_box()  # the map opens on the city's centre
    page.locator("#place-map").click(position={"x": box["width"] / 2 + 40, "y": box["height"] / 2 - 30})
    assert page.input_value("#id_lng") != "" and page.input_value("#id_lat") != ""
    shot(page, "public_moderation_place_on_map")
    with page.expect_navigation():
        page.click("button[value=accept]")
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.area == east and report.unit == district
    link = page.locator("#report-case a")
    assert link.inner_text() == report.case.number
    link.click()
    page.wait_for_url(f"**/cases/{report.case.pk}/")
    assert report.case.number in page.inner_text("main")
    assert not errors, errors
    page.context.close()
