"""The demo city's archive and campaign plan in the browser: a district uploads a file, two office
reviewers approve it, the completeness matrix counts it; the plan's task ledger, timeline, a milestone
completed from the plan page, and a leader's page."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from chuangcheng.accounts.demo import DEMO_PASSWORD
from chuangcheng.accounts.models import User
from chuangcheng.campaigns.demo import PLAN_TITLE
from chuangcheng.campaigns.models import Plan
from chuangcheng.dossiers.demo_files import pdf_bytes
from chuangcheng.dossiers.models import Material, MaterialStatus
from chuangcheng.places.demo.seed import seed_demo_city
from chuangcheng.standards.models import MaterialRequirement
from tests.e2e.conftest import shot

pytestmark = pytest.mark.django_db(transaction=True)


def as_user(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)  # each role lands on its own page
    return context, page, errors


@pytest.fixture
def demo_city():
    seed_demo_city(actor=None, scale=1)
    for command in ("load_standards", "load_calendar", "seed_dossiers_demo", "seed_campaigns_demo"):
        call_command(command, verbosity=0)


def review(browser, live_server, username, material):
    context, page, errors = as_user(browser, live_server, username)
    page.goto(f"{live_server.url}/dossiers/materials/{material.pk}/")
    page.check("input[name=decision][value=approve]")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dossiers/materials/{material.pk}/")
    text = page.inner_text("main")
    context.close()
    assert not errors, errors
    return text


def test_upload_review_and_matrix(browser, live_server, demo_city, tmp_path):
    year = timezone.localdate().year
    requirement = MaterialRequirement.objects.get(code="M2021-03")
    path = tmp_path / "相山区年度总结.pdf"
    path.write_bytes(pdf_bytes("相山区年度爱国卫生工作总结（浏览器测试）", ["第一部分"]))
    context, page, errors = as_user(browser, live_server, "district")
    page.goto(f"{live_server.url}/dossiers/?year={year}")
    assert "年度爱国卫生工作计划" in page.inner_text("main")
    shot(page, "dossiers_unit_todo")
    page.goto(f"{live_server.url}/dossiers/materials/upload/?requirement={requirement.pk}&year={year}")
    page.select_option("select[name=unit]", label="相山区")
    page.fill("input[name=title]", "相山区年度总结（浏览器测试）")
    page.set_input_files("input[name=file]", str(path))
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/dossiers/materials/*/")
    assert "待一审" in page.inner_text("h1")
    shot(page, "dossiers_uploaded")
    context.close()
    assert not errors, errors
    material = Material.objects.get(title="相山区年度总结（浏览器测试）")
    assert material.kind == "pdf" and material.status == MaterialStatus.SUBMITTED

    assert "待二审" in review(browser, live_server, "staff", material)
    assert "已通过" in review(browser, live_server, "office", material)
    material.refresh_from_db()
    assert material.status == MaterialStatus.APPROVED

    context, page, errors = as_user(browser, live_server, "office")
    page.goto(f"{live_server.url}/dossiers/matrix/?year={year}")
    header = page.locator("table.matrix thead th.unit").all_inner_texts()
    column = header.index("相山区") + 1
    cell = page.locator("table.matrix tbody tr").first.locator("td").nth(column).inner_text()
    assert cell == "1/1"
    shot(page, "dossiers_matrix")
    page.goto(f"{live_server.url}/dossiers/review/")
    shot(page, "dossiers_review_queue")
    context.close()
    assert not errors, errors


def test_plan_ledger_timeline_milestone_and_leader(browser, live_server, demo_city):
    plan = Plan.objects.get(title=PLAN_TITLE)
    context, page, errors = as_user(browser, live_server, "office")
    page.goto(f"{live_server.url}/campaigns/plans/{plan.pk}/")
    main = page.inner_text("main")
    assert "示例" in main and "已超期" in main and "督办3级" in main
    shot(page, "campaigns_plan_ledger")
    # a milestone whose tasks are open cannot be completed; edit one and complete an empty one
    rows = page.locator("#milestones + table tbody tr")
    assert rows.nth(1).locator("button", has_text="标记完成").is_disabled()
    page.locator("#milestones + table tbody tr").nth(4).locator("a", has_text="编辑").click()
    page.fill("input[name=title]", "迎检准备全部就绪")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"**/campaigns/plans/{plan.pk}/")
    assert "时间节点已保存" in page.inner_text("body")
    last = plan.milestones.get(sort_order=4)
    assert last.title == "迎检准备全部就绪"
    page.goto(f"{live_server.url}/campaigns/plans/{plan.pk}/timeline/")
    assert "迎检窗口" in page.inner_text("main")
    shot(page, "campaigns_timeline")
    page.goto(f"{live_server.url}/campaigns/tasks/?overdue=1")
    shot(page, "campaigns_task_list")
    leader = User.objects.get(username="leader")
    page.goto(f"{live_server.url}/campaigns/leaders/{leader.pk}/")
    main = page.inner_text("main")
    assert "相山区" in main and "市城管局" in main
    shot(page, "campaigns_leader")
    page.goto(f"{live_server.url}/campaigns/pledges/")
    assert "相南街道" in page.inner_text("main")
    shot(page, "campaigns_pledges")
    context.close()
    assert not errors, errors
