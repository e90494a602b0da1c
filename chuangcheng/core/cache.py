"""The Django cache, used so that a cache outage (Redis stopped) slows the product down but never breaks it.

Redis is a cache here, never the only copy of anything. Every call below goes to the configured cache and,
when that raises (connection refused, timeout, ...), carries on:

- counters, flags and cached values fall back to a small cache inside this process (``_local``), so login
  throttling and citizen rate limits still count (per process instead of shared) and nothing is computed twice
  within a request;
- version tokens (``version_token``) change every ``DOWN_REFRESH_SECONDS`` while the cache is down, so each
  process re-reads what the token guards (the workday table, the area index) from the database now and then
  instead of never;
- one warning per process is logged, and the cache is not tried again for ``RETRY_SECONDS``, so a dead server
  costs one failed connection every few seconds, not one per call.

Use these helpers instead of ``django.core.cache.cache`` in product code.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.dispatch import receiver

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
DOWN_REFRESH_SECONDS = 30
_local = LocMemCache("chuangcheng-cache-fallback", {"OPTIONS": {"MAX_ENTRIES": 5000}})
_state = {"down_until": 0.0, "warned": False, "down": False}
_lock = threading.Lock()


def available() -> bool:
    """False while a recent failure keeps the cache out of use."""
    return time.monotonic() >= _state["down_until"]


def _failed(operation: str, exc: Exception) -> None:
    with _lock:
        _state["down_until"] = time.monotonic() + RETRY_SECONDS
        _state["down"] = True
        first = not _state["warned"]
        _state["warned"] = True
    if first:
        logger.warning(
            "Cache unavailable (%s during %s: %s); carrying on with process-local fallbacks, retrying every %ss",
            type(exc).__name__,
            operation,
            exc,
            RETRY_SECONDS,
        )


def _succeeded() -> None:
    if _state["down"]:
        _state["down"] = False
        logger.info("Cache reachable again")


def _call(operation: str, func, *args, **kwargs):
    """``(True, result)`` from the shared cache, or ``(False, None)`` when it is down."""
    if not available():
        return False, None
    try:
        result = func(*args, **kwargs)
    except Exception as exc:  # any backend error: the cache is optional
        _failed(operation, exc)
        return False, None
    _succeeded()
    return True, result


def safe_get(key: str, default: Any = None) -> Any:
    ok, value = _call("get", cache.get, key, default)
    return value if ok else _local.get(key, default)


def safe_set(key: str, value: Any, timeout: float | None) -> None:
    ok, _ = _call("set", cache.set, key, value, timeout)
    if not ok:
        _local.set(key, value, timeout)


def safe_add(key: str, value: Any, timeout: float | None) -> bool:
    """True when the key was absent and is now set (shared cache, else this process's fallback)."""
    ok, added = _call("add", cache.add, key, value, timeout)
    return bool(added) if ok else _local.add(key, value, timeout)


def safe_delete(key: str) -> None:
    _call("delete", cache.delete, key)
    _local.delete(key)


def _count(store, key: str, timeout: float | None) -> int:
    if store.add(key, 1, timeout):
        return 1
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.set(key, 1, timeout)
        return 1


def safe_count(key: str, timeout: float | None) -> int:
    """Add one to a counter that starts at 1 and expires ``timeout`` seconds after it started; the new value."""
    ok, value = _call("count", _count, cache, key, timeout)
    return value if ok else _count(_local, key, timeout)


def version_token(key: str) -> str:
    """A value that changes when ``new_version(key)`` is called in any process.

    While the cache is down, a value that changes every ``DOWN_REFRESH_SECONDS`` instead, so callers re-read
    their source now and then (each process still sees its own changes at once: they reset their own copy).
    """
    down = f"cache-down:{int(time.time() // DOWN_REFRESH_SECONDS)}"
    ok, value = _call("get", cache.get, key)
    if ok and value is None:
        ok, _ = _call("add", cache.add, key, uuid.uuid4().hex, None)
        ok, value = _call("get", cache.get, key) if ok else (False, None)
    return str(value) if ok and value is not None else down


def new_version(key: str) -> None:
    """Give ``key`` a new token, so every process reloads what it guards."""
    _call("set", cache.set, key, uuid.uuid4().hex, None)


class Kept:
    """Values kept in this process under the version token ``version_key`` (one cache read per ``get``):
    ``changed()`` (a signal receiver too) renews the token, now and again once the transaction commits, so
    every process recomputes. While this connection's open transaction holds a change (it may still roll
    back), values it computes are not kept."""

    def __init__(self, version_key: str, max_entries: int = 10_000, *, also: tuple[str, ...] = ()):
        """``also``: other version tokens the values depend on (renewed by their own writers)."""
        self.version_key, self.max_entries, self.also = version_key, max_entries, also
        self._version, self._values = None, {}

    def _current(self):
        version = version_token(self.version_key)
        return (version, *(version_token(key) for key in self.also)) if self.also else version

    def get(self, key, compute):
        version = self._current()
        if self._version != version:
            self._version, self._values = version, {}
        if key in self._values:
            return self._values[key]
        value = compute()
        if not self._changing():
            if len(self._values) >= self.max_entries:
                self._values = {}
            self._values[key] = value
        return value

    def get_many(self, keys, compute) -> dict:
        """``{key: value}`` for ``keys``: kept values, and ``compute(missing keys) -> {key: value}`` once for
        the others."""
        version = self._current()
        if self._version != version:
            self._version, self._values = version, {}
        found = {key: self._values[key] for key in keys if key in self._values}
        missing = [key for key in keys if key not in found]
        if missing:
            computed = compute(missing)
            if not self._changing():
                if len(self._values) + len(computed) > self.max_entries:
                    self._values = {}
                self._values.update(computed)
            found.update(computed)
        return found

    def _renew(self) -> None:
        new_version(self.version_key)
        self._version = None

    def _changing(self) -> bool:
        from django.db import transaction

        return any(entry[1] == self._renew for entry in getattr(transaction.get_connection(), "run_on_commit", ()))

    def changed(self, **_) -> None:
        from django.db import transaction

        self._renew()
        if transaction.get_connection().in_atomic_block and not self._changing():
            transaction.on_commit(self._renew)


def check() -> tuple[bool, str]:
    """Actively try the shared cache (for the health endpoint): ``(ok, detail)``."""
    try:
        key = "health:ping"
        cache.set(key, "1", 10)
        if cache.get(key) != "1":
            return False, "写入后读不到"
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}"[:200]
    _state["down_until"] = 0.0
    _succeeded()
    return True, ""


def reset() -> None:
    """Forget the outage memory and the fallback values (tests, and when the cache settings change)."""
    _state.update(down_until=0.0, warned=False, down=False)
    _local.clear()


@receiver(setting_changed)
def _on_setting_changed(*, setting, **kwargs):
    if setting == "CACHES":
        reset()
