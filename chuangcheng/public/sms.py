"""SMS to residents through the platform's SMS backends (``chuangcheng.notifications.sms``).

Reporter notices use ``PUBLIC_SMS_BACKEND`` when set, else the platform's ``SMS_BACKEND`` (default: log
only). A backend's ``send(phone=…, message=…)`` returns an ``SmsResult``; ``delivered`` is True only when a
gateway accepted the message, so notices through the logging default are recorded as 已记录, never as sent.
"""

from __future__ import annotations

import logging

from chuangcheng.notifications import sms
from chuangcheng.notifications.sms import SmsResult

__all__ = ["DEFAULT_BACKEND", "LogBackend", "SmsResult", "backend_path", "get_backend"]

DEFAULT_BACKEND = "chuangcheng.public.sms.LogBackend"


class LogBackend(sms.LogBackend):
    """No gateway configured: log the notice (phone masked) under the public app's logger."""

    logger = logging.getLogger("chuangcheng.public.sms")


def backend_path() -> str:
    path = sms.backend_path("PUBLIC_SMS_BACKEND")
    return DEFAULT_BACKEND if path == sms.DEFAULT_BACKEND else path


def get_backend():
    from django.utils.module_loading import import_string

    return import_string(backend_path())()
