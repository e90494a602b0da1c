"""Browser: the 创文 flow of issue 15 end to end.

The office creates a 创文 draft, imports a 测评操作手册 (.xlsx: upload → preview → confirm) and publishes it;
creates a 模拟测评 round on it, draws and assigns it; an inspector records 达标/不达标 per observation on a
390 px phone; the office ends the round and reads the 得分率 report; the failure became a case; a surveyor
answers a 知晓率 questionnaire on the phone and the indicators page shows it; the readiness forecast runs
for the imported 创文 standard (观察计分: 分值 × 达标率).
"""

from datetime import date
from decimal import Decimal

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases.models import Case
from chuangcheng.inspections.models import InspectionRound, Observation, SiteVisit
from chuangcheng.places.models import SiteCategory
from chuangcheng.places.services.categories import load_site_categories
from chuangcheng.places.tests.factories import SiteFactory
from chuangcheng.public.models import Survey
from chuangcheng.standards.demo_evaluation import manual_rows, obs, passfail
from chuangcheng.standards.models import CheckItem, Standard
from chuangcheng.standards.services import write_manual_xlsx
from tests.e2e.conftest import login, shot
from tests.e2e.worlds import citizen_city

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Demo-2026"
CROSS, MARKET = "主要交通路口", "农贸市场"
# A small manual (示例): two observed standards at a crossing, one at a market, a questionnaire and a material.
MANUAL = (
    (
        "公共秩序",
        [
            (
                "文明交通",
                "实地考察",
                [obs("机动车礼让行人", (CROSS,), 2, 2), obs("文明交通志愿者劝导", (CROSS,), 1, 2)],
                (),
                None,
            ),
            ("市民文明素养", "问卷调查", [passfail("创建知晓率达到目标（示例）", 3)], (), None),
        ],
    ),
    (
        "市容环境",
        [
            ("农贸市场", "实地考察", [obs("地面无积水、无垃圾", (MARKET,), 2, 2)], (), None),
            ("创建材料", "材料审核", [], ("年度创建工作计划（示例）",), Decimal(2)),
        ],
    ),
)


