"""A resident in 长辈模式 on a phone reports a problem, follows it with number and code (never in the address bar),
sees the reply and after photo once it is closed, rates it 不满意, praises the unit; the office calls back."""

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.public.models import CallbackStatus, CallbackTask, Praise, Report
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.tests.factories import jpeg_bytes
from tests.e2e.conftest import login, shot
from tests.e2e.worlds import citizen_city

pytestmark = pytest.mark.django_db(transaction=True)


def test_elder_mode_report_follow_rate_praise_and_callback(phone_page, browser, live_server, tmp_path):
    world = citizen_city()
    staff = user_with_role(Role.OFFICE_STAFF, world.office, username="staff")
    staff.set_password("Demo-2026")
    staff.save()
    handler = user_with_role(Role.UNIT_HANDLER, world.district)
    photo = tmp_path / "problem.jpg"
    photo.write_bytes(jpeg_bytes(size=(320, 240)))
    page = phone_page
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/public/")
    page.click("#elder-on")
    assert "elder" in page.get_attribute("body", "class")
    page.goto(f"{live_server.url}/public/report/")
    assert page.locator(".step-no").first.is_visible() and not page.locator("#id_name").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".map-fallback").is_visible()  # no tiles configured: the map says so
    page.select_option("select[name=category]", label="暴露垃圾")
    page.set_input_files("input[name=photos]", str(photo))
    page.locator("#report-map").click(position={"x": 150, "y": 120})
    page.fill("textarea[name=description]", "路口垃圾桶满溢，无人清运")
    page.fill("input[name=phone]", "13800138000")
    shot(page, "public_elder_report_phone")
    page.click("button[type=submit]")
    number = page.inner_text("#report-number").strip()
    code = page.inner_text("#follow-code").strip()

    report = Report.objects.get(number=number)
    report = accept_report(report=report, actor=staff)
    case = transition(report.case, Action.SIGN, actor=handler)
    case = transition(case, Action.START, actor=handler)
    evidence = [jpeg_upload(taken_at="2099:01:01 10:00:00", gps=(120.0, 30.0))]
    case = transition(case, Action.SUBMIT, actor=handler, evidence=evidence, note="已清运并增设垃圾桶")
    transition(case, Action.VERIFY, actor=staff)

    other = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN").new_page()
    other.goto(f"{live_server.url}/public/follow/")
    other.fill("input[name=number]", number)
    other.fill("input[name=code]", code)
    other.click("#follow-form button[type=submit]")
    assert code not in other.url and "code" not in other.url
    assert "已清运并增设垃圾桶" in other.inner_text("#closure-reply")
    assert other.locator("#after-photos img").count() == 1
    assert "获得" in other.inner_text("#follow-points") and "无现金价值" in other.inner_text("#follow-points")
    other.check("input[name=level][value=unsatisfied]")
    other.fill("textarea[name=reason]", "垃圾桶又满了，清运不及时")
    shot(other, "public_rating_phone")
    other.click("#rating-form button[type=submit]")
    assert "创建办将尽快与您联系回访" in other.inner_text("#rating-done")
    other.click("text=表扬办理单位")
    other.select_option("select[name=unit]", label="东城区")
    other.fill("textarea[name=message]", "清运师傅很辛苦，谢谢！")
    other.click("#praise-form button[type=submit]")
    assert "提交成功" in other.inner_text("#praise-done")
    assert Praise.objects.get().report == report

    office = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    login(office, live_server, "staff", "Demo-2026")
    office.goto(f"{live_server.url}/public/callbacks/")
    row = office.locator("#callback-table tbody tr", has_text=number)
    row.locator("select[name=outcome]").select_option("explained")
    row.locator("textarea[name=note]").fill("已电话回访，明日加派清运车")
    shot(office, "office_callbacks")
    row.locator("button[type=submit]").click()
    assert "已登记" in office.inner_text(".messages")
    assert CallbackTask.objects.get().status == CallbackStatus.DONE
    assert errors == []
