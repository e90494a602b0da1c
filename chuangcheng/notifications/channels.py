"""External I/O of notifications: the HTTP post of group robots, their JSON formats, email.

Tests mock ``post_json`` only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail


def dingtalk_payload(title: str, text: str, url: str = "") -> dict:
    body = f"#### {title}\n\n{text}" + (f"\n\n[查看详情]({url})" if url else "")
    return {"msgtype": "markdown", "markdown": {"title": title, "text": body}}


def wecom_payload(title: str, text: str, url: str = "") -> dict:
    body = f"**{title}**\n{text}" + (f"\n[查看详情]({url})" if url else "")
    return {"msgtype": "markdown", "markdown": {"content": body}}


def signed_dingtalk_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """DingTalk 加签: ``timestamp`` and ``sign = base64(hmac_sha256(secret, f"{ts}\\n{secret}"))``."""
    if not secret:
        return url
    timestamp_ms = timestamp_ms or int(time.time() * 1000)
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


def post_json(url: str, payload: dict, timeout: float = 5.0) -> tuple[bool, str]:
    """POST JSON; both robots answer ``{"errcode": 0, ...}`` on success."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured URL)
            body = response.read(4096).decode("utf-8", errors="replace")
    except Exception as exc:  # network errors of every kind become a retry
        return False, str(exc)[:500]
    try:
        errcode = json.loads(body).get("errcode", 0)
    except ValueError:
        errcode = 0
    return errcode == 0, body[:500]


def send_email(to: str, subject: str, body: str) -> tuple[bool, str]:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception as exc:
        return False, str(exc)[:500]
    return True, ""
