"""SMS to residents: external I/O behind one small interface, chosen by the setting
``PUBLIC_SMS_BACKEND`` (a dotted path; default ``LogBackend``).

A backend's ``send(phone=…, message=…)`` returns a ``SmsResult``. ``delivered`` is True only when a
gateway accepted the message; the default backend writes the (masked) notice to the log and says
``delivered=False``, so the notice is recorded as 已记录, never as sent. A city plugs in its gateway
(Aliyun, Tencent Cloud, an operator's SMPP bridge) by writing a backend class; tests mock it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from chuangcheng.public.privacy import mask_phone

logger = logging.getLogger("chuangcheng.public.sms")
DEFAULT_BACKEND = "chuangcheng.public.sms.LogBackend"


@dataclass(frozen=True)
class SmsResult:
    delivered: bool
    provider_id: str = ""
    detail: str = ""


class LogBackend:
    """No gateway configured: log the notice (phone masked) and report it as not delivered."""

    name = "log"

    def send(self, *, phone: str, message: str) -> SmsResult:
        logger.info("SMS to %s (not sent, no gateway configured): %s", mask_phone(phone), message)
        return SmsResult(delivered=False, detail="未配置短信网关，仅记录")


def backend_path() -> str:
    return getattr(settings, "PUBLIC_SMS_BACKEND", "") or DEFAULT_BACKEND


def get_backend():
    return import_string(backend_path())()
