"""The signature both ways (pure): HMAC-SHA256 with the endpoint's shared secret over
``<timestamp>.<nonce>.<body>``, sent as headers. See docs/integrations.md (系统对接).

Headers: ``X-CC-Endpoint`` (the endpoint's code), ``X-CC-Timestamp`` (Unix seconds), ``X-CC-Nonce``
(random, used once), ``X-CC-Signature: sha256=<hex>``, ``Idempotency-Key``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import urllib.parse
from dataclasses import dataclass

WINDOW_SECONDS = 300  # a signed request older or newer than this is refused (a replay or a wrong clock)
HEADER_ENDPOINT = "X-CC-Endpoint"
HEADER_TIMESTAMP = "X-CC-Timestamp"
HEADER_NONCE = "X-CC-Nonce"
HEADER_SIGNATURE = "X-CC-Signature"
HEADER_IDEMPOTENCY = "Idempotency-Key"


def signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = timestamp.encode() + b"." + nonce.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def signed_headers(*, code: str, secret: str, body: bytes, idempotency_key: str, now: float | None = None) -> dict:
    timestamp = str(int(now if now is not None else time.time()))
    nonce = secrets.token_hex(16)
    return {
        "Content-Type": "application/json; charset=utf-8",
        HEADER_ENDPOINT: code,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signature(secret, timestamp, nonce, body),
        HEADER_IDEMPOTENCY: urllib.parse.quote(idempotency_key, safe=":-_.@/"),  # headers are Latin-1
    }


@dataclass(frozen=True)
class Refusal:
    """Why a signed request is refused: ``status`` 401 (unsigned, unknown, wrong) or 403 (stale, replay)."""

    status: int
    message: str


def check(*, secret: str, timestamp: str, nonce: str, given: str, body: bytes, now: float | None = None):
    """None when the signature is right and the timestamp inside the window, else a ``Refusal``
    (the nonce's single use is checked by the caller against stored nonces)."""
    if not (timestamp and nonce and given):
        return Refusal(401, "缺少签名：须带 X-CC-Timestamp、X-CC-Nonce 和 X-CC-Signature")
    if not hmac.compare_digest(signature(secret, timestamp, nonce, body), given):
        return Refusal(401, "签名无效")
    try:
        moment = int(timestamp)
    except ValueError:
        return Refusal(401, "X-CC-Timestamp 须为 Unix 秒数")
    if abs((now if now is not None else time.time()) - moment) > WINDOW_SECONDS:
        return Refusal(403, f"请求时间超出 {WINDOW_SECONDS} 秒有效期（重放或时钟不同步），已拒绝")
    if not 8 <= len(nonce) <= 64:
        return Refusal(401, "X-CC-Nonce 须为 8～64 个字符")
    return None
