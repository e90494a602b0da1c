"""Chasing: notifications that must be acknowledged are re-sent to the named person until they are.

A notification requires acknowledgement when the caller says so (``notify(..., requires_ack=True)``, e.g.
抄告单) or its kind is one of the policy's ``ack_kinds`` (default ``NOTIFY_ACK_KINDS``: 催办/督办). It is
re-sent every ``reminder_hours`` (by SMS when the person has a mobile number, by e-mail when they chose it,
and it shows as unread again) at most ``max_reminders`` times, until the person presses 确认收到.
Reminders that fall due in the quiet period (default 22:00–07:30, local time) wait until it ends; urgent ones
go through when the policy allows it. ``send_due_reminders`` is idempotent (beat ``notifications.remind``,
``manage.py send_reminders``): it moves each notification's ``next_reminder_at`` in the same transaction
that records the reminder's deliveries.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record, record_many
from chuangcheng.core.cache import safe_delete, safe_get, safe_set
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.notifications import channels
from chuangcheng.notifications.models import (
    Channel,
    ChasingPolicy,
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from chuangcheng.notifications.permissions import can_configure_channels

BATCH = 500
POLICY_CACHE_KEY = "notifications:chasing-policy"
POLICY_FIELDS = ("reminder_hours", "max_reminders", "quiet_start", "quiet_end", "urgent_in_quiet", "ack_kinds")


def policy() -> ChasingPolicy:
    """The saved policy, else one built from settings (not saved)."""
    saved = ChasingPolicy.objects.order_by("pk").first()
    if saved is not None:
        return saved
    return ChasingPolicy(
        reminder_hours=int(getattr(settings, "NOTIFY_REMINDER_HOURS", 4)),
        max_reminders=int(getattr(settings, "NOTIFY_MAX_REMINDERS", 10)),
        quiet_start=_parse_time(getattr(settings, "NOTIFY_QUIET_START", "22:00")),
        quiet_end=_parse_time(getattr(settings, "NOTIFY_QUIET_END", "07:30")),
        urgent_in_quiet=bool(getattr(settings, "NOTIFY_URGENT_IN_QUIET", False)),
        ack_kinds=list(getattr(settings, "NOTIFY_ACK_KINDS", [NotificationKind.CASE_ESCALATED])),
    )


def cached_policy() -> ChasingPolicy:
    """``policy()`` through the cache (a minute at most out of date), for ``notify`` on every event."""
    values = safe_get(POLICY_CACHE_KEY)
    if values is None:
        current = policy()
        values = {name: getattr(current, name) for name in POLICY_FIELDS}
        safe_set(POLICY_CACHE_KEY, values, 60)
    return ChasingPolicy(**values)


def _parse_time(value) -> time:
    return value if isinstance(value, time) else datetime.strptime(str(value), "%H:%M").time()


def in_quiet(moment: datetime, rules: ChasingPolicy) -> bool:
    local = timezone.localtime(moment).time()
    start, end = _parse_time(rules.quiet_start), _parse_time(rules.quiet_end)
    if start == end:
        return False
    return start <= local < end if start < end else (local >= start or local < end)


def quiet_ends(moment: datetime, rules: ChasingPolicy) -> datetime:
    """The first moment at or after ``moment`` outside the quiet period."""
    if not in_quiet(moment, rules):
        return moment
    local = timezone.localtime(moment)
    end = local.replace(
        hour=_parse_time(rules.quiet_end).hour, minute=_parse_time(rules.quiet_end).minute, second=0, microsecond=0
    )
    return end if end > local else end + timedelta(days=1)


def ack_fields(*, kind: str, requires_ack: bool | None, urgent: bool, rules: ChasingPolicy, now) -> dict:
    """The chasing fields of a new notification."""
    needs = requires_ack if requires_ack is not None else kind in (rules.ack_kinds or [])
    if not needs:
        return {"urgent": urgent}
    return {
        "requires_ack": True,
        "urgent": urgent,
        "next_reminder_at": now + timedelta(hours=max(1, rules.reminder_hours)),
    }


def sms_text(note: Notification, reminder_no: int = 0) -> str:
    head = f"【催办提醒·第{reminder_no}次】" if reminder_no else ""
    ask = "请登录平台确认收到" if note.requires_ack else "详情请登录平台查看"
    link = channels.absolute(f"/notifications/{note.pk}/") if note.pk else ""
    return f"{head}{note.title}。{ask}{'：' + link if link else ''}"


@transaction.atomic
def send_due_reminders(*, now=None, actor=None) -> int:
    """Re-send due reminders (or move them past the quiet period); returns how many were re-sent."""
    now = now or timezone.now()
    rules = policy()
    due = list(
        Notification.objects.select_for_update(no_key=True, skip_locked=True, of=("self",))
        .select_related("user")
        .filter(requires_ack=True, acknowledged_at__isnull=True, next_reminder_at__lte=now)
        .order_by("next_reminder_at", "pk")[:BATCH]
    )
    if not due:
        return 0
    prefs = {
        (p.user_id, p.kind): p
        for p in NotificationPreference.objects.filter(
            user_id__in={n.user_id for n in due}, kind__in={n.kind for n in due}
        )
    }
    deliveries, audit, sent = [], [], 0
    for note in due:
        if in_quiet(now, rules) and not (note.urgent and rules.urgent_in_quiet):
            note.next_reminder_at = quiet_ends(now, rules)
            continue
        if note.reminders_sent >= rules.max_reminders or not note.user.is_active:
            note.next_reminder_at = None
            continue
        note.reminders_sent += 1
        note.read_at = None
        note.next_reminder_at = now + timedelta(hours=max(1, rules.reminder_hours))
        pref = prefs.get((note.user_id, note.kind))
        if (pref.sms if pref else True) and note.user.phone:
            deliveries.append(
                Delivery(
                    channel=Channel.SMS, notification=note, user=note.user, recipient=note.user.phone,
                    subject=note.title[:200], payload={"body": sms_text(note, note.reminders_sent)},
                )
            )  # fmt: skip
        if pref is not None and pref.email and note.user.email:
            payload = {"body": note.body, "url": channels.absolute(note.url)}
            deliveries.append(
                Delivery(
                    channel=Channel.EMAIL, notification=note, user=note.user, recipient=note.user.email,
                    subject=f"【催办提醒】{note.title}"[:200], payload=payload,
                )
            )  # fmt: skip
        audit.append(
            {"actor": actor, "verb": "notifications.reminded", "target": note,
             "changes": {"reminders_sent": [note.reminders_sent - 1, note.reminders_sent]}}
        )  # fmt: skip
        sent += 1
    Notification.objects.bulk_update(due, ["reminders_sent", "read_at", "next_reminder_at"])
    Delivery.objects.bulk_create(deliveries)
    record_many(audit)
    ids = [d.pk for d in deliveries]
    if ids:
        from chuangcheng.notifications.outbox import enqueue

        transaction.on_commit(lambda: enqueue(ids))
    return sent


@transaction.atomic
def acknowledge(*, actor, notification: Notification) -> Notification:
    """The named person confirms receipt: reminders stop."""
    notification = Notification.objects.select_for_update(no_key=True).get(pk=notification.pk)
    if notification.user_id != actor.pk:
        raise NotPermitted("只能确认自己的通知")
    if notification.acknowledged_at is None:
        now = timezone.now()
        notification.acknowledged_at, notification.next_reminder_at = now, None
        notification.read_at = notification.read_at or now
        notification.save(update_fields=["acknowledged_at", "next_reminder_at", "read_at"])
        record(
            actor=actor,
            verb="notifications.acknowledged",
            target=notification,
            changes={"acknowledged_at": [None, now.isoformat(timespec="seconds")]},
        )
    return notification


@transaction.atomic
def update_policy(*, actor, **values) -> ChasingPolicy:
    if not can_configure_channels(actor):
        raise NotPermitted("只有创建办可以修改催办提醒规则")
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    if "reminder_hours" in values and not 1 <= int(values["reminder_hours"]) <= 168:
        raise DomainError("提醒间隔须为1～168小时", field="reminder_hours")
    if "max_reminders" in values and not 0 <= int(values["max_reminders"]) <= 100:
        raise DomainError("最多提醒次数须为0～100", field="max_reminders")
    bad = set(values.get("ack_kinds") or []) - set(NotificationKind.values)
    if bad:
        raise DomainError(f"未知通知类型：{'、'.join(sorted(bad))}", field="ack_kinds")
    current = ChasingPolicy.objects.select_for_update(no_key=True).order_by("pk").first() or policy()
    delta = {}
    for name, value in values.items():
        old = getattr(current, name)
        if str(old) != str(value):
            delta[name] = [str(old), str(value)]
            setattr(current, name, value)
    current.save()
    record(actor=actor, verb="notifications.policy_updated", target=current, changes=delta)
    safe_delete(POLICY_CACHE_KEY)
    transaction.on_commit(lambda: safe_delete(POLICY_CACHE_KEY))
    return current
