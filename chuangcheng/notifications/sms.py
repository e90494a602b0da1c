"""SMS: external I/O behind one small interface, the backend chosen by the setting ``SMS_BACKEND`` (a dotted
path; default ``LogBackend``). Staff notifications (``notifications.outbox``) and reporter notices
(``public.sms``, which may pick its own backend with ``PUBLIC_SMS_BACKEND``) use the same backends.

A backend's ``send(phone=…, message=…)`` returns an ``SmsResult``. ``delivered`` is True only when a gateway
accepted the message. ``LogBackend`` writes the (masked) message to the log and says ``delivered=False``, so
the message is recorded as 仅记录, never as sent, and the pages say so. A failed send raises ``SmsError``
with a Chinese reason (the outbox retries it). Backends:

- ``LogBackend`` (default): no gateway, log only.
- ``HttpGatewayBackend``: a generic HTTP gateway (an operator's or the city's SMS platform), JSON POST,
  optional bearer token and HMAC signature (see docs/integrations.md).
- ``chuangcheng.notifications.sms_cloud.AliyunBackend`` / ``TencentBackend``: the vendors' maintained SDKs,
  optional extras (``pip install -r requirements-sms.txt``), imported only when chosen.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("chuangcheng.sms")
DEFAULT_BACKEND = "chuangcheng.notifications.sms.LogBackend"
MOBILE = re.compile(r"^1\d{10}$")
MOBILE_IN_TEXT = re.compile(r"(?<!\d)1\d{10}(?!\d)")


@dataclass(frozen=True)
class SmsResult:
    delivered: bool
    provider_id: str = ""
    detail: str = ""


class SmsError(Exception):
    """A gateway refused or could not be reached; the message is the reason shown in the delivery log."""


def mask_phone(phone: str) -> str:
    phone = phone or ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def sms_setting(name: str, default=""):
    return (getattr(settings, "SMS_OPTIONS", None) or {}).get(name, default)


class LogBackend:
    """No gateway configured: log the message (phone masked) and report it as not delivered."""

    name = "log"
    label = "仅记录日志（未配置短信网关，短信不会真正发出）"
    sends = False
    logger = logger

    def send(self, *, phone: str, message: str) -> SmsResult:
        self.logger.info("SMS to %s (not sent, no gateway configured): %s", mask_phone(phone), message)
        return SmsResult(delivered=False, detail="未配置短信网关，仅记录")


class HttpGatewayBackend:
    """POST ``{"phone", "message", "sign_name"}`` as JSON to ``SMS_HTTP_URL``.

    Headers: ``Authorization: Bearer <SMS_HTTP_TOKEN>`` when set; with ``SMS_HTTP_SECRET``,
    ``X-Timestamp`` (seconds) and ``X-Signature`` = hex HMAC-SHA256(secret, f"{timestamp}\\n{body}").
    Success: HTTP 2xx and, when the answer is JSON with a ``code``, code 0/"0"/"OK"; the provider's id is
    read from ``id``, ``message_id`` or ``biz_id``.
    """

    name = "http"
    label = "HTTP 短信网关"
    sends = True

    def __init__(self):
        self.url = sms_setting("HTTP_URL")
        if not self.url:
            raise SmsError("已选择 HTTP 短信网关，但未配置网关地址（SMS_HTTP_URL）")
        self.token = sms_setting("HTTP_TOKEN")
        self.secret = sms_setting("HTTP_SECRET")
        self.sign_name = sms_setting("SIGN_NAME")
        self.timeout = float(getattr(settings, "NOTIFY_HTTP_TIMEOUT", 5.0))

    def send(self, *, phone: str, message: str) -> SmsResult:
        body = json.dumps({"phone": phone, "message": message, "sign_name": self.sign_name}, ensure_ascii=False).encode(
            "utf-8"
        )
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.secret:
            timestamp = str(int(time.time()))
            digest = hmac.new(self.secret.encode(), timestamp.encode() + b"\n" + body, hashlib.sha256).hexdigest()
            headers |= {"X-Timestamp": timestamp, "X-Signature": digest}
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        from chuangcheng.notifications.channels import describe_error

        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                text = response.read(4096).decode("utf-8", errors="replace")
        except Exception as exc:
            raise SmsError(describe_error(exc, self.timeout)) from exc
        try:
            answer = json.loads(text) if text.strip() else {}
        except ValueError:
            answer = {}
        answer = answer if isinstance(answer, dict) else {}
        code = answer.get("code", 0)
        if str(code).lower() not in {"0", "ok"}:
            raise SmsError(f"短信网关拒绝：{code} {answer.get('message') or answer.get('msg') or ''}".strip())
        provider_id = str(answer.get("id") or answer.get("message_id") or answer.get("biz_id") or "")
        return SmsResult(delivered=True, provider_id=provider_id[:100])


def backend_path(setting: str = "SMS_BACKEND") -> str:
    return getattr(settings, setting, "") or getattr(settings, "SMS_BACKEND", "") or DEFAULT_BACKEND


def get_backend(setting: str = "SMS_BACKEND"):
    return import_string(backend_path(setting))()


def describe_backend() -> dict:
    """What the pages show about the configured gateway (honest about the logging default)."""
    path = backend_path()
    try:
        backend = import_string(path)
    except ImportError:
        return {"path": path, "label": "配置的短信后端不存在", "sends": False, "error": True}
    return {"path": path, "label": getattr(backend, "label", path), "sends": getattr(backend, "sends", True)}
