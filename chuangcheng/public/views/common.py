"""Small helpers shared by the public pages."""

from __future__ import annotations

import secrets

DEVICE_COOKIE = "cc_dev"
DEVICE_SALT = "public-device"
DEVICE_MAX_AGE = 3 * 365 * 24 * 3600


def device_id(request) -> str:
    """A random id kept in a signed cookie; a tampered cookie counts as none."""
    return request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT) or ""


def ensure_device(request, response) -> None:
    if not device_id(request):
        response.set_signed_cookie(
            DEVICE_COOKIE,
            getattr(request, "_new_device_id", None) or secrets.token_hex(16),
            salt=DEVICE_SALT,
            max_age=DEVICE_MAX_AGE,
            httponly=True,
            samesite="Lax",
        )


def new_device_id(request) -> str:
    """The device id to use now: the cookie's, or a fresh one that ``ensure_device`` will set."""
    current = device_id(request)
    if current:
        return current
    request._new_device_id = getattr(request, "_new_device_id", None) or secrets.token_hex(16)
    return request._new_device_id