def _user(role, unit, username):
    user = user_with_role(role, unit, username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def _world():
    world = citizen_city()
    load_site_categories(actor=None)
    categories = {c.name: c for c in SiteCategory.objects.filter(name__in=(CROSS, MARKET))}
    SiteFactory(code="X1", name="人民路口", category=categories[CROSS], area=world.east, unit=world.district)
    SiteFactory(code="M1", name="东门农贸市场", category=categories[MARKET], area=world.east, unit=world.district)
    _user(Role.OFFICE_ADMIN, world.office, "office")
    world.inspector = _user(Role.INSPECTOR, world.office, "inspector")
    _user(Role.INSPECTOR, world.city, "surveyor")
    return world


def _import_and_publish(page, live_server, tmp_path) -> Standard:
    page.goto(f"{live_server.url}/standards/new/")
    page.select_option("select[name=kind]", "civilized_city")
    page.fill("input[name=code]", "CIV-E2E")
    page.fill("input[name=name]", "文明城市测评手册（示例，浏览器测试）")
    page.fill("input[name=version]", "2026")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(lambda url: "/new/" not in url)
    page.click("#manual-import-link")
    path = tmp_path / "测评手册.xlsx"
    path.write_bytes(write_manual_xlsx(manual_rows(MANUAL)))
    page.set_input_files("input[name=file]", str(path))
    page.click("button[value=preview]")
    page.wait_for_selector("#manual-preview")
    assert "测评项目 2 个，测评内容 4 项，测评标准 4 条" in page.inner_text("#manual-preview")
    standard = Standard.objects.get(code="CIV-E2E")
    assert not CheckItem.objects.filter(standard=standard).exists()  # the preview writes nothing
    shot(page, "civilized_manual_preview")
    page.click("#manual-confirm")
    page.wait_for_selector("#evaluation-summary")
    assert "导入成功" in page.content()
    summary = page.inner_text("#evaluation-summary")
    assert "测评项目 2 个" in summary and "观察计分 3 条" in summary
    page.get_by_role("button", name="发布", exact=True).click()
    page.wait_for_selector("text=已发布：该版本此后不可修改")
    standard.refresh_from_db()
    assert standard.is_published
    shot(page, "civilized_manual_published")
    return standard


def _create_round(page, live_server, world, standard) -> InspectionRound:
    page.goto(f"{live_server.url}/inspections/new/")
    page.fill("input[name=name]", "模拟测评（浏览器测试）")
    page.select_option("select[name=kind]", "mock")
    page.select_option("select[name=standard]", str(standard.pk))
    page.select_option("select[name=unit]", str(world.office.pk))
    page.fill("input[name=period_start]", date.today().replace(day=1).isoformat())
    page.fill("input[name=period_end]", date.today().replace(month=12, day=31).isoformat())
    inspector = world.inspector
    page.select_option("select[name=inspectors]", str(inspector.pk))
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(lambda url: "/new/" not in url)
    round_ = InspectionRound.objects.get(name="模拟测评（浏览器测试）")
    page.get_by_role("button", name="抽样", exact=True).click()
    page.wait_for_selector("text=平均分配给督查员")
    page.get_by_role("button", name="平均分配给督查员").click()
    page.wait_for_load_state()
    assert SiteVisit.objects.filter(round=round_).count() == 2
    return round_


def _observe_on_phone(phone, live_server, round_, failing: CheckItem) -> None:
    login(phone, live_server, "inspector", PASSWORD)
    for visit in SiteVisit.objects.filter(round=round_).order_by("id"):
        phone.goto(f"{live_server.url}/inspections/visits/{visit.pk}/")
        phone.wait_for_selector("body[data-field-ready='1']")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        for card in phone.locator(".field-item").all():
            item_id = int(card.get_attribute("data-item"))
            for row in card.locator("[data-seq]").all():
                value = "fail" if item_id == failing.pk and row.get_attribute("data-seq") == "2" else "pass"
                row.locator(f"input[value={value}]").check()
        phone.click("#submit-visit")
        phone.wait_for_selector("#sync-status[data-state=synced]", timeout=15000)
        phone.wait_for_selector("body:not([data-syncing='1'])")
    shot(phone, "civilized_observations_phone")


def _survey(page, phone, live_server, world) -> None:
    page.goto(f"{live_server.url}/public/surveys/new/")
    page.fill("input[name=title]", "创文知晓率入户调查（浏览器测试）")
    page.uncheck("input[name=with_template]")
    page.get_by_role("button", name="创建").click()
    page.wait_for_url(lambda url: "/new/" not in url)
    page.select_option("select[name=kind]", "single")
    page.fill("input[name=text]", "您是否知道本市正在创建全国文明城市？")
    page.fill("textarea[name=options]", "知道*\n不知道")
    page.select_option("select[name=indicator]", label="知晓率")
    page.click("button[value=add_question]")
    page.click("button[value=publish]")
    page.select_option("select[name=area]", label="东城区")
    page.fill("input[name=households]", "2")
    page.click("button[value=set_quota]")
    survey = Survey.objects.get(title="创文知晓率入户调查（浏览器测试）")
    phone.context.clear_cookies()
    login(phone, live_server, "surveyor", PASSWORD)
    phone.goto(f"{live_server.url}/public/surveys/collect/")
    phone.get_by_role("link", name="创文知晓率入户调查（浏览器测试）").click()
    for house, answer in (("5-101", "知道"), ("5-102", "知道")):
        phone.select_option("#id_area", label="东城区")
        phone.fill("#id_household_ref", house)
        phone.get_by_label(answer, exact=True).check()
        phone.get_by_role("button", name="保存该户答卷").click()
        assert "已保存该户答卷" in phone.content()
    page.goto(f"{live_server.url}/public/surveys/indicators/?survey={survey.pk}")
    row = page.locator("#indicator-results tbody tr").first.inner_text()
    assert "知晓率" in row and "2/2" in row and "100.0%" in row
    shot(page, "civilized_survey_awareness")


def test_civilized_flow_import_publish_round_phone_rate_cases_survey_forecast(page, phone_page, live_server, tmp_path):
    world = _world()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    phone_page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, "office", PASSWORD)

    standard = _import_and_publish(page, live_server, tmp_path)
    round_ = _create_round(page, live_server, world, standard)
    failing = CheckItem.objects.get(standard=standard, title="机动车礼让行人")
    _observe_on_phone(phone_page, live_server, round_, failing)
    assert Observation.objects.filter(visit__round=round_).count() == 6
    assert Observation.objects.filter(visit__round=round_, passed=False).count() == 1

    page.goto(f"{live_server.url}/inspections/{round_.pk}/")
    page.get_by_role("button", name="结束检查").click()
    page.click("text=模拟测评得分率")
    page.wait_for_selector("#eval-rate")
    report = page.inner_text("main")
    assert page.inner_text("#eval-rate") == "80.00%"  # (2 × 1/2 + 1 + 2) / (2 + 1 + 2)
    assert "文明交通" in report and "人民路口\t66.67%" in report and "东门农贸市场\t100.00%" in report
    shot(page, "civilized_round_rate")

    case = Case.objects.get(check_item=failing)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert "机动车礼让行人" in page.inner_text("main")
    shot(page, "civilized_failure_case")

    _survey(page, phone_page, live_server, world)

    page.goto(f"{live_server.url}/readiness/")
    page.select_option("select[name=standard]", str(standard.pk))
    page.fill("input[name=runs]", "1000")
    page.fill("input[name=seed]", "2026")
    page.locator("form[action$='/readiness/run/'] button[type=submit]").click()
    page.wait_for_selector("#observe-rate")
    assert "%" in page.inner_text("#observe-rate")
    assert "文明城市测评手册（示例，浏览器测试）" in page.inner_text("main")  # the forecast ran for the imported manual
    shot(page, "civilized_forecast")
    assert errors == []
