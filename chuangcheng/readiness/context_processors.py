"""The inspection countdown in the page header, for the office and leaders."""

from chuangcheng.readiness.permissions import sees_countdown
from chuangcheng.readiness.selectors import next_countdown


def countdown(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not sees_countdown(user):
        return {}
    return {"header_countdown": next_countdown(user)}
