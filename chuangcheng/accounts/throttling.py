"""Login throttling: after N failures for a username (or 4N from one address), lock for a while."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def _user_key(username: str) -> str:
    return f"login-fail:user:{username.strip().lower()}"


def _addr_key(address: str) -> str:
    return f"login-fail:addr:{address}"


def is_locked(username: str, address: str) -> bool:
    limit = settings.LOGIN_MAX_FAILURES
    return (cache.get(_user_key(username)) or 0) >= limit or (cache.get(_addr_key(address)) or 0) >= limit * 4


def note_failure(username: str, address: str) -> None:
    for key in (_user_key(username), _addr_key(address)):
        if not cache.add(key, 1, settings.LOGIN_LOCK_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_LOCK_SECONDS)


def clear(username: str) -> None:
    cache.delete(_user_key(username))
