"""Test helpers shared by every app: query-count guards and the permission matrix."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def assert_max_queries(limit: int):
    """Fail when the block runs more than ``limit`` SQL queries (lists must not grow per row)."""
    with CaptureQueriesContext(connection) as context:
        yield context
    count = len(context.captured_queries)
    if count > limit:
        listing = "\n".join(q["sql"][:200] for q in context.captured_queries)
        raise AssertionError(f"{count} queries, expected at most {limit}:\n{listing}")


def assert_permission_matrix(
    client_factory, url: str, *, in_scope, out_of_scope, no_role, method: str = "get", data=None
) -> None:
    """Anonymous → 401/403 (API) or redirect (pages); no role and out of scope → 404; in scope → 2xx.

    ``client_factory(user)`` returns a client logged in as ``user`` (None: anonymous).
    """
    anonymous = getattr(client_factory(None), method)(url, data=data)
    assert anonymous.status_code in (302, 401, 403), f"anonymous got {anonymous.status_code} for {url}"
    for label, user in (("no role", no_role), ("out of scope", out_of_scope)):
        response = getattr(client_factory(user), method)(url, data=data)
        assert response.status_code == 404, f"{label} got {response.status_code} for {url}"
    response = getattr(client_factory(in_scope), method)(url, data=data)
    assert 200 <= response.status_code < 300, f"in scope got {response.status_code} for {url}"


# The real Redis cache backend pointed at a port where nothing listens: a stopped Redis, as the product sees it.
REDIS_DOWN_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
}
