"""Keyed hashes for phones, devices and addresses, and phone masking: dedup and rate limits
without keeping identifiers in clear where they are not needed."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.conf import settings

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"[\s\-]", "", phone or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits


def is_mobile(phone: str) -> bool:
    return bool(PHONE_RE.match(normalise_phone(phone)))


def keyed_hash(kind: str, value: str) -> str:
    if not value:
        return ""
    key = f"{settings.SECRET_KEY}:{kind}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def phone_hash(phone: str) -> str:
    return keyed_hash("phone", normalise_phone(phone))


def mask_phone(phone: str) -> str:
    phone = normalise_phone(phone)
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else ("*" * len(phone))


def client_address(request) -> str:
    """The client address as Django sees it (a proxy in front must set REMOTE_ADDR correctly)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
