"""Reads over the unit tree."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from chuangcheng.org.models import Unit


def subtree_ids(units: Iterable[Unit]) -> set[int]:
    """Ids of the given units and all their descendants (one query)."""
    paths = {unit.path for unit in units if unit.path}
    if not paths:
        return set()
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return set(Unit.objects.filter(query).values_list("id", flat=True))


def unit_tree(units: Iterable[Unit]) -> list[tuple[Unit, int]]:
    """``(unit, relative depth)`` in tree order for units already fetched in path order."""
    units = sorted(units, key=lambda unit: unit.path)
    if not units:
        return []
    base = min(unit.depth for unit in units)
    return [(unit, unit.depth - base) for unit in units]


def ancestors(unit: Unit) -> list[Unit]:
    ids = unit.ancestor_ids()[:-1]
    by_id = Unit.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]
