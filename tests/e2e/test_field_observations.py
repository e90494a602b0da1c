"""模拟测评 on the phone (390 px): 达标/不达标/不适用 per observation, kept offline, synced once, one case per
failed item, and the 得分率 page."""

from datetime import date
from decimal import Decimal

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases.models import Case
from chuangcheng.inspections import services
from chuangcheng.inspections.models import Finding, Observation, SiteVisit
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, SiteFactory
from chuangcheng.standards.models import StandardKind, StandardStatus
from chuangcheng.standards.tests.factories import CheckItemFactory, StandardFactory
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def mock_visit():
    """An open 模拟测评 with one drawn market: two observed items (3 and 2 observations) and a deduction item."""
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="EAST", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    area = AreaFactory(code="AE", name="东城", level=2, unit=east)
    market = SiteCategoryFactory(code="market", name="农贸市场")
    SiteFactory(code="M1", name="东门农贸市场", category=market, area=area, unit=east, address="东门路1号")
    standard = StandardFactory(kind=StandardKind.CIVILIZED_CITY, status=StandardStatus.PUBLISHED)
    clean = CheckItemFactory(
        standard=standard,
        code="O1",
        title="市场内无乱扔垃圾",
        judgement="observe",
        full_points=Decimal("4"),
        observations=3,
        site_categories=[market],
    )
    ads = CheckItemFactory(
        standard=standard,
        code="O2",
        title="公益广告规范设置",
        judgement="observe",
        full_points=None,
        observations=2,
        site_categories=[market],
    )
    posters = CheckItemFactory(standard=standard, code="D1", title="乱贴乱画", points=1, site_categories=[market])
    admin = user_with_role(Role.OFFICE_ADMIN, office, username="office")
    inspector = user_with_role(Role.INSPECTOR, office, username="inspector")
    round_ = services.create_round(
        actor=admin,
        name="模拟测评（演示）",
        kind="mock",
        unit=office,
        standard=standard,
        is_secret=False,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 12, 31),
        inspectors=[inspector],
    )
    services.draw_round(round_=round_, actor=admin, seed=2026)  # the default plan: 3 markets, only one exists
    services.assign_visits(round_=round_, actor=admin, assignments="auto")
    return SiteVisit.objects.get(round=round_), clean, ads, posters


def observe(page, item, seq, value):
    page.locator(f".field-item[data-item='{item.pk}'] [data-seq='{seq}'] input[value={value}]").check()


def test_observations_on_the_phone_offline_then_synced_once(phone_page, live_server):
    visit, clean, ads, posters = mock_visit()
    page = phone_page
    login(page, live_server, "inspector", "Test-pass-2026")
    page.goto(f"{live_server.url}/inspections/visits/{visit.pk}/")
    page.wait_for_selector("body[data-field-ready='1']")
    page.wait_for_selector("body[data-offline-ready='1']", timeout=15000)
    card = page.locator(f".field-item[data-item='{clean.pk}']")
    assert card.locator(".observe-row").count() == 3 and "分值 4" in card.inner_text()
    assert "分值待核实" in page.locator(f".field-item[data-item='{ads.pk}']").inner_text()
    page.context.set_offline(True)
    observe(page, clean, 1, "pass")
    observe(page, clean, 2, "fail")
    page.locator(f".field-item[data-item='{posters.pk}'] input[value=pass]").check()
    page.click("#submit-visit")  # O1's third observation and O2 are missing: refused on the phone
    page.wait_for_selector("#sync-status[data-state=error]")
    assert "缺 1 次" in page.inner_text("#sync-status") and "不适用" in page.inner_text("#sync-status")
    observe(page, clean, 3, "pass")
    card.locator("textarea.note").fill("演示：入口处有垃圾")
    page.locator(f".field-item[data-item='{ads.pk}'] button.observe-na").click()
    page.click("#submit-visit")
    page.wait_for_selector("#sync-status[data-state=queued]")
    page.reload()  # offline: the service worker serves the page, the answers come back from the device
    page.wait_for_selector("body[data-field-ready='1']")
    assert card.locator("[data-seq='2'] input[value=fail]").is_checked()
    assert page.locator(f".field-item[data-item='{ads.pk}'] [data-seq='2'] input[value=na]").is_checked()
    assert not Observation.objects.filter(visit=visit).exists()
    page.context.set_offline(False)
    page.click("#sync-now")
    page.wait_for_selector("#sync-status[data-state=synced]", timeout=15000)
    page.wait_for_selector("body:not([data-syncing='1'])")
    shot(page, "inspections-field-observations")
    visit.refresh_from_db()
    assert visit.status == "done"
    stored = {(o.check_item_id, o.seq): o.passed for o in Observation.objects.filter(visit=visit)}
    assert stored == {
        (clean.pk, 1): True,
        (clean.pk, 2): False,
        (clean.pk, 3): True,
        (ads.pk, 1): None,
        (ads.pk, 2): None,
    }
    assert Finding.objects.get(visit=visit).check_item_id == posters.pk
    case = Case.objects.get(round_visit_id=visit.pk)
    assert case.check_item_id == clean.pk and "入口处有垃圾" in case.description
    page.click("#sync-now")  # sending again changes nothing
    page.wait_for_selector("body:not([data-syncing='1'])")
    assert Observation.objects.filter(visit=visit).count() == 5 and Case.objects.count() == 1


def test_evaluation_page_after_close(page, live_server):
    visit, clean, ads, _posters = mock_visit()
    inspector = visit.round.inspectors.get()
    rows = [
        {"uuid": f"00000000-0000-4000-8000-00000000000{n}", "check_item": item.pk, "seq": seq, "passed": passed}
        for n, (item, seq, passed) in enumerate(
            [(clean, 1, True), (clean, 2, False), (clean, 3, True), (ads, 1, True), (ads, 2, None)]
        )
    ]
    services.sync_visit(actor=inspector, visit=visit, items=[], observations=rows)
    services.close_round(round_=visit.round, actor=visit.round.created_by)
    login(page, live_server, "office", "Test-pass-2026")
    page.goto(f"{live_server.url}/inspections/{visit.round_id}/")
    page.click("text=模拟测评得分率")
    page.wait_for_selector("#eval-rate")
    assert page.inner_text("#eval-rate") == "66.67%"
    assert "分值待核实" in page.inner_text("main")
    shot(page, "inspections-evaluation")
