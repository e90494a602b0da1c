"""Browser: a community worker registers a volunteer (a second registration with the same ID number is refused),
publishes an activity, signs the volunteer in and out on a 390 px phone, a volunteer signs in with the short
code on their own phone, a street head corrects a missing sign-out with a reason, and the hours page shows
the totals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.volunteers.models import Activity, Participation, Volunteer
from chuangcheng.volunteers.tests.factories import id_number
from tests.e2e.conftest import PHONE, login, shot

pytestmark = pytest.mark.django_db(transaction=True)


def _user(role, unit, username):
    user = user_with_role(role, unit, username=username)
    user.set_password("Demo-2026")
    user.save()
    return user


def _register(page, live_server, name, phone, number, unit_label):
    page.goto(f"{live_server.url}/volunteers/new/")
    page.fill("input[name=name]", name)
    page.fill("input[name=phone]", phone)
    page.fill("input[name=id_number]", number)
    page.select_option("select[name=unit]", label=unit_label)
    page.get_by_role("button", name="保存").click()


def test_registry_activity_phone_sign_in_and_hours(page, phone_page, browser, live_server):
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    street = UnitFactory(code="S01", name="相南街道", kind=UnitKind.STREET, parent=city)
    community = UnitFactory(code="S01-C01", name="春秋社区", kind=UnitKind.COMMUNITY, parent=street)
    _user(Role.GRID_WORKER, community, "worker")
    _user(Role.UNIT_HEAD, street, "street")
    errors: list[str] = []
    for p in (page, phone_page):
        p.on("pageerror", lambda exc: errors.append(str(exc)))

    login(page, live_server, "worker", "Demo-2026")
    _register(page, live_server, "张志愿", "13800000001", id_number(1), "春秋社区")
    assert "志愿者已登记" in page.content() and "138****0001" in page.content()
    assert id_number(1) not in page.content()
    _register(page, live_server, "张冒名", "13800000002", id_number(1), "春秋社区")  # same ID number
    assert "该身份证号已登记为志愿者" in page.locator(".has-error").inner_text()
    _register(page, live_server, "李自助", "13800000003", id_number(3), "春秋社区")
    assert Volunteer.objects.count() == 2

    start = timezone.localtime() - timedelta(minutes=30)
    page.goto(f"{live_server.url}/volunteers/activities/new/")
    page.fill("input[name=title]", "爱国卫生运动·清洁家园")
    page.select_option("select[name=kind]", label="爱国卫生运动")
    page.select_option("select[name=unit]", label="春秋社区")
    page.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ends_at]", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="保存").click()
    assert "活动已发布" in page.content()
    activity = Activity.objects.get()
    code = page.locator("#activity-code").inner_text()
    assert code == activity.code

    phone = phone_page
    login(phone, live_server, "worker", "Demo-2026")
    phone.goto(f"{live_server.url}/volunteers/activities/{activity.pk}/check/")
    phone.fill("input[name=q]", "张志")
    phone.get_by_role("button", name="查找").click()
    phone.locator("#found-list").get_by_role("button", name="签到").click()
    assert "张志愿已签到" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "volunteers_check_phone")
    phone.locator("#check-list").get_by_role("button", name="签退").click()
    assert "张志愿已签退" in phone.content()

    own = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    volunteer_phone = own.new_page()
    volunteer_phone.on("pageerror", lambda exc: errors.append(str(exc)))
    volunteer_phone.goto(f"{live_server.url}/volunteers/checkin/?code={code}")
    volunteer_phone.fill("input[name=phone]", "13800000003")
    volunteer_phone.fill("input[name=id_last4]", id_number(3)[-4:])
    volunteer_phone.get_by_role("button", name="提交").click()
    assert "李自助，签到成功" in volunteer_phone.locator("#self-check-result").inner_text()
    assert volunteer_phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(volunteer_phone, "volunteers_self_check_phone")
    own.close()

    page.context.clear_cookies()
    login(page, live_server, "street", "Demo-2026")
    page.goto(f"{live_server.url}/volunteers/activities/{activity.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="结束活动").click()
    assert "活动已结束" in page.content() and "未签退" in page.content()
    row = page.locator("#participant-list tr", has_text="李自助")
    row.locator("input[name=hours]").fill("1.5")
    row.locator("input[name=reason]").fill("忘记签退，按现场签到表核定")
    row.get_by_role("button", name="核定").click()
    assert "已核定李自助的服务时长" in page.content()
    assert Participation.objects.get(volunteer__name="李自助").corrected_hours == 1.5

    page.goto(f"{live_server.url}/volunteers/hours/?month={timezone.localdate():%Y-%m}")
    by_volunteer = page.locator("#hours-by-volunteer").inner_text()
    assert "李自助" in by_volunteer and "1.5" in by_volunteer and "张志愿" in by_volunteer
    assert "春秋社区" in page.locator("#hours-by-unit").inner_text()
    shot(page, "volunteers_hours")
    assert errors == []
