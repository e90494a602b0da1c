"""Login throttling that a guesser cannot turn into a lockout of somebody else.

Failures are counted three ways, each for ``LOGIN_LOCK_SECONDS`` from the first one:

- per account **and** client address: ``LOGIN_MAX_FAILURES`` locks that pair, so a guesser locks himself;
- per client address: 4 × ``LOGIN_MAX_FAILURES`` locks the address (one machine trying many accounts);
- per account: ``LOGIN_ACCOUNT_MAX_FAILURES`` marks the account as under attack (guesses from many
  addresses); unknown clients may then not try it until the window passes.

A *known client* is a browser that signed in to the account before: it holds a signed cookie
(``KNOWN_CLIENT_COOKIE``) with its own random id and the accounts it signed in to. A known client is judged
only by its own failures (``LOGIN_MAX_FAILURES`` per client id and account), so the owner still gets in with
the right password while the account is attacked from elsewhere, or from behind the same office address.

Counters live in the cache through ``core.cache``: with Redis down they go on per process.
"""

from __future__ import annotations

import json
import secrets

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from chuangcheng.core.cache import safe_count, safe_delete, safe_get

KNOWN_CLIENT_COOKIE = "cc_known_client"
KNOWN_CLIENT_SALT = "chuangcheng.accounts.known-client"
KNOWN_CLIENT_MAX_AGE = 180 * 24 * 3600
KNOWN_CLIENT_MAX_ACCOUNTS = 10


def _account(username: str) -> str:
    return salted_hmac(KNOWN_CLIENT_SALT, username.strip().lower()).hexdigest()[:24]


def _pair_key(username: str, address: str) -> str:
    return f"login-fail:pair:{_account(username)}:{address}"


def _addr_key(address: str) -> str:
    return f"login-fail:addr:{address}"


def _account_key(username: str) -> str:
    return f"login-fail:account:{_account(username)}"


def _client_key(username: str, client: str) -> str:
    return f"login-fail:client:{_account(username)}:{client}"


def _read_cookie(request) -> dict:
    try:
        value = request.get_signed_cookie(KNOWN_CLIENT_COOKIE, salt=KNOWN_CLIENT_SALT, max_age=KNOWN_CLIENT_MAX_AGE)
        data = json.loads(value)
    except (KeyError, signing.BadSignature, ValueError, TypeError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("a"), list):
        return {}
    return data


def known_client(request, username: str) -> str:
    """This browser's client id when it signed in to ``username`` before, else ``""``."""
    data = _read_cookie(request)
    return data["id"] if data and _account(username) in data["a"] else ""


def _count(key: str) -> int:
    return safe_get(key) or 0


def is_locked(username: str, address: str, client: str = "") -> bool:
    limit = settings.LOGIN_MAX_FAILURES
    if client:
        return _count(_client_key(username, client)) >= limit
    return (
        _count(_pair_key(username, address)) >= limit
        or _count(_addr_key(address)) >= limit * 4
        or _count(_account_key(username)) >= settings.LOGIN_ACCOUNT_MAX_FAILURES
    )


def note_failure(username: str, address: str, client: str = "") -> None:
    keys = [_account_key(username)]
    keys += [_client_key(username, client)] if client else [_pair_key(username, address), _addr_key(address)]
    for key in keys:
        safe_count(key, settings.LOGIN_LOCK_SECONDS)


def note_success(request, response, username: str, address: str) -> None:
    """Clear this client's failures and remember it as a known client of the account (a signed cookie)."""
    data = _read_cookie(request) or {"id": secrets.token_urlsafe(12), "a": []}
    safe_delete(_pair_key(username, address))
    safe_delete(_client_key(username, data["id"]))
    account = _account(username)
    accounts = [account] + [a for a in data["a"] if a != account]
    value = json.dumps({"id": data["id"], "a": accounts[:KNOWN_CLIENT_MAX_ACCOUNTS]}, separators=(",", ":"))
    response.set_signed_cookie(
        KNOWN_CLIENT_COOKIE,
        value,
        salt=KNOWN_CLIENT_SALT,
        max_age=KNOWN_CLIENT_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
