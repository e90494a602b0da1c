"""The delivery outbox: email, SMS and group-robot messages recorded as ``Delivery`` rows in the notifying
transaction and sent afterwards, so a crash or a dead endpoint loses nothing.

- After commit each new delivery gets one attempt (the ``deliver`` task; in-process when eager).
- ``send_due_deliveries`` (beat ``notifications.send_due`` every minute, ``manage.py send_deliveries``) sends
  every pending delivery whose ``next_attempt_at`` has come. A claim locks the row (SKIP LOCKED), counts the
  attempt and leases the row for ``LEASE`` before any network I/O, so two workers never send it twice.
- A failed attempt (timeout, 5xx, refused, robot errcode ≠ 0, SMS gateway error) is retried after
  30 s × 2^(attempt−1); after ``MAX_ATTEMPTS`` it is 发送失败 with the reason. Nothing is deleted.
- An SMS through the logging default is 仅记录 (logged), never 已发送.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError
from chuangcheng.notifications import channels, sms
from chuangcheng.notifications.models import Channel, Delivery, DeliveryStatus, Webhook, WebhookKind

MAX_ATTEMPTS = 4
BACKOFF_SECONDS = 30
LEASE = timedelta(minutes=2)


def backoff(attempts: int) -> timedelta:
    base = int(getattr(settings, "NOTIFY_BACKOFF_SECONDS", BACKOFF_SECONDS))
    return timedelta(seconds=base * 2 ** max(0, attempts - 1))


def enqueue(delivery_ids: list[int]) -> None:
    from chuangcheng.notifications.tasks import deliver

    for delivery_id in delivery_ids:
        deliver.delay(delivery_id)


def _claim(delivery_id: int, now) -> Delivery | None:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(no_key=True, skip_locked=True, of=("self",))
            .select_related("webhook")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        return delivery


def _attempt(delivery: Delivery) -> tuple[str, str]:
    """One send; returns (status, detail) with status sent, logged or "" (failed, detail = reason)."""
    if delivery.channel == Channel.WEBHOOK:
        webhook: Webhook | None = delivery.webhook
        url = webhook.url if webhook is not None else delivery.recipient
        if webhook is not None and webhook.kind == WebhookKind.DINGTALK:
            url = channels.signed_dingtalk_url(webhook.url, webhook.secret)
        ok, detail = channels.post_json(url, delivery.payload)
        return (DeliveryStatus.SENT, "") if ok else ("", detail)
    if delivery.channel == Channel.SMS:
        try:
            result = sms.get_backend().send(phone=delivery.recipient, message=delivery.payload.get("body", ""))
        except Exception as exc:  # SmsError, or a misconfigured backend: recorded and retried
            reason = sms.MOBILE_IN_TEXT.sub(lambda m: sms.mask_phone(m.group(0)), str(exc))  # SDKs echo the number
            return "", reason[:500] or type(exc).__name__
        return (DeliveryStatus.SENT, result.provider_id) if result.delivered else (DeliveryStatus.LOGGED, result.detail)
    text = delivery.payload.get("body", "") + ("\n" + delivery.payload["url"] if delivery.payload.get("url") else "")
    ok, detail = channels.send_email(delivery.recipient, delivery.subject, text)
    return (DeliveryStatus.SENT, "") if ok else ("", detail or "邮件发送失败")


def send_delivery(delivery_id: int, *, now=None) -> bool:
    """One attempt if the delivery is pending and due (network I/O outside any transaction).

    True when it is done (sent or logged) after this call."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return Delivery.objects.filter(pk=delivery_id, status__in=(DeliveryStatus.SENT, DeliveryStatus.LOGGED)).exists()
    status, detail = _attempt(delivery)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update(no_key=True).get(pk=delivery_id)
        if status:
            delivery.status, delivery.sent_at = status, timezone.now()
            delivery.last_error = "" if status == DeliveryStatus.SENT else detail
            delivery.next_attempt_at = None
        else:
            delivery.last_error = f"第{delivery.attempts}次尝试失败：{detail}"[:1000]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save(update_fields=["status", "sent_at", "last_error", "next_attempt_at"])
    return bool(status)


def send_due_deliveries(*, now=None, limit: int = 500) -> int:
    """Send every pending delivery that is due (idempotent; safe to run from several workers)."""
    from django.db.models import Q

    now = now or timezone.now()
    due = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in list(due) if send_delivery(pk, now=now))


@transaction.atomic
def retry_delivery(*, actor, delivery: Delivery) -> Delivery:
    """Send a failed delivery again (the office, from the delivery log): attempts start over."""
    from chuangcheng.notifications.permissions import can_configure_channels

    if not can_configure_channels(actor):
        from chuangcheng.core.errors import NotPermitted

        raise NotPermitted("只有创建办可以重发消息")
    delivery = Delivery.objects.select_for_update(no_key=True).get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.FAILED:
        raise DomainError("只有发送失败的消息可以重发", field="status")
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    record(
        actor=actor,
        verb="notifications.delivery_retried",
        target=delivery,
        changes={"status": [DeliveryStatus.FAILED, DeliveryStatus.PENDING]},
    )
    transaction.on_commit(lambda: enqueue([delivery.pk]))
    return delivery


@transaction.atomic
def send_test_message(*, actor, webhook: Webhook | None = None, phone: str = "") -> Delivery:
    """A test message to a group robot (its editors) or to a mobile number (the office), through the
    outbox like any other: the delivery log shows whether it arrived."""
    from chuangcheng.core.errors import NotPermitted
    from chuangcheng.notifications.permissions import can_configure_channels

    title = "【测试消息】创城平台通知通道测试"
    body = f"这是一条测试消息，由 {actor.display_name} 发出。收到即表示通道配置正确。"
    if webhook is not None:
        from chuangcheng.notifications.services import _require_webhook_editor, _webhook_payload

        _require_webhook_editor(actor, webhook.unit)
        delivery = Delivery.objects.create(
            channel=Channel.WEBHOOK, webhook=webhook, recipient=channels.mask_url(webhook.url), subject=title,
            payload=_webhook_payload(webhook, title, body, ""), is_test=True, user=actor,
        )  # fmt: skip
    else:
        if not can_configure_channels(actor):
            raise NotPermitted("只有创建办可以发送短信测试")
        phone = (phone or "").strip()
        if not sms.MOBILE.match(phone):
            raise DomainError("请填写11位手机号", field="phone")
        delivery = Delivery.objects.create(
            channel=Channel.SMS, recipient=phone, subject=title, payload={"body": f"{title}：{body}"}, is_test=True,
            user=actor,
        )  # fmt: skip
    record(
        actor=actor,
        verb="notifications.test_sent",
        target=delivery,
        unit=webhook.unit if webhook is not None else None,
        changes={"channel": [None, delivery.channel], "recipient": [None, display_recipient(delivery)]},
    )
    transaction.on_commit(lambda: enqueue([delivery.pk]))
    return delivery


def display_recipient(delivery: Delivery) -> str:
    """Recipients as shown in the log: phone numbers masked, robot URLs without their tokens."""
    if delivery.channel == Channel.SMS:
        return sms.mask_phone(delivery.recipient)
    if delivery.channel == Channel.WEBHOOK:
        return channels.mask_url(delivery.recipient)
    return delivery.recipient
