"""The phone checklist with the phone's location switched on (issue 13, item 1).

Once the position had been saved on the device, the answers tapped afterwards were dropped: the visit
reached the server with no items, was marked 已检查 and no finding or case was made. Each test here runs at
phone size with geolocation granted and checks the findings and the cases in the database.
"""

from datetime import date
from decimal import Decimal

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases.models import Case
from chuangcheng.inspections import services
from chuangcheng.inspections.models import Finding, SiteVisit
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, SiteFactory
from chuangcheng.standards.tests.factories import CheckItemFactory, StandardFactory
from tests.e2e.conftest import PHONE, login, shot

pytestmark = pytest.mark.django_db(transaction=True)

POSITION = {"latitude": 30.27415, "longitude": 120.15515, "accuracy": 8}


def open_round_visit():
    """An open (明查) round with one drawn visit of a market with two check items, assigned to `inspector`."""
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="EAST", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    area = AreaFactory(code="AE", name="东城", level=2, unit=east)
    market = SiteCategoryFactory(code="market", name="农贸市场")
    SiteFactory(code="M1", name="东门农贸市场", category=market, area=area, unit=east, address="东门路1号")
    standard = StandardFactory()
    water = CheckItemFactory(
        standard=standard, code="K1", title="地面无积水垃圾", points=Decimal("2"), site_categories=[market]
    )
    screens = CheckItemFactory(
        standard=standard, code="K2", title="三防设施完好", points=None, site_categories=[market]
    )
    admin = user_with_role(Role.OFFICE_ADMIN, office, username="office")
    inspector = user_with_role(Role.INSPECTOR, office, username="inspector")
    round_ = services.create_round(
        actor=admin,
        name="市场明查",
        kind="open",
        unit=office,
        standard=standard,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 12, 31),
        inspectors=[inspector],
    )
    services.set_sampling_plan(round_=round_, actor=admin, quotas={market.pk: 1})
    services.draw_round(round_=round_, actor=admin, seed=2026)
    services.assign_visits(round_=round_, actor=admin, assignments="auto")
    return SiteVisit.objects.get(round=round_), water, screens


@pytest.fixture
def located_phone(browser):
    """A phone that has granted the page its location."""
    context = browser.new_context(
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        geolocation=POSITION,
        permissions=["geolocation"],
    )
    page = context.new_page()
    yield page
    context.close()


def open_checklist(page, live_server, visit):
    page.goto(f"{live_server.url}/inspections/visits/{visit.pk}/")
    page.wait_for_selector("body[data-field-ready='1']")


def wait_until_located(page):
    page.wait_for_selector("#gps-status:has-text('已定位')")
    # The position is kept on the device together with the answers; a sync round (as on load, every
    # 15 s or by the button) must not bring back a copy from before the answers below.
    page.click("#sync-now")
    page.wait_for_selector("body:not([data-syncing='1'])")


def answer(page, water, screens, *, note="摊位前积水"):
    card = page.locator(f".field-item[data-item='{water.pk}']")
    card.locator("input[value=deduct]").check()
    card.locator("input.count").fill("3")
    card.locator("textarea.note").fill(note)
    page.locator(f".field-item[data-item='{screens.pk}'] input[value=pass]").check()
    page.fill("#visit-note", "上午十点检查")


def assert_on_server(visit, water, screens, *, note="摊位前积水"):
    visit.refresh_from_db()
    assert visit.status == "done"
    assert (round(visit.lng, 5), round(visit.lat, 5)) == (POSITION["longitude"], POSITION["latitude"])
    assert visit.note == "上午十点检查"
    deduction = Finding.objects.get(visit=visit, check_item=water)
    assert (deduction.result, deduction.count, deduction.note) == ("deduct", 3, note)
    assert Finding.objects.get(visit=visit, check_item=screens).result == "pass"
    # an open round opens the case as soon as the visit is submitted
    case = Case.objects.get(pk=deduction.case_id)
    assert case.source == "inspection" and case.round_visit_id == visit.pk and case.check_item_id == water.pk
    assert Case.objects.filter(round_visit_id=visit.pk).count() == 1


