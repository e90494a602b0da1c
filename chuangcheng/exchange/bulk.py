"""Bulk writes of the outbox. On PostgreSQL the rows go in with ``COPY`` and outcomes with
``= ANY(array)`` through the driver's own (server-side) binding: Django's client-side quoting of each JSON
payload and of long id lists cost more than everything else at 10,000 messages. Elsewhere (SQLite) the
ORM does the same work. Callers run inside a transaction."""

from __future__ import annotations

import json

from django.db import connection
from django.utils import timezone

from chuangcheng.exchange.models import Exchange

COLUMNS = (
    "direction", "kind", "endpoint_id", "case_id", "idempotency_key", "payload", "payload_hash", "status",
    "attempts", "next_attempt_at", "response_code", "error", "created_at", "finished_at",
)  # fmt: skip


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def insert(rows: list[Exchange]) -> list[Exchange]:
    """Insert new rows; their ``pk`` and ``created_at`` are set."""
    if not rows:
        return rows
    if not _postgres():
        return Exchange.objects.bulk_create(rows, batch_size=1000)
    table = connection.ops.quote_name(Exchange._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{Exchange._meta.db_table}', 'id')) FROM generate_series(1, %s)",
            [len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} (id, {', '.join(COLUMNS)}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                row.pk, row.created_at = pk, now
                row._state.adding, row._state.db = False, connection.alias
                values = [getattr(row, name) for name in COLUMNS]
                values[COLUMNS.index("payload")] = json.dumps(row.payload, ensure_ascii=False)
                copy.write_row([pk, *values])
    return rows


def update(ids: list[int], **values) -> None:
    """``UPDATE … SET <values> WHERE id IN ids``; ``attempts=("+", 1)`` increments."""
    if not ids:
        return
    if not _postgres():
        from django.db.models import F

        orm = {k: F(k) + v[1] if isinstance(v, tuple) else v for k, v in values.items()}
        for start in range(0, len(ids), 900):
            Exchange.objects.filter(pk__in=ids[start : start + 900]).update(**orm)
        return
    sets, params = [], []
    for name, value in values.items():
        column = connection.ops.quote_name(name)
        if isinstance(value, tuple):
            sets.append(f"{column} = {column} + %s")
            params.append(value[1])
        else:
            sets.append(f"{column} = %s")
            params.append(value)
    table = connection.ops.quote_name(Exchange._meta.db_table)
    with connection.connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE id = ANY(%s)", [*params, list(ids)])
