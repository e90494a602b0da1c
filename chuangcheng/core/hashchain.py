"""Hash chains for append-only tables (audit log, case timelines).

Each row stores ``prev_hash`` and ``hash = sha256(prev_hash + canonical(payload))``.
Recomputing the chain names the first row whose stored hash does not match.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal

GENESIS = "0" * 64


def instant(value: datetime) -> str:
    """A moment as stored and read back by any database: UTC, ISO 8601.

    Hash payloads must use this (not ``isoformat()`` of whatever zone the
    caller had), or a row written with a local time would not verify once read
    back from the database in UTC.
    """
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.isoformat()


def _default(value):
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)


def chain_hash(prev_hash: str, payload: dict) -> str:
    return hashlib.sha256((prev_hash + canonical(payload)).encode("utf-8")).hexdigest()


def verify_chain(rows: Iterable[tuple[object, str, str, dict]]) -> list[object]:
    """Check ``(row_id, prev_hash, hash, payload)`` tuples in order; return ids of bad rows.

    A row is bad when its payload no longer hashes to its stored hash, or when
    its ``prev_hash`` does not equal the previous row's stored hash (a row was
    removed or reordered).
    """
    bad: list[object] = []
    expected_prev = GENESIS
    for row_id, prev_hash, stored_hash, payload in rows:
        if prev_hash != expected_prev or chain_hash(prev_hash, payload) != stored_hash:
            bad.append(row_id)
        expected_prev = stored_hash
    return bad
