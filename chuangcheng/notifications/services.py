"""Writes of the notifications app. ``notify`` stores in-app rows and deliveries in the
caller's transaction; email and webhook deliveries are enqueued only after commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.models import OFFICE_ROLES
from chuangcheng.audit.services import record, record_many
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.inserts import insert
from chuangcheng.core.scoping import scope_of
from chuangcheng.notifications import channels, reminders
from chuangcheng.notifications.models import (
    Channel,
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
    Webhook,
    WebhookKind,
)
from chuangcheng.notifications.outbox import MAX_ATTEMPTS, send_delivery  # noqa: F401 (the outbox's entry points)
from chuangcheng.notifications.outbox import enqueue as _enqueue
from chuangcheng.notifications.selectors import active_webhooks


def _webhook_payload(webhook: Webhook, title: str, body: str, url: str) -> dict:
    url = channels.absolute(url)
    if webhook.kind == WebhookKind.DINGTALK:
        return channels.dingtalk_payload(title, body, url, webhook.msg_format)
    return channels.wecom_payload(title, body, url, webhook.msg_format)


@transaction.atomic
def notify(
    *,
    actor,
    users: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    case=None,
    units: Iterable = (),
    requires_ack: bool | None = None,
    urgent: bool = False,
) -> list[Notification]:
    """In-app rows per user preference; email, SMS and unit webhooks as deliveries sent on commit.

    ``requires_ack`` (default: the chasing policy's kinds) makes the named people acknowledge it; until they
    do, it is re-sent every few hours (``reminders.py``). ``urgent`` reminders may pass the quiet period."""
    event = {"users": users, "kind": kind, "title": title, "body": body, "url": url, "case": case, "units": units,
             "requires_ack": requires_ack, "urgent": urgent}  # fmt: skip
    return notify_many(actor=actor, events=[event])


@transaction.atomic(savepoint=False)
def notify_many(*, actor, events: list[dict]) -> list[Notification]:
    """``notify`` for many events (each a dict of its keyword arguments but ``actor``) in a fixed
    number of statements: preferences, in-app rows (one INSERT), webhooks, deliveries and audit rows.

    No savepoint: a failure fails the caller's transaction, as it must.
    """
    events = [
        {**event, "users": {u.pk: u for u in event["users"] if u is not None and getattr(u, "is_active", True)}}
        for event in events
    ]
    user_ids = {pk for event in events for pk in event["users"]}
    kinds = {event["kind"] for event in events}
    prefs = {}
    if user_ids:
        found = NotificationPreference.objects.filter(user_id__in=user_ids, kind__in=kinds)
        prefs = {(p.user_id, p.kind): p for p in found}
    unit_ids = {u.pk for event in events for u in event.get("units", ()) if u is not None}
    webhooks = active_webhooks(unit_ids) if unit_ids else {}
    created: list[Notification] = []
    deliveries: list[Delivery] = []
    audit: list[dict] = []
    rules, now = reminders.cached_policy(), timezone.now()
    sms_texts: list[tuple[Delivery, Notification]] = []
    for event in events:
        kind, title, body, url, case = (event["kind"], event["title"], event.get("body", ""), event.get("url", ""),
                                        event.get("case"))  # fmt: skip
        notes, sends = [], []
        chase = reminders.ack_fields(
            kind=kind, requires_ack=event.get("requires_ack"), urgent=event.get("urgent", False), rules=rules, now=now
        )
        for user_id, user in event["users"].items():
            pref = prefs.get((user_id, kind))
            note = Notification(user=user, kind=kind, title=title[:200], body=body, url=url, case=case, **chase)
            kept = (pref.in_app if pref else True) or chase.get("requires_ack", False)
            if kept:
                notes.append(note)
            if (pref.sms if pref else chase.get("requires_ack", False)) and getattr(user, "phone", ""):
                sms = Delivery(channel=Channel.SMS, notification=note if kept else None, user=user,
                               recipient=user.phone, subject=title[:200])  # fmt: skip
                sms_texts.append((sms, note))
                sends.append(sms)
            if (pref.email if pref else False) and user.email:
                sends.append(
                    Delivery(
                        channel="email",
                        user=user,
                        recipient=user.email,
                        subject=title[:200],
                        payload={"body": body, "url": channels.absolute(url)},
                    )
                )
        for unit in event.get("units", ()):
            for webhook in webhooks.get(getattr(unit, "pk", None), ()):
                if webhook.kinds and kind not in webhook.kinds:
                    continue
                sends.append(
                    Delivery(
                        channel="webhook",
                        webhook=webhook,
                        recipient=channels.mask_url(webhook.url),
                        subject=title[:200],
                        payload=_webhook_payload(webhook, title, body, url),
                    )
                )
        if notes or sends:
            audit.append({
                "actor": actor, "verb": "notifications.sent", "target": case,
                "target_type": "" if case is not None else "notifications.notification",
                "changes": {"kind": [None, kind], "users": [None, len(notes)], "deliveries": [None, len(sends)]},
            })  # fmt: skip
        created += notes
        deliveries += sends
    insert(created)
    for sms, note in sms_texts:  # the text links to the notification, which has its id now
        sms.payload = {"body": reminders.sms_text(note)}
    insert(deliveries)
    record_many(audit)
    ids = [d.pk for d in deliveries]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return created


@transaction.atomic
def mark_read(*, actor, notification: Notification) -> Notification:
    notification = Notification.objects.select_for_update(no_key=True).get(pk=notification.pk)
    if notification.user_id != actor.pk:
        raise NotPermitted("只能标记自己的通知")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        record(actor=actor, verb="notifications.read", target=notification, changes={"read_at": [None, "now"]})
    return notification


@transaction.atomic
def mark_all_read(*, actor) -> int:
    count = Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        record(
            actor=actor,
            verb="notifications.read_all",
            target_type="notifications.notification",
            changes={"count": [0, count]},
        )
    return count


@transaction.atomic
def set_preference(*, actor, kind: str, in_app: bool, email: bool, sms: bool | None = None) -> NotificationPreference:
    """``sms=None`` keeps the saved choice (a new row: SMS on for the kinds that must be acknowledged)."""
    if kind not in NotificationKind.values:
        raise DomainError(f"未知通知类型“{kind}”", field="kind")
    pref, created = NotificationPreference.objects.select_for_update(no_key=True).get_or_create(
        user=actor, kind=kind, defaults={"sms": kind in (reminders.cached_policy().ack_kinds or [])}
    )
    sms = pref.sms if sms is None else sms
    changes = {}
    if pref.in_app != in_app:
        changes["in_app"] = [pref.in_app, in_app]
    if pref.email != email:
        changes["email"] = [pref.email, email]
    if pref.sms != sms:
        changes["sms"] = [pref.sms, sms]
    pref.in_app, pref.email, pref.sms = in_app, email, sms
    pref.save()
    record(actor=actor, verb="notifications.preference_set", target=pref, changes=changes | {"kind": [None, kind]})
    return pref


def _require_webhook_editor(actor, unit) -> None:
    scope = scope_of(actor)
    if scope.has_role(*OFFICE_ROLES) and (scope.sees_all or (unit is not None and scope.is_office_for(unit.pk))):
        return
    if unit is not None and unit.pk in scope.unit_ids and scope.has_role("unit_head"):
        return
    raise NotPermitted("只有创建办或本单位负责人可以配置群机器人")


@transaction.atomic
def create_webhook(
    *,
    actor,
    unit,
    name: str,
    kind: str,
    url: str,
    secret: str = "",
    kinds: list | None = None,
    is_active=True,
    msg_format: str = "markdown",
) -> Webhook:
    _require_webhook_editor(actor, unit)
    if kind not in WebhookKind.values:
        raise DomainError("未知的机器人类型", field="kind")
    channels.check_robot(kind=kind, url=url, msg_format=msg_format)
    unknown = set(kinds or []) - set(NotificationKind.values)
    if unknown:
        raise DomainError(f"未知通知类型：{'、'.join(sorted(unknown))}", field="kinds")
    webhook = Webhook.objects.create(
        unit=unit,
        name=name,
        kind=kind,
        url=url,
        secret=secret,
        kinds=list(kinds or []),
        is_active=is_active,
        msg_format=msg_format,
    )
    record(
        actor=actor,
        verb="notifications.webhook_created",
        target=webhook,
        unit=unit,
        changes={"url": [None, channels.mask_url(url)], "kind": [None, kind]},
    )
    return webhook


@transaction.atomic
def update_webhook(*, webhook: Webhook, actor, **changes) -> Webhook:
    _require_webhook_editor(actor, webhook.unit)
    webhook = Webhook.objects.select_for_update(no_key=True).get(pk=webhook.pk)
    delta = {}
    for name, value in changes.items():
        if name not in {"name", "kind", "url", "secret", "kinds", "is_active", "msg_format"}:
            raise DomainError(f"不可修改的字段：{name}")
        if getattr(webhook, name) != value:
            hidden = {"secret": lambda v: "***", "url": channels.mask_url}.get(name, lambda v: v)
            delta[name] = [hidden(getattr(webhook, name)), hidden(value)]
            setattr(webhook, name, value)
    channels.check_robot(kind=webhook.kind, url=webhook.url, msg_format=webhook.msg_format)
    webhook.save()
    record(actor=actor, verb="notifications.webhook_updated", target=webhook, unit=webhook.unit, changes=delta)
    return webhook


@transaction.atomic
def delete_webhook(*, webhook: Webhook, actor) -> None:
    _require_webhook_editor(actor, webhook.unit)
    record(
        actor=actor,
        verb="notifications.webhook_deleted",
        target=webhook,
        unit=webhook.unit,
        changes={"url": [channels.mask_url(webhook.url), None]},
    )
    webhook.delete()
