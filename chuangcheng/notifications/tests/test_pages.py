"""Channel pages: robots with masked secrets, test messages, the honest SMS status, chasing rules, the log."""

import pytest
from django.test import Client

from chuangcheng.core.testing import assert_max_queries
from chuangcheng.notifications import services
from chuangcheng.notifications.models import ChasingPolicy, Delivery, Webhook

pytestmark = pytest.mark.django_db


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def test_office_configures_a_dingtalk_robot_and_sends_a_test_message(world, stub, django_capture_on_commit_callbacks):
    client = browser(world.office)
    url = stub.url("/dingtalk?access_token=ding-token")
    response = client.post(
        "/notifications/channels/robots/new/",
        {"unit": world.urban.pk, "name": "城管整改群", "kind": "dingtalk", "url": url, "secret": stub.ding_secret,
         "msg_format": "markdown", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    hook = Webhook.objects.get()
    page = client.get("/notifications/channels/").content.decode()
    assert "城管整改群" in page and "ding-token" not in page and stub.ding_secret not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/notifications/channels/robots/{hook.pk}/test/")
    assert len(stub.verified("/dingtalk")) == 1 and Delivery.objects.get().status == "sent"
    edit = client.get(f"/notifications/channels/robots/{hook.pk}/").content.decode()
    assert "ding-token" not in edit and stub.ding_secret not in edit and "已设置（不显示）" in edit
    client.post(
        f"/notifications/channels/robots/{hook.pk}/",
        {"name": "城管群", "kind": "dingtalk", "url": "", "secret": "", "msg_format": "text", "is_active": "on"},
    )
    hook.refresh_from_db()
    assert (hook.name, hook.url, hook.secret, hook.msg_format) == ("城管群", url, stub.ding_secret, "text")


def test_bad_robot_address_is_refused_on_the_form(world):
    response = browser(world.office).post(
        "/notifications/channels/robots/new/",
        {"unit": world.urban.pk, "name": "x", "kind": "wecom", "url": "https://qyapi.weixin.qq.com/send",
         "msg_format": "markdown"},
    )  # fmt: skip
    assert response.status_code == 200 and "key 参数" in response.content.decode()
    assert not Webhook.objects.exists()


def test_sms_status_is_honest_without_a_gateway(world):
    page = browser(world.office).get("/notifications/channels/").content.decode()
    assert "不会真正发到手机" in page and "仅记录日志" in page


def test_sms_status_names_the_configured_gateway(world, settings):
    settings.SMS_BACKEND = "chuangcheng.notifications.sms.HttpGatewayBackend"
    page = browser(world.office).get("/notifications/channels/").content.decode()
    assert "HTTP 短信网关" in page and "不会真正发到手机" not in page


def test_unit_head_sees_only_own_robots_and_no_office_sections(world):
    services.create_webhook(actor=world.office, unit=world.market, name="市场群", kind="wecom", url="http://x/?key=k")
    services.create_webhook(actor=world.office, unit=world.urban, name="城管群", kind="wecom", url="http://x/?key=k")
    page = browser(world.head).get("/notifications/channels/").content.decode()
    assert "城管群" in page and "市场群" not in page and "发送测试短信" not in page
    other = Webhook.objects.get(name="市场群")
    assert browser(world.head).post(f"/notifications/channels/robots/{other.pk}/delete/").status_code == 404
    assert browser(world.handler).get("/notifications/channels/").status_code == 403
    assert browser(world.head).get("/notifications/deliveries/").status_code == 403


def test_policy_page_saves_the_chasing_rules(world):
    response = browser(world.office).post(
        "/notifications/channels/policy/",
        {"reminder_hours": 2, "max_reminders": 5, "quiet_start": "21:30", "quiet_end": "08:00",
         "ack_kinds": ["case_escalated"]},
    )  # fmt: skip
    assert response.status_code == 302
    saved = ChasingPolicy.objects.get()
    assert saved.reminder_hours == 2 and saved.quiet_start.hour == 21 and saved.ack_kinds == ["case_escalated"]
    bad = browser(world.office).post(
        "/notifications/channels/policy/",
        {"reminder_hours": 0, "max_reminders": 5, "quiet_start": "21:30", "quiet_end": "08:00"},
    )
    assert bad.status_code == 200 and "提醒间隔" in bad.content.decode()


def test_delivery_log_shows_status_attempts_and_reason_with_bounded_queries(world):
    for number in range(30):
        Delivery.objects.create(
            channel="sms", recipient=f"139000{number:05d}", subject="督办", status="failed", attempts=4,
            last_error="第4次尝试失败：HTTP 503 服务器错误",
        )  # fmt: skip
    client = browser(world.office)
    with assert_max_queries(12):
        page = client.get("/notifications/deliveries/?status=failed").content.decode()
    assert "HTTP 503 服务器错误" in page and "139****0000" in page and "13900000000" not in page
    delivery = Delivery.objects.first()
    client.post(f"/notifications/deliveries/{delivery.pk}/retry/")
    delivery.refresh_from_db()
    assert delivery.status in ("pending", "logged")


def test_named_person_acknowledges_from_the_page_the_sms_links_to(world):
    [note] = services.notify(actor=None, users=[world.head], kind="case_escalated", title="督办：问题已超期")
    client = browser(world.head)
    page = client.get(f"/notifications/{note.pk}/").content.decode()
    assert "确认收到" in page
    assert browser(world.handler).get(f"/notifications/{note.pk}/").status_code == 404
    client.post(f"/notifications/{note.pk}/ack/")
    note.refresh_from_db()
    assert note.acknowledged_at is not None and note.next_reminder_at is None
    assert "已于" in client.get(f"/notifications/{note.pk}/").content.decode()


def test_permission_matrix_of_a_robot_and_a_notification_page(world):
    from rest_framework.test import APIClient

    from chuangcheng.core.testing import assert_permission_matrix

    hook = services.create_webhook(
        actor=world.office, unit=world.urban, name="城管群", kind="wecom", url="http://x/?key=k"
    )

    def api(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    assert_permission_matrix(
        api,
        f"/api/v1/webhooks/{hook.pk}/",
        in_scope=world.head,
        out_of_scope=world.market_handler,
        no_role=world.nobody,
    )
    assert api(world.head).get(f"/api/v1/webhooks/{hook.pk}/").json()["url"] == "http://x/?key=****"
    [note] = services.notify(actor=None, users=[world.head], kind="case_escalated", title="督办")

    def pages(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    assert_permission_matrix(
        pages, f"/notifications/{note.pk}/", in_scope=world.head, out_of_scope=world.handler, no_role=world.nobody
    )
