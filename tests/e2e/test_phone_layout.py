"""Pages that overflowed a 390 px phone (issue 13, item 8): the assessments filter and period page, the
standards pages, and every citizen page's header. Each must fit without horizontal scrolling.

The phone context is ``is_mobile``: Chromium widens the layout viewport to fit overflowing content, so the
check is both that the page is no wider than the window and that the window is still 390 px wide.
"""

import pytest
from django.core.management import call_command

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.assessments.tests.factories import PeriodFactory, PublishedSchemeFactory
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.standards.models import CheckItem, Indicator, Standard
from tests.e2e.conftest import PHONE, shot

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _fits(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    scroll_width, inner_width = page.evaluate(WIDTHS)
    assert inner_width == PHONE["width"] and scroll_width <= inner_width, (url, scroll_width, inner_width)


def _login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "Test-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


def test_office_pages_fit_a_phone(phone_page, live_server):
    call_command("load_standards", verbosity=0)
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    user_with_role(Role.OFFICE_ADMIN, office, username="office")
    scheme = PublishedSchemeFactory(name="示范市创建工作月度专项、季度面上考核办法（示例）与年度综合考核细则")
    period = PeriodFactory(scheme=scheme, name="2026年11月专项考核（演示）")
    standard = Standard.objects.filter(kind="sanitary_city").order_by("-version").first()
    other = Standard.objects.exclude(pk=standard.pk).first()
    item = CheckItem.objects.filter(standard=standard).first()
    indicator = Indicator.objects.filter(standard=standard).first()

    _login(phone_page, live_server, "office")
    base = live_server.url
    for path in (
        "/assessments/",
        f"/assessments/periods/{period.pk}/",
        f"/assessments/schemes/{scheme.pk}/",
        "/standards/",
        f"/standards/{standard.pk}/",
        f"/standards/{other.pk}/",
        "/standards/compare/",
        "/standards/indicators/",
        f"/standards/indicators/{indicator.pk}/",
        f"/standards/items/{item.pk}/",
    ):
        _fits(phone_page, base + path)
    phone_page.goto(f"{base}/assessments/")
    shot(phone_page, "phone_assessments_filter")


def test_citizen_pages_fit_a_phone(phone_page, live_server):
    UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    base = live_server.url
    for path in ("/public/", "/public/report/", "/public/board/", "/public/follow/", "/login/"):
        _fits(phone_page, base + path)
    phone_page.goto(f"{base}/public/")
    assert phone_page.locator("header.public-head").bounding_box()["width"] <= PHONE["width"]
    shot(phone_page, "phone_public_header")


def test_a_handler_works_through_the_case_list_on_a_phone_without_sideways_scrolling(phone_page, live_server):
    """The case list becomes one card per case at 390 px (it used to scroll sideways inside its table)."""
    from chuangcheng.cases.tests.factories import CaseFactory

    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    district = UnitFactory(code="EAST", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    user_with_role(Role.UNIT_HANDLER, district, username="handler")
    for index in range(3):
        CaseFactory(title=f"背街小巷垃圾堆放未清运，影响居民出行（第{index + 1}处）", unit=district, lead_unit=district)
    _login(phone_page, live_server, "handler")
    _fits(phone_page, f"{live_server.url}/cases/")
    table = phone_page.locator("#case-rows")
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    assert phone_page.locator("#case-rows thead").is_hidden()
    assert phone_page.locator("#case-rows td[data-label=编号]").count() == 3
    # the filter form folds away so the first case shows on the first screen; it opens on a tap
    assert phone_page.locator(".filter-bar").is_hidden()
    assert phone_page.locator("#case-rows tbody tr").first.bounding_box()["y"] < PHONE["height"]
    shot(phone_page, "phone_case_list")
    phone_page.click("details.filter-box > summary")
    assert phone_page.locator(".filter-bar").is_visible()
