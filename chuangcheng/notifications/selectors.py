from chuangcheng.core.cache import Kept
from chuangcheng.notifications.models import Notification, NotificationKind, NotificationPreference, Webhook


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preferences_of(user) -> list[dict]:
    """Every kind with the user's choice (defaults: in-app on, email off, SMS on for kinds to acknowledge)."""
    from chuangcheng.notifications.reminders import cached_policy

    saved = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    ack_kinds = set(cached_policy().ack_kinds or [])
    rows = []
    for kind, label in NotificationKind.choices:
        pref = saved.get(kind)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "in_app": pref.in_app if pref else True,
                "email": pref.email if pref else False,
                "sms": pref.sms if pref else kind in ack_kinds,
                "requires_ack": kind in ack_kinds,
            }
        )
    return rows


def is_channel_office(user) -> bool:
    from chuangcheng.notifications.permissions import can_configure_channels

    return can_configure_channels(user)


def kind_labels(kinds) -> list[str]:
    labels = dict(NotificationKind.choices)
    return [labels.get(kind, kind) for kind in kinds or []]


def delivery_filter_choices():
    from chuangcheng.notifications.models import Channel, DeliveryStatus

    return DeliveryStatus.choices, Channel.choices


def delivery_or_404(pk):
    from django.http import Http404

    from chuangcheng.notifications.models import Delivery

    delivery = Delivery.objects.filter(pk=pk).first()
    if delivery is None:
        raise Http404("发送记录不存在")
    return delivery


def phone_coverage(user, limit: int = 50) -> dict:
    """Named people (leaders and unit heads) and whether they can be reached by SMS (office pages)."""
    from chuangcheng.accounts.models import Role, User

    people = (
        User.objects.filter(
            is_active=True, is_service_account=False, memberships__role__in=[Role.LEADER, Role.UNIT_HEAD]
        )
        .distinct()
        .order_by("username")
    )
    missing = people.filter(phone="")
    return {"total": people.count(), "missing_count": missing.count(), "missing": list(missing[:limit])}


# The units' active webhooks, read by every notification: kept per process, renewed when a webhook is saved or
# deleted (``notifications.apps``), so an intake reads none.
KEPT_WEBHOOKS = Kept("notifications.webhooks:version")
webhooks_changed = KEPT_WEBHOOKS.changed


def active_webhooks(unit_ids) -> dict:
    """``{unit id: [webhook, ...]}`` (in id order) of the active webhooks of these units."""

    def load(missing) -> dict:
        found = {unit_id: [] for unit_id in missing}
        for webhook in Webhook.objects.filter(unit_id__in=missing, is_active=True).order_by("pk"):
            found[webhook.unit_id].append(webhook)
        return found

    kept = KEPT_WEBHOOKS.get_many(sorted(set(unit_ids)), load)
    return {unit_id: hooks for unit_id, hooks in kept.items() if hooks}
