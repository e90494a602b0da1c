"""抄告单 and meetings in the browser: the office issues a notice, the district signs and replies with a PDF,
the office closes it; the office calls a meeting, records an absentee, and the period bulletin names it."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from chuangcheng.accounts.demo import DEMO_PASSWORD
from chuangcheng.assessments.models import PeriodStatus
from chuangcheng.assessments.tests.factories import PeriodFactory
from chuangcheng.campaigns.notice_models import Notice, NoticeStatus
from chuangcheng.dossiers.demo_files import pdf_bytes
from chuangcheng.org.models import Unit
from chuangcheng.places.demo.seed import seed_demo_city
from tests.e2e.conftest import shot

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "关于背街小巷乱堆乱放问题的抄告单（浏览器测试）"


def as_user(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return context, page, errors


@pytest.fixture
def demo_city():
    seed_demo_city(actor=None, scale=1)
    for command in ("load_calendar", "seed_campaigns_demo"):
        call_command(command, verbosity=0)


def test_office_issues_unit_signs_and_replies_office_closes(browser, live_server, demo_city, tmp_path):
    district = Unit.objects.get(code="D01")
    today = timezone.localdate()
    context, page, errors = as_user(browser, live_server, "office")
    page.goto(f"{live_server.url}/campaigns/notices/")
    assert "逾期未回复" in page.inner_text("main")  # the demo's overdue notice
    page.click("text=发出抄告单")
    page.select_option("select[name=unit]", label=district.name)
    page.fill("input[name=principal_name]", "陈区长")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=body]", "经暗访发现，辖区背街小巷乱堆乱放问题突出。\n请立即整改。")
    page.fill("input[name=reply_due]", (today + timedelta(days=5)).isoformat())
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r".*/campaigns/notices/\d+/$"))
    assert "已发出" in page.inner_text("#notice-status")
    with page.expect_download() as download:
        page.click("text=下载抄告单（Word）")
    text = "\n".join(p.text for p in Document(download.value.path()).paragraphs)
    assert TITLE in text and f"{district.name}（陈区长）：" in text
    notice_url = page.url
    context.close()
    assert not errors, errors

    context, page, errors = as_user(browser, live_server, "district")
    page.goto(notice_url)
    page.click("form:has(input[value=sign]) button")
    page.wait_for_url(notice_url)
    assert "已签收" in page.inner_text("#notice-status")
    report = tmp_path / "整改情况报告.pdf"
    report.write_bytes(pdf_bytes("背街小巷整改情况报告（浏览器测试）", ["已清理完毕"]))
    page.fill("textarea[name=text]", "已组织清理，建立每日巡查机制。")
    page.set_input_files("input[name=attachment]", str(report))
    page.click("form:has(input[value=reply]) button")
    page.wait_for_url(notice_url)
    assert "已回复" in page.inner_text("#notice-status")
    assert "整改情况报告.pdf" in page.inner_text("#notice-reply")
    shot(page, "campaigns_notice_replied")
    context.close()
    assert not errors, errors

    context, page, errors = as_user(browser, live_server, "office")
    page.goto(notice_url)
    page.fill("input[name=note]", "整改到位")
    page.click("form:has(input[value=close]) button")
    page.wait_for_url(notice_url)
    assert "已办结" in page.inner_text("#notice-status")
    context.close()
    assert not errors, errors
    notice = Notice.objects.get(title=TITLE)
    assert notice.status == NoticeStatus.CLOSED and notice.reply_file_kind == "pdf"


def test_meeting_attendance_puts_absentees_in_the_bulletin(browser, live_server, demo_city):
    east, west, office = (Unit.objects.get(code=code) for code in ("D01", "D02", "OFFICE"))
    today = timezone.localdate()
    period = PeriodFactory(
        status=PeriodStatus.PUBLISHED, name="本月专项考核（浏览器测试）", start=today - timedelta(days=20), end=today
    )
    context, page, errors = as_user(browser, live_server, "office")
    page.goto(f"{live_server.url}/campaigns/meetings/new/")
    page.select_option("select[name=kind]", "dispatch")
    page.fill("input[name=title]", "迎检冲刺调度会（浏览器测试）")
    page.select_option("select[name=unit]", label=office.name)
    page.fill("input[name=held_at]", timezone.localtime().replace(hour=0, minute=5).strftime("%Y-%m-%dT%H:%M"))
    page.fill("textarea[name=agenda]", "一、通报问题\n二、部署整改")
    page.select_option("select[name=units]", label=[east.name, west.name])
    page.click("form.card button[type=submit]")
    page.wait_for_url(re.compile(r".*/campaigns/meetings/\d+/$"))
    page.select_option(f"select[aria-label='{east.name}出勤']", "absent")
    page.select_option(f"select[aria-label='{west.name}出勤']", "late")
    page.click("text=保存考勤")
    page.wait_for_selector("text=考勤已登记")
    lapses = page.inner_text("#meeting-lapses")
    assert f"缺席：{east.name}" in lapses and f"迟到：{west.name}" in lapses
    shot(page, "campaigns_meeting_attendance")
    response = page.request.get(f"{live_server.url}/assessments/periods/{period.pk}/bulletin.docx")
    assert response.ok
    text = "\n".join(p.text for p in Document(io.BytesIO(response.body())).paragraphs)
    assert "会议缺席和迟到情况" in text
    assert f"迎检冲刺调度会（浏览器测试）（{today.year}年{today.month}月{today.day}日）缺席：{east.name}" in text
    context.close()
    assert not errors, errors
