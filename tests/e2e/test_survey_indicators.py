"""Browser: the office builds a survey with a 知晓率 question and a quota, a surveyor (督查员) answers two
households on a 390 px phone (one bad answer refused first), and the results page shows 知晓率 with its interval."""

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.public.indicators import wilson_interval
from chuangcheng.public.models import Survey, SurveyResponse
from tests.e2e.conftest import login, shot
from tests.e2e.worlds import citizen_city

pytestmark = pytest.mark.django_db(transaction=True)


def _user(role, unit, username):
    user = user_with_role(role, unit, username=username)
    user.set_password("Demo-2026")
    user.save()
    return user


def test_office_builds_awareness_survey_surveyor_answers_on_phone_results_show_interval(page, phone_page, live_server):
    world = citizen_city()
    _user(Role.OFFICE_STAFF, world.office, "staff")
    _user(Role.INSPECTOR, world.city, "surveyor")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    phone_page.on("pageerror", lambda exc: errors.append(str(exc)))

    login(page, live_server, "staff", "Demo-2026")
    page.goto(f"{live_server.url}/public/surveys/new/")
    page.fill("input[name=title]", "创文知晓率入户调查")
    page.uncheck("input[name=with_template]")
    page.get_by_role("button", name="创建").click()
    page.wait_for_url(lambda url: "/new/" not in url)
    page.select_option("select[name=kind]", "single")
    page.fill("input[name=text]", "您是否知道本市正在创建全国文明城市？")
    page.fill("textarea[name=options]", "知道*\n不知道")
    page.select_option("select[name=indicator]", label="知晓率")
    page.click("button[value=add_question]")
    assert page.locator("ol.questions").get_by_text("计入知晓率").is_visible()
    page.click("button[value=publish]")
    page.select_option("select[name=area]", label="东城区")
    page.fill("input[name=households]", "2")
    page.click("button[value=set_quota]")
    assert "入户配额已保存" in page.content()
    survey = Survey.objects.get(title="创文知晓率入户调查")

    phone = phone_page
    login(phone, live_server, "surveyor", "Demo-2026")
    phone.goto(f"{live_server.url}/public/surveys/collect/")
    phone.get_by_role("link", name="创文知晓率入户调查").click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.select_option("#id_area", label="东城区")
    phone.get_by_role("button", name="保存该户答卷").click()  # no household reference: refused, nothing stored
    assert "请填写户号或门牌" in phone.locator("#survey-error").inner_text()
    assert not SurveyResponse.objects.exists()
    for house, answer in (("3-101", "知道"), ("3-102", "不知道")):
        phone.select_option("#id_area", label="东城区")
        phone.fill("#id_household_ref", house)
        phone.get_by_label(answer, exact=True).check()
        phone.get_by_role("button", name="保存该户答卷").click()
        assert "已保存该户答卷" in phone.content()
    assert "100.0%" in phone.locator("#quota-progress").inner_text()
    shot(phone, "survey_collect_phone")

    page.goto(f"{live_server.url}/public/surveys/indicators/?survey={survey.pk}")
    row = page.locator("#indicator-results tbody tr").first.inner_text()
    low, high = wilson_interval(1, 2)
    assert "知晓率" in row and "东城区" in row and "1/2" in row and "50.0%" in row
    assert f"{round(low * 100, 1)}% – {round(high * 100, 1)}%" in row
    assert "Wilson" in page.content()
    shot(page, "survey_indicators")
    assert errors == []
