"""文明创建 in a real browser: the office walks the 文明单位 list → annual review with a PDF → 黄牌警示, then
checks a publicity point with a photo (破损), opens a case from it, and sees the point on the map."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases.models import Case
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.civility.models import CivilizedUnit, PublicityCheck
from chuangcheng.civility.tests.factories import CivilizedUnitFactory, publicity_category
from chuangcheng.dossiers.demo_files import pdf_bytes
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import SiteFactory
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Test-pass-2026"


@pytest.fixture
def civility_world():
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    street = UnitFactory(code="D01-S01", name="东城一街道", kind=UnitKind.STREET, parent=east)
    user_with_role(Role.OFFICE_ADMIN, office, username="civ_office")
    honour = CivilizedUnitFactory(name="市图书馆（测试）", unit=east, year_awarded=2020)
    CivilizedUnitFactory(name="市博物馆（测试）", unit=east, year_awarded=2021, level="provincial")
    site = SiteFactory(
        code="XC901", name="人民路核心价值观宣传栏", category=publicity_category(), unit=street, lng=116.8, lat=33.95
    )
    return {"honour": honour, "site": site}


def test_list_review_warning_then_publicity_check_with_photo_to_case(page, live_server, civility_world, tmp_path):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, "civ_office", PASSWORD)

    page.goto(f"{live_server.url}/civility/units/")
    assert "市博物馆（测试）" in page.inner_text("#unit-list")
    page.fill("input[name=q]", "图书馆")
    page.click(".filter-bar button[type=submit]")
    assert "市博物馆（测试）" not in page.inner_text("#unit-list")
    page.click("#unit-list >> text=市图书馆（测试）")
    page.wait_for_url(re.compile(r".*/civility/units/\d+/$"))
    detail_url = page.url

    report = tmp_path / "复查报告.pdf"
    report.write_bytes(pdf_bytes("2025年度复查报告（浏览器测试）", ["门前环境卫生需改进"]))
    page.click("summary:text('登记复查结果')")
    page.fill("#review-form input[name=year]", "2025")
    page.select_option("#review-form select[name=result]", "warning")
    page.fill("#review-form textarea[name=reasons]", "门前环境卫生反复出现问题")
    page.set_input_files("#review-form input[name=files]", str(report))
    page.click("#review-form button[type=submit]")
    page.wait_for_url(detail_url)
    reviews = page.inner_text("#review-list")
    assert "2025" in reviews and "警示" in reviews and "复查报告.pdf" in reviews

    assert page.locator("#action-revoke").count() == 0  # 有效 → 撤销 needs a warning or a failed review first
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    page.fill("#action-warn textarea[name=reason]", "复查为警示，限期整改门前环境卫生")
    page.fill("#action-warn input[name=deadline]", deadline)
    page.click("#action-warn button[type=submit]")
    page.wait_for_url(detail_url)
    assert "警示" in page.inner_text("#honour-status")
    assert page.inner_text("#warning-deadline") == deadline
    assert "有效 → 警示" in page.inner_text("#change-list")
    assert page.locator("#action-lift").count() == 1 and page.locator("#action-revoke").count() == 1
    shot(page, "civility-unit-warned")
    assert CivilizedUnit.objects.get(pk=civility_world["honour"].pk).status == "warned"

    page.goto(f"{live_server.url}/civility/points/")
    page.click("#point-list >> text=人民路核心价值观宣传栏")
    page.wait_for_url(re.compile(r".*/civility/points/\d+/$"))
    point_url = page.url
    photo = tmp_path / "宣传栏.jpg"
    photo.write_bytes(jpeg_upload("宣传栏.jpg").read())
    page.select_option("#check-form select[name=state]", "damaged")
    page.set_input_files("#check-form input[name=photo]", str(photo))
    page.fill("#check-form input[name=note]", "宣传栏玻璃破裂")
    page.click("#check-form button[type=submit]")
    page.wait_for_url(point_url)
    assert "破损" in page.inner_text("#point-state")
    page.click("#check-list button:text('立案整改')")
    page.wait_for_url(point_url)
    check = PublicityCheck.objects.get()
    case = Case.objects.get(pk=check.case_id)
    assert case.number in page.inner_text("#check-list") and case.site_id == civility_world["site"].pk
    assert case.photos.count() == 1
    shot(page, "civility-point-case")

    page.goto(f"{live_server.url}/civility/points/map/")
    page.wait_for_selector("#map[data-ready='1']")
    assert "破损 1" in page.inner_text("#point-legend")
    assert not errors, errors
