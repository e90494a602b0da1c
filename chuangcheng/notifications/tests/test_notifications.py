from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.core.testing import assert_permission_matrix
from chuangcheng.notifications import channels, outbox, services
from chuangcheng.notifications.models import Delivery, Notification, NotificationPreference, Webhook

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_dispatch_notifies_lead_unit_in_app(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    note = Notification.objects.get(user=world.handler, case=case)
    assert note.kind == "case_dispatched" and case.number in note.title
    assert not Notification.objects.filter(user=world.market_handler).exists()


def test_preferences_switch_off_in_app_and_on_email(world, django_capture_on_commit_callbacks, mailoutbox):
    world.handler.email = "handler@example.cn"
    world.handler.save()
    services.set_preference(actor=world.handler, kind="case_dispatched", in_app=False, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_in_state(world, CaseStatus.DISPATCHED)
    assert not Notification.objects.filter(user=world.handler, case=case).exists()
    assert len(mailoutbox) == 1 and case.number in mailoutbox[0].subject


def test_webhook_is_sent_only_after_commit_and_retried(world, django_capture_on_commit_callbacks):
    Webhook.objects.create(unit=world.urban, name="企微群", kind="wecom", url="https://qyapi.weixin.qq.com/x")
    outcomes = iter([(False, "timeout"), (False, "timeout"), (True, '{"errcode":0}')])
    with mock.patch("chuangcheng.notifications.channels.post_json", side_effect=lambda *a, **k: next(outcomes)) as post:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            case_in_state(world, CaseStatus.DISPATCHED)
        assert post.call_count == 0  # nothing leaves before commit
        for callback in callbacks:
            callback()
        assert post.call_count == 1  # one attempt after commit; the outbox job retries with backoff
        for minutes in (1, 3):
            outbox.send_due_deliveries(now=timezone.now() + timedelta(minutes=minutes))
    delivery = Delivery.objects.get(channel="webhook")
    assert post.call_count == 3 and delivery.status == "sent" and delivery.attempts == 3
    payload = post.call_args.args[1]
    assert payload["msgtype"] == "markdown" and "content" in payload["markdown"]


def test_webhook_gives_up_after_max_attempts(world, django_capture_on_commit_callbacks):
    Webhook.objects.create(unit=world.urban, name="钉钉群", kind="dingtalk", url="https://oapi.dingtalk.com/r")
    with mock.patch("chuangcheng.notifications.channels.post_json", return_value=(False, "500")):
        with django_capture_on_commit_callbacks(execute=True):
            case_in_state(world, CaseStatus.DISPATCHED)
        for minutes in (1, 3, 6):
            outbox.send_due_deliveries(now=timezone.now() + timedelta(minutes=minutes))
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.status == "failed" and delivery.attempts == services.MAX_ATTEMPTS


def test_payload_formats():
    ding = channels.dingtalk_payload("标题", "内容", "/cases/1/")
    assert ding == {
        "msgtype": "markdown",
        "markdown": {"title": "标题", "text": "#### 标题\n\n内容\n\n[查看详情](/cases/1/)"},
    }
    wecom = channels.wecom_payload("标题", "内容")
    assert wecom == {"msgtype": "markdown", "markdown": {"content": "**标题**\n内容"}}
    signed = channels.signed_dingtalk_url("https://x/robot?access_token=t", "SEC", 1700000000000)
    assert signed.startswith("https://x/robot?access_token=t&timestamp=1700000000000&sign=")


def test_notification_api_only_own_and_mark_read(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    note = Notification.objects.get(user=world.handler, case=case)
    assert_permission_matrix(
        api, f"/api/v1/notifications/{note.pk}/", in_scope=world.handler, out_of_scope=world.head, no_role=world.nobody
    )
    response = api(world.handler).post(f"/api/v1/notifications/{note.pk}/read/")
    assert response.status_code == 200 and response.json()["read_at"]
    assert api(world.handler).get("/api/v1/notifications/unread-count/").json() == {"unread": 0}


def test_preferences_api(world):
    response = api(world.handler).put(
        "/api/v1/notifications/preferences/", [{"kind": "case_closed", "in_app": False, "email": True}], format="json"
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=world.handler, kind="case_closed").email


def test_webhook_api_scope(world):
    data = {"unit": world.urban.pk, "name": "群", "kind": "wecom", "url": "https://qyapi.weixin.qq.com/y?key=k1"}
    assert api(world.handler).post("/api/v1/webhooks/", data, format="json").status_code == 403
    assert api(world.head).post("/api/v1/webhooks/", data, format="json").status_code == 201
    hook = Webhook.objects.get()
    assert api(world.market_handler).get(f"/api/v1/webhooks/{hook.pk}/").status_code == 404


def test_inbox_and_preferences_pages(world):
    case_in_state(world, CaseStatus.DISPATCHED)
    client = Client()
    client.force_login(world.handler)
    page = client.get("/notifications/")
    assert page.status_code == 200 and "新问题已派遣至本单位" in page.content.decode()
    preferences = client.get("/notifications/preferences/").content.decode()
    assert "群机器人" in preferences and "/api/" not in preferences  # no interface paths for a handler
    response = client.post("/notifications/preferences/", {"in_app_case_closed": "on", "email_case_closed": "on"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=world.handler, kind="case_dispatched").in_app is False
    assert Client().get("/notifications/").status_code == 302
