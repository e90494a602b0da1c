"""Cache-based fixed-window rate limits for anonymous intake (reports, "me too", surveys).

With the cache down, the counts go on per process (``core.cache``): limits loosen, intake never fails.
"""

from __future__ import annotations

from django.conf import settings

from chuangcheng.core.cache import safe_count, safe_get
from chuangcheng.core.errors import DomainError

DEFAULT_LIMITS = {
    # bucket: (max hits, window seconds)
    "report:addr": (10, 3600),
    "report:phone": (5, 3600),
    "metoo:addr": (30, 3600),
    "survey:addr": (20, 3600),
    "follow:addr": (30, 600),
    "dispute:addr": (5, 86400),
    "dispute:report": (3, 86400),
    "rate:addr": (10, 3600),
    "praise:addr": (5, 3600),
}


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"


def limits() -> dict:
    return DEFAULT_LIMITS | getattr(settings, "PUBLIC_RATE_LIMITS", {})


def _key(bucket: str, ident: str) -> str:
    return f"public-rl:{bucket}:{ident}"


def is_limited(bucket: str, ident: str) -> bool:
    if not ident:
        return False
    maximum, _ = limits()[bucket]
    return (safe_get(_key(bucket, ident)) or 0) >= maximum


def hit(bucket: str, ident: str) -> None:
    if not ident:
        return
    _, window = limits()[bucket]
    safe_count(_key(bucket, ident), window)


def check_and_hit(buckets: dict[str, str]) -> None:
    """Raise ``RateLimited`` when any ``{bucket: identity}`` is over its limit; else count one hit each."""
    for bucket, ident in buckets.items():
        if is_limited(bucket, ident):
            raise RateLimited("提交过于频繁，请稍后再试")
    for bucket, ident in buckets.items():
        hit(bucket, ident)
