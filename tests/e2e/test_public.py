"""A resident on a phone reports a problem with a photo (map tap for the location) and follows it
by number and code, before and after the office accepts it."""

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.public.models import Report
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.tests.factories import jpeg_bytes
from tests.e2e.conftest import shot
from tests.e2e.worlds import citizen_city

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_with_photo_and_follow_by_number(phone_page, live_server, tmp_path):
    world = citizen_city()
    office, district = world.office, world.district
    photo = tmp_path / "problem.jpg"
    photo.write_bytes(jpeg_bytes(size=(320, 240), exif_note="secret"))
    page = phone_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/public/report/")
    page.select_option("select[name=category]", label="暴露垃圾")
    page.set_input_files("input[name=photos]", str(photo))
    page.locator("#report-map").click(position={"x": 150, "y": 120})
    assert page.input_value("input[name=lat]") != ""
    page.fill("textarea[name=description]", "小区门口垃圾桶满溢，垃圾散落一地")
    page.fill("input[name=phone]", "13800138000")
    shot(page, "public_report_form_phone")
    page.click("button[type=submit]")
    number = page.inner_text("#report-number").strip()
    code = page.inner_text("#follow-code").strip()
    assert number.startswith("SP") and len(code) == 6
    shot(page, "public_report_done_phone")
    report = Report.objects.get(number=number)
    assert report.photos.count() == 1 and report.area is not None and report.unit == district

    page.goto(f"{live_server.url}/public/follow/")
    page.fill("input[name=number]", number)
    page.fill("input[name=code]", code)
    page.click("button[type=submit]")
    assert page.inner_text("#follow-status") == "待审核"

    accept_report(report=report, actor=user_with_role(Role.OFFICE_STAFF, office), public_description="垃圾桶满溢")
    page.reload()
    status = page.inner_text("#follow-status")
    assert status not in ("待审核", "")
    shot(page, "public_follow_phone")
    page.goto(f"{live_server.url}/public/board/{number}/")
    assert "垃圾桶满溢" in page.inner_text("main")
    assert page.locator(".photos img").count() == 1
    assert not errors, errors
