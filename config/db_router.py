"""Reports and dashboards read from a streaming replica when one is configured (``DATABASE_REPLICA_URL``).

With a ``replica`` alias in ``DATABASES``:
- every read of a model of ``REPLICA_READ_APPS`` (the command centre's pre-aggregated tables, which are derived
  data refreshed by beat on the primary, so a replica a few seconds behind shows the same figures) goes there;
- every read made inside ``replica_reads()`` (a context manager and decorator for report views and exports)
  goes there too;
- but never a read inside a transaction on the primary (it must see its own writes, and ``select_for_update``
  must lock the primary's row), and never a write. Migrations run on the primary only; the replica follows it.

Without the alias every read goes to ``default``, as before.
"""

from __future__ import annotations

from contextlib import ContextDecorator
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


class replica_reads(ContextDecorator):
    """Send the reads inside to the replica (if configured), e.g. a report view or an xlsx export."""

    def __enter__(self):
        self._token = _reading_from_replica.set(True)
        return self

    def __exit__(self, *exc):
        _reading_from_replica.reset(self._token)
        return False


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not replica_configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        if _reading_from_replica.get() or model._meta.app_label in getattr(settings, "REPLICA_READ_APPS", ()):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
