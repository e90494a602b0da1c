"""Reads over areas and sites that need thought."""

from __future__ import annotations

from collections.abc import Iterable

from chuangcheng.places import lookup
from chuangcheng.places.models import Area


def descendant_area_ids(area_ids: Iterable[int]) -> set[int]:
    """The given areas and every area below them, from the cached lookup index (no query when warm)."""
    wanted = {int(pk) for pk in area_ids}
    if not wanted:
        return set()
    children: dict[int, list[int]] = {}
    for child, parent in lookup.get_index().parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    result, stack = set(), list(wanted)
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.add(current)
        stack.extend(children.get(current, ()))
    return result


def area_ancestors(area: Area) -> list[Area]:
    """The area's ancestors from the city down (one query)."""
    chain = lookup.get_index().chain_ids(area.pk)[1:]
    by_id = Area.objects.in_bulk(chain)
    return [by_id[pk] for pk in reversed(chain) if pk in by_id]


def parse_bbox(value: str) -> tuple[float, float, float, float] | None:
    """``"min_lng,min_lat,max_lng,max_lat"`` → floats, or None when malformed."""
    try:
        parts = [float(part) for part in value.split(",")]
    except (AttributeError, ValueError):
        return None
    if len(parts) != 4 or parts[0] > parts[2] or parts[1] > parts[3]:
        return None
    return parts[0], parts[1], parts[2], parts[3]
