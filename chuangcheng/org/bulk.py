"""Bulk insertion of unit rows keyed by code, for the generators that write thousands of units at once
(the demo city, official divisions). Callers are services: they validate, hold the transaction and write one
summary audit event; this module only writes the rows and their materialised paths."""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from chuangcheng.core.scoping import scopes_changed
from chuangcheng.org.models import Unit


class UnitRow(NamedTuple):
    code: str
    name: str
    kind: str
    parent_code: str | None
    short_name: str = ""
    division_code: str | None = None


def insert_units(rows: list[UnitRow]) -> int:
    """Insert the rows whose code is new, parents first (a parent is an earlier row or an existing unit).

    Rows whose parent is neither are skipped. Returns the number inserted; ``sort_order`` follows row order
    after the existing units."""
    existing = dict(Unit.objects.values_list("code", "id"))
    paths = dict(Unit.objects.values_list("code", "path"))
    created = 0
    pending = [row for row in rows if row.code not in existing]
    order = len(existing)
    while pending:
        ready = [row for row in pending if row.parent_code is None or row.parent_code in existing]
        if not ready:
            break
        batch = []
        for row in ready:
            order += 1
            batch.append(
                Unit(
                    code=row.code,
                    name=row.name,
                    short_name=row.short_name,
                    kind=row.kind,
                    division_code=row.division_code,
                    parent_id=existing.get(row.parent_code) if row.parent_code else None,
                    sort_order=order,
                    path="/",
                )
            )
        Unit.objects.bulk_create(batch, batch_size=500)
        fresh = dict(Unit.objects.filter(code__in=[u.code for u in batch]).values_list("code", "id"))
        # the materialised path is the parent's path plus the new id: one UPDATE per parent, computed in SQL
        by_parent: dict[str | None, list[str]] = {}
        for row in ready:
            by_parent.setdefault(row.parent_code, []).append(row.code)
        for parent_code, codes in by_parent.items():
            prefix = paths[parent_code] if parent_code else "/"
            Unit.objects.filter(pk__in=[fresh[code] for code in codes]).update(
                path=Concat(Value(prefix), Cast("pk", CharField()), Value("/")), depth=prefix.count("/") - 1
            )
            for code in codes:
                existing[code] = fresh[code]
                paths[code] = f"{prefix}{fresh[code]}/"
        created += len(batch)
        done = {row.code for row in ready}
        pending = [row for row in pending if row.code not in done]
    scopes_changed()  # bulk writes send no signals: scopes kept per process are renewed here
    return created
