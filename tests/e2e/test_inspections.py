"""A site visit on a phone: photo, network lost, reload while offline, back online, synced exactly once."""

from datetime import date
from decimal import Decimal

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.inspections import services
from chuangcheng.inspections.models import Finding, FindingPhoto, SiteVisit
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, SiteFactory
from chuangcheng.standards.tests.factories import CheckItemFactory, StandardFactory
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def setup_visit():
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="EAST", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    area = AreaFactory(code="AE", name="东城", level=2, unit=east)
    market = SiteCategoryFactory(code="market", name="农贸市场")
    SiteFactory(code="M1", name="东门农贸市场", category=market, area=area, unit=east, address="东门路1号")
    standard = StandardFactory()
    item = CheckItemFactory(
        standard=standard, code="K1", title="地面有积水垃圾", points=Decimal("2"), site_categories=[market]
    )
    CheckItemFactory(standard=standard, code="K2", title="三防设施缺失", points=None, site_categories=[market])
    admin = user_with_role(Role.OFFICE_ADMIN, office, username="office")
    inspector = user_with_role(Role.INSPECTOR, office, username="inspector")
    round_ = services.create_round(
        actor=admin,
        name="市场暗访",
        kind="covert",
        unit=office,
        standard=standard,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        inspectors=[inspector],
    )
    services.set_sampling_plan(round_=round_, actor=admin, quotas={market.pk: 1})
    services.draw_round(round_=round_, actor=admin, seed=2026)
    services.assign_visits(round_=round_, actor=admin, assignments="auto")
    return SiteVisit.objects.get(round=round_), item


def test_site_visit_survives_offline_reload_and_syncs_once(phone_page, live_server, tmp_path):
    visit, item = setup_visit()
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    page = phone_page
    login(page, live_server, "inspector", "Test-pass-2026")
    page.goto(f"{live_server.url}/inspections/mine/")
    status = page.locator("td .badge", has_text="待检查").first
    font = float(status.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert status.bounding_box()["height"] < 2 * font, "状态标签在手机上折成了多行"
    # a narrow column (long site names and addresses) must not break it either
    assert status.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    page.click("text=东门农贸市场")
    page.wait_for_selector("body[data-field-ready='1']")
    page.wait_for_selector("body[data-offline-ready='1']", timeout=15000)
    card = page.locator(f".field-item[data-item='{item.pk}']")
    card.locator("input[value=deduct]").check()
    card.locator("input.count").fill("2")
    card.locator("textarea.note").fill("摊位前积水")
    card.locator("input.photo").set_input_files(str(photo))
    card.locator("img.thumb").wait_for()
    shot(page, "inspections-field-phone")

    page.context.set_offline(True)
    page.click("#submit-visit")
    page.wait_for_selector("#sync-status[data-state=queued]")
    assert "离线" in page.inner_text("#sync-status")
    assert not Finding.objects.filter(visit=visit).exists()

    page.reload()
    page.wait_for_selector("body[data-field-ready='1']")
    card = page.locator(f".field-item[data-item='{item.pk}']")
    assert card.locator("input[value=deduct]").is_checked()
    assert card.locator("input.count").input_value() == "2"
    assert card.locator("textarea.note").input_value() == "摊位前积水"
    assert card.locator("img.thumb").count() == 1
    assert page.get_attribute("#sync-status", "data-state") == "queued"
    shot(page, "inspections-field-offline")

    page.context.set_offline(False)
    page.click("#sync-now")
    page.wait_for_selector("#sync-status[data-state=synced]", timeout=15000)
    page.click("#submit-visit")
    page.wait_for_selector("#sync-status[data-state=synced]", timeout=15000)
    finding = Finding.objects.get(visit=visit)
    assert (finding.result, finding.count, finding.note) == ("deduct", 2, "摊位前积水")
    assert FindingPhoto.objects.filter(finding__visit=visit).count() == 1
    visit.refresh_from_db()
    assert visit.status == "done"
    # Let any sync still in flight (the page also syncs on "online" and every 15 s) finish before the
    # test database is flushed.
    page.wait_for_selector("body:not([data-syncing='1'])")
    page.close()
