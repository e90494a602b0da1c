"""The delivery outbox against a stub DingTalk/WeCom/SMS server: delivery, signatures, retries, failure."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.core.errors import DomainError
from chuangcheng.notifications import outbox, services
from chuangcheng.notifications.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


def robot(world, stub, kind="dingtalk", **kwargs):
    if kind == "dingtalk":
        url, secret = stub.url("/dingtalk?access_token=ding-token"), stub.ding_secret
    else:
        url, secret = stub.url(f"/wecom?key={stub.wecom_key}"), ""
    values = {"name": "整改群", "kind": kind, "url": url, "secret": secret} | kwargs
    return services.create_webhook(actor=world.office, unit=world.urban, **values)


def dispatch(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return case_in_state(world, CaseStatus.DISPATCHED)


def later(seconds):
    return timezone.now() + timedelta(seconds=seconds)


def test_dingtalk_message_is_signed_and_accepted_by_the_stub(world, stub, django_capture_on_commit_callbacks):
    robot(world, stub)
    case = dispatch(world, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1
    [request] = stub.verified("/dingtalk")
    assert request["body"]["msgtype"] == "markdown" and case.number in request["body"]["markdown"]["title"]
    assert "ding-token" not in delivery.recipient  # the log never shows the robot's token


def test_wrong_dingtalk_secret_is_refused_by_the_stub_and_kept_with_the_reason(
    world, stub, django_capture_on_commit_callbacks
):
    robot(world, stub, secret="SECwrong")
    dispatch(world, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.status == DeliveryStatus.PENDING and "errcode=310000" in delivery.last_error
    assert stub.verified("/dingtalk") == []


def test_wecom_robot_gets_plain_text_with_its_key(world, stub, django_capture_on_commit_callbacks):
    robot(world, stub, kind="wecom", msg_format="text")
    dispatch(world, django_capture_on_commit_callbacks)
    [request] = stub.verified("/wecom")
    assert request["body"]["msgtype"] == "text" and "新问题" in request["body"]["text"]["content"]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_timeout_then_5xx_are_retried_with_backoff_until_sent(world, stub, django_capture_on_commit_callbacks):
    robot(world, stub)
    stub.script["/dingtalk"] = [("sleep", 1.0), 502, "ok"]
    dispatch(world, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.status == DeliveryStatus.PENDING and "超时" in delivery.last_error
    assert outbox.send_due_deliveries(now=later(5)) == 0  # backoff: 30 s after the first failure
    outbox.send_due_deliveries(now=later(31))
    delivery.refresh_from_db()
    assert "HTTP 502 服务器错误" in delivery.last_error and delivery.attempts == 2
    assert outbox.send_due_deliveries(now=later(31 + 59)) == 0  # then 60 s
    assert outbox.send_due_deliveries(now=later(31 + 61)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 3, "")


def test_endpoint_that_keeps_failing_ends_failed_with_the_reason(world, stub, django_capture_on_commit_callbacks):
    robot(world, stub, kind="wecom")
    stub.script["/wecom"] = [503] * 10
    dispatch(world, django_capture_on_commit_callbacks)
    for minutes in (1, 3, 6, 20):
        outbox.send_due_deliveries(now=later(minutes * 60))
    delivery = Delivery.objects.get(channel="webhook")
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == outbox.MAX_ATTEMPTS
    assert delivery.last_error == "第4次尝试失败：HTTP 503 服务器错误"
    assert outbox.send_due_deliveries(now=later(3600)) == 0 and len(stub.requests) == 4
    with django_capture_on_commit_callbacks(execute=True):
        outbox.retry_delivery(actor=world.office, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1  # retried after commit at once


def test_sms_through_the_http_gateway_is_signed_and_sent(world, stub, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "chuangcheng.notifications.sms.HttpGatewayBackend"
    world.head.phone = "13900001111"
    world.head.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(actor=None, users=[world.head], kind="case_escalated", title="督办：WT2026-000001 已超期")
    delivery = Delivery.objects.get(channel="sms")
    assert delivery.status == DeliveryStatus.SENT and delivery.sent_at is not None
    [request] = stub.verified("/sms")
    assert request["body"]["phone"] == "13900001111" and "确认收到" in request["body"]["message"]
    assert f"/notifications/{delivery.notification_id}/" in request["body"]["message"]


def test_sms_without_gateway_is_only_logged_never_sent(world, django_capture_on_commit_callbacks):
    world.head.phone = "13900001111"
    world.head.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(actor=None, users=[world.head], kind="case_escalated", title="督办")
    delivery = Delivery.objects.get(channel="sms")
    assert delivery.status == DeliveryStatus.LOGGED and "未配置短信网关" in delivery.last_error


def test_chosen_sdk_that_is_not_installed_fails_with_a_chinese_reason(
    world, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "chuangcheng.notifications.sms_cloud.TencentBackend"
    world.head.phone = "13900001111"
    world.head.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(actor=None, users=[world.head], kind="case_escalated", title="督办")
    delivery = Delivery.objects.get(channel="sms")
    assert delivery.status == DeliveryStatus.PENDING
    assert "未安装其 SDK" in delivery.last_error or "缺少配置" in delivery.last_error


def test_no_sms_for_kinds_without_acknowledgement_unless_chosen(world, django_capture_on_commit_callbacks):
    world.handler.phone = "13900002222"
    world.handler.save()
    dispatch(world, django_capture_on_commit_callbacks)
    assert not Delivery.objects.filter(channel="sms").exists()


def test_test_messages_go_through_the_outbox_and_are_audited(world, stub, django_capture_on_commit_callbacks):
    hook = robot(world, stub)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = outbox.send_test_message(actor=world.head, webhook=hook)
    delivery.refresh_from_db()
    assert delivery.is_test and delivery.status == DeliveryStatus.SENT and len(stub.verified("/dingtalk")) == 1
    with pytest.raises(DomainError) as bad:
        outbox.send_test_message(actor=world.office, phone="12345")
    assert bad.value.field == "phone"
    assert AuditEvent.objects.filter(verb="notifications.test_sent").count() == 1


def test_robot_settings_that_cannot_work_are_refused_naming_the_field(world):
    with pytest.raises(DomainError) as ding:
        services.create_webhook(actor=world.office, unit=world.urban, name="x", kind="dingtalk", url="https://a/b")
    assert ding.value.field == "url" and "access_token" in ding.value.message
    with pytest.raises(DomainError) as wecom:
        services.create_webhook(actor=world.office, unit=world.urban, name="x", kind="wecom", url="ftp://x?key=1")
    assert wecom.value.field == "url"


class LeakyGateway:
    """A gateway whose SDK error echoes the number (as the Aliyun SDK's connection errors do)."""

    name, label, sends = "leaky", "测试网关", True

    def send(self, *, phone, message):
        from chuangcheng.notifications.sms import SmsError

        raise SmsError(f"调用失败：url=/?PhoneNumbers={phone}&SignName=x")


def test_sms_error_reasons_never_show_the_full_number(world, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "chuangcheng.notifications.tests.test_outbox.LeakyGateway"
    world.head.phone = "13900001111"
    world.head.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(actor=None, users=[world.head], kind="case_escalated", title="督办")
    delivery = Delivery.objects.get(channel="sms")
    assert "139****1111" in delivery.last_error and "13900001111" not in delivery.last_error
