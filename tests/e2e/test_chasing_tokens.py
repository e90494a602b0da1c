"""Integration accounts and notification channels in the browser: the office administrator issues a token
(shown once), the other system uses it, the administrator revokes it; the office adds a DingTalk robot (a stub
started by the test checks the signature), sends a test message and reads the delivery log; a unit head
acknowledges an overdue notice from the page the SMS links to."""

import json
import urllib.error
import urllib.request

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.notifications import services
from chuangcheng.notifications.tests.stubs import Stub
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from tests.e2e.conftest import login, shot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "Test-pass-2026"


@pytest.fixture
def city():
    root = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=root)
    urban = UnitFactory(code="DEPT-CG", name="市城管局", kind=UnitKind.DEPARTMENT, parent=root)
    admin = user_with_role(Role.OFFICE_ADMIN, office, username="office-admin")
    head = user_with_role(Role.UNIT_HEAD, urban, username="cg-head", phone="13900001111")
    return {"urban": urban, "admin": admin, "head": head}


def call(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, None


def test_admin_issues_a_token_once_the_system_uses_it_then_it_is_revoked(page, live_server, city):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, "office-admin", PASSWORD)
    page.goto(f"{live_server.url}/users/")
    page.click("text=集成账号")
    page.click("text=新增集成账号")
    page.fill("input[name=username]", "szcg-bridge")
    page.fill("input[name=full_name]", "数字城管平台")
    page.select_option("select[name=unit]", label="\u3000市城管局")
    page.select_option("select[name=role]", value="unit_handler")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#token-issue-form")
    page.fill("input[name=name]", "数字城管对接")
    page.check("input[value='cases:read']")
    page.click("#token-issue-form button[type=submit]")
    token = page.inner_text("#raw-token").strip()
    assert token.startswith("cct_") and "只显示这一次" in page.inner_text("main")
    shot(page, "service-token-issued")
    status, me = call(f"{live_server.url}/api/v1/me/", token)
    assert status == 200 and me["username"] == "szcg-bridge"
    assert call(f"{live_server.url}/api/v1/users/", token)[0] == 403
    page.click("text=返回集成账号")
    table = page.inner_text("#token-table")
    assert token[:12] in table and token not in table and "127.0.0.1" in table
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#token-table button.danger")
    page.wait_for_selector("text=已吊销")
    assert call(f"{live_server.url}/api/v1/me/", token)[0] == 401
    assert errors == []


def test_office_adds_a_signed_dingtalk_robot_and_reads_the_delivery_log(page, live_server, city):
    stub = Stub().start()
    try:
        login(page, live_server, "office-admin", PASSWORD)
        page.goto(f"{live_server.url}/notifications/channels/")
        assert "不会真正发到手机" in page.inner_text("main")  # no SMS gateway here: the page says so
        page.click("text=新增群机器人")
        page.select_option("select[name=unit]", label="\u3000市城管局")
        page.fill("input[name=name]", "城管整改群")
        page.select_option("select[name=kind]", value="dingtalk")
        page.fill("input[name=url]", stub.url("/dingtalk?access_token=ding-token"))
        page.fill("input[name=secret]", stub.ding_secret)
        page.click("form.card button[type=submit]")
        page.wait_for_selector("#webhook-table")
        assert "ding-token" not in page.inner_text("#webhook-table")
        with page.expect_navigation():
            page.click("#webhook-table button:has-text('发送测试消息')")
        assert "测试消息：已发送" in page.inner_text("main"), page.inner_text("main")
        assert len(stub.verified("/dingtalk")) == 1
        page.click("text=发送记录")
        assert "已发送" in page.inner_text("#delivery-table")
        shot(page, "notification-delivery-log")
    finally:
        stub.stop()


def test_unit_head_acknowledges_an_overdue_notice(page, live_server, city):
    [note] = services.notify(actor=None, users=[city["head"]], kind="case_escalated", title="督办：背街小巷垃圾已超期")
    login(page, live_server, "cg-head", PASSWORD)
    page.goto(f"{live_server.url}/notifications/{note.pk}/")
    page.click("#ack-button")
    page.wait_for_selector("text=已确认收到，不再重复提醒")
    note.refresh_from_db()
    assert note.acknowledged_at is not None and note.next_reminder_at is None
