from chuangcheng.notifications.models import Notification, NotificationKind, NotificationPreference


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preferences_of(user) -> list[dict]:
    """Every kind with the user's choice (defaults: in-app on, email off)."""
    saved = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    rows = []
    for kind, label in NotificationKind.choices:
        pref = saved.get(kind)
        rows.append(
            {
                "kind": kind,
                "label": label,
                "in_app": pref.in_app if pref else True,
                "email": pref.email if pref else False,
            }
        )
    return rows