def test_answers_after_the_position_is_saved_reach_the_server(located_phone, live_server):
    visit, water, screens = open_round_visit()
    page = located_phone
    login(page, live_server, "inspector", "Test-pass-2026")
    open_checklist(page, live_server, visit)
    wait_until_located(page)
    answer(page, water, screens)
    page.click("#submit-visit")
    page.wait_for_selector("#sync-status[data-state=synced]", timeout=15000)
    shot(page, "inspections-field-located")
    assert_on_server(visit, water, screens)
    # a correction after the first submission is sent too (the page still edits its live record)
    page.locator(f".field-item[data-item='{water.pk}'] textarea.note").fill("摊位前积水，已拍照")
    page.click("#submit-visit")
    # the case exists, so the finding is locked: the correction is refused with a message saying why
    page.wait_for_selector("#sync-status[data-state=error]", timeout=15000)
    assert "已生成问题" in page.inner_text("#sync-status")
    page.wait_for_selector("body:not([data-syncing='1'])")
    assert Finding.objects.get(visit=visit, check_item=water).note == "摊位前积水"


def test_answers_given_offline_with_location_reach_the_server_once_online(located_phone, live_server):
    visit, water, screens = open_round_visit()
    page = located_phone
    login(page, live_server, "inspector", "Test-pass-2026")
    open_checklist(page, live_server, visit)
    page.wait_for_selector("body[data-offline-ready='1']", timeout=15000)
    wait_until_located(page)
    page.context.set_offline(True)
    answer(page, water, screens)
    page.click("#submit-visit")
    page.wait_for_selector("#sync-status[data-state=queued]")
    assert "离线" in page.inner_text("#sync-status")
    assert not Finding.objects.filter(visit=visit).exists()
    page.reload()  # served by the service worker while offline; the answers come back from the device
    page.wait_for_selector("body[data-field-ready='1']")
    assert page.locator(f".field-item[data-item='{water.pk}'] input.count").input_value() == "3"
    page.context.set_offline(False)
    page.click("#sync-now")
    page.wait_for_selector("#sync-status[data-state=synced]", timeout=15000)
    page.wait_for_selector("body:not([data-syncing='1'])")
    assert_on_server(visit, water, screens)


def test_answers_survive_losing_the_location_permission(located_phone, live_server):
    visit, water, screens = open_round_visit()
    page = located_phone
    login(page, live_server, "inspector", "Test-pass-2026")
    open_checklist(page, live_server, visit)
    wait_until_located(page)
    page.locator(f".field-item[data-item='{water.pk}'] input[value=deduct]").check()
    page.context.clear_permissions()  # the inspector switches location off for the browser
    page.reload()
    page.wait_for_selector("body[data-field-ready='1']")
    page.wait_for_selector("#gps-status:has-text('上次定位')")
    page.click("#sync-now")
    page.wait_for_selector("body:not([data-syncing='1'])")
    answer(page, water, screens)
    page.click("#submit-visit")
    page.wait_for_selector("#sync-status[data-state=synced]", timeout=15000)
    page.wait_for_selector("body:not([data-syncing='1'])")
    assert_on_server(visit, water, screens)


def test_a_checklist_with_no_answer_is_not_sent_as_done(located_phone, live_server):
    visit, water, screens = open_round_visit()
    page = located_phone
    login(page, live_server, "inspector", "Test-pass-2026")
    open_checklist(page, live_server, visit)
    wait_until_located(page)
    page.click("#submit-visit")
    page.wait_for_selector("#sync-status[data-state=error]")
    assert "检查项" in page.inner_text("#sync-status")
    page.wait_for_selector("body:not([data-syncing='1'])")
    visit.refresh_from_db()
    assert visit.status != "done"
    assert not Finding.objects.filter(visit=visit).exists()


def test_answers_changed_while_the_upload_is_on_the_way_are_sent_too(located_phone, live_server):
    visit, water, screens = open_round_visit()
    page = located_phone
    login(page, live_server, "inspector", "Test-pass-2026")
    open_checklist(page, live_server, visit)
    wait_until_located(page)
    held = []
    page.route("**/api/v1/inspections/sync/", lambda route: held.append(route))
    page.locator(f".field-item[data-item='{screens.pk}'] input[value=pass]").check()
    page.click("#submit-visit")
    page.wait_for_selector("body[data-syncing='1']")
    while not held:
        page.wait_for_timeout(50)
    answer(page, water, screens)  # tapped while the first upload (K2 only) is still on the way
    held[0].continue_()
    page.unroute("**/api/v1/inspections/sync/")
    # the same sync round sends the newer answers at once (not 15 s later, not only on another tap)
    page.wait_for_selector("body:not([data-syncing='1'])", timeout=10000)
    assert_on_server(visit, water, screens)
    assert page.get_attribute("#sync-status", "data-state") == "synced"
