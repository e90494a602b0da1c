"""Bulk insertion of unit rows keyed by code, for the generators that write thousands of units at once
(the demo city, official divisions). Callers are services: they validate, hold the transaction and write one
summary audit event; this module only writes the rows and their materialised paths."""

from __future__ import annotations

from typing import NamedTuple

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
        fresh = {unit.code: unit for unit in Unit.objects.filter(code__in=[u.code for u in batch])}
        for row in ready:
            unit = fresh[row.code]
            unit.path = f"{paths[row.parent_code] if row.parent_code else '/'}{unit.pk}/"
            unit.depth = unit.path.count("/") - 2
            existing[row.code] = unit.pk
            paths[row.code] = unit.path
        Unit.objects.bulk_update(list(fresh.values()), ["path", "depth"], batch_size=500)
        created += len(batch)
        done = {row.code for row in ready}
        pending = [row for row in pending if row.code not in done]
    return created
