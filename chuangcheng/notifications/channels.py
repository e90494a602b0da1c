"""External I/O of notifications: the HTTP post of group robots, their JSON formats, email.

DingTalk custom robot: ``https://oapi.dingtalk.com/robot/send?access_token=…``; with 加签 the URL also carries
``timestamp`` (ms) and ``sign`` = URL-encoded base64(HMAC-SHA256(secret, f"{timestamp}\n{secret}")); DingTalk
refuses a timestamp more than an hour off. WeCom group robot: ``https://qyapi.weixin.qq.com/cgi-bin/webhook/
send?key=…``: the key in the URL is the only credential (WeCom robots have no signature). Both answer
``{"errcode": 0, …}`` on success. Tests post to a stub HTTP server started by the test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import send_mail


def plain_text(title: str, text: str, url: str = "") -> str:
    return f"{title}\n{text}".rstrip() + (f"\n查看详情：{url}" if url else "")


def dingtalk_payload(title: str, text: str, url: str = "", fmt: str = "markdown") -> dict:
    if fmt == "text":
        return {"msgtype": "text", "text": {"content": plain_text(title, text, url)}}
    body = f"#### {title}\n\n{text}" + (f"\n\n[查看详情]({url})" if url else "")
    return {"msgtype": "markdown", "markdown": {"title": title, "text": body}}


def wecom_payload(title: str, text: str, url: str = "", fmt: str = "markdown") -> dict:
    if fmt == "text":
        return {"msgtype": "text", "text": {"content": plain_text(title, text, url)}}
    body = f"**{title}**\n{text}" + (f"\n[查看详情]({url})" if url else "")
    return {"msgtype": "markdown", "markdown": {"content": body}}


def check_robot(*, kind: str, url: str, msg_format: str) -> None:
    """Refuse robot settings that cannot work, naming the field (nothing is saved)."""
    from chuangcheng.core.errors import DomainError

    parts = urllib.parse.urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise DomainError("Webhook 地址须为 http(s):// 开头的完整地址", field="url")
    query = dict(urllib.parse.parse_qsl(parts.query))
    if kind == "dingtalk" and not query.get("access_token"):
        raise DomainError("钉钉机器人地址须包含 access_token 参数（在群设置 → 机器人中复制完整 Webhook）", field="url")
    if kind == "wecom" and not query.get("key"):
        raise DomainError("企业微信机器人地址须包含 key 参数（在群机器人详情中复制完整 Webhook）", field="url")
    if msg_format not in {"markdown", "text"}:
        raise DomainError("消息格式须为 markdown 或 text", field="msg_format")


def absolute(url: str) -> str:
    """Links in messages that leave the platform need the site's address (``NOTIFY_SITE_URL``)."""
    base = getattr(settings, "NOTIFY_SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") and base else url


def mask_url(url: str) -> str:
    """A robot URL for display: its query values (access_token, key) keep only their last 4 characters."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    masked = "&".join(f"{k}=****{v[-4:]}" if len(v) > 4 else f"{k}=****" for k, v in query)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, masked, ""))


def describe_error(exc: Exception, timeout: float) -> str:
    """A Chinese reason for a failed HTTP call (kept in the delivery log)."""
    if isinstance(exc, urllib.error.HTTPError):
        kind = "服务器错误" if exc.code >= 500 else "请求被拒绝"
        return f"HTTP {exc.code} {kind}"
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, TimeoutError | socket.timeout) or "timed out" in str(reason):
        return f"请求超时（{timeout:g}秒无响应）"
    return f"连接失败：{str(reason)[:300]}"


def signed_dingtalk_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """DingTalk 加签: ``timestamp`` and ``sign = base64(hmac_sha256(secret, f"{ts}\\n{secret}"))``."""
    if not secret:
        return url
    timestamp_ms = timestamp_ms or int(time.time() * 1000)
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


def post_json(url: str, payload: dict, timeout: float | None = None) -> tuple[bool, str]:
    """POST JSON; both robots answer ``{"errcode": 0, ...}`` on success. Returns (ok, reason or answer)."""
    timeout = timeout or float(getattr(settings, "NOTIFY_HTTP_TIMEOUT", 5.0))
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
        return False, describe_error(exc, timeout)
    try:
        answer = json.loads(body)
    except ValueError:
        answer = {}
    answer = answer if isinstance(answer, dict) else {}
    errcode = answer.get("errcode", 0)
    if errcode != 0:
        return False, f"机器人返回错误：errcode={errcode} {answer.get('errmsg', '')}".strip()[:500]
    return True, body[:500]


def send_email(to: str, subject: str, body: str) -> tuple[bool, str]:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    except Exception as exc:
        return False, str(exc)[:500]
    return True, ""
