"""Point → area lookup: the smallest area containing a point, and its chain up to the city.

One shapely 2 ``STRtree`` per area level holds the polygons of that level.
A batch of points is answered level by level, deepest (grid) first: each tree
is queried once, vectorised (``tree.query(points)`` for bounding-box candidates,
then ``shapely.intersects_xy`` on the prepared polygons – the same answer as
``predicate="intersects"``, faster), and only the points not yet placed go on
to the next level up. The chain above
the found area follows the ``parent`` links of the area tree.

Rules (tested in ``tests/test_lookup.py``):

* *Containment includes the boundary* (``intersects``): a point exactly on an
  area's edge is inside it; a point inside a polygon's hole is not.
* *Shared borders*: a point on the border of two (or more) areas of the same
  level belongs to the one whose **code sorts first** (Python string order).
  The rule is deterministic and does not depend on insertion order or ids.
* *Deepest level wins*: a point inside a grid returns the grid, even though
  its community contains it too; a point inside a community but in no grid
  returns the community.
* *Outside the city*: ``locate`` returns ``[]`` and ``locate_many`` ``None``.
* MultiPolygons work like polygons (any part contains the point).

The index is built once per process and cached; it carries a version token
that lives in the Django cache (shared by every process when the cache is
Redis). ``invalidate_index()`` gives the token a new value when areas change
(services call it), now and again on commit, so every process rebuilds on its
next lookup. While the cache is down the token changes every half minute
(``core.cache.version_token``), so other processes pick changes up late, never
not at all.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import transaction
from shapely.geometry import shape

from chuangcheng.core.cache import new_version, version_token
from chuangcheng.places.models import Area

VERSION_KEY = "places:area_index_version"
NOT_FOUND = 0
_SENTINEL = np.iinfo(np.int64).max


@dataclass
class LevelIndex:
    level: int
    ids: np.ndarray  # area ids, position == rank (code order)
    geoms: np.ndarray  # prepared shapely geometries, same order
    tree: shapely.STRtree


@dataclass
class AreaIndex:
    version: str
    levels: list[LevelIndex]  # deepest level first
    parents: dict[int, int | None]
    size: int

    def locate_ids(self, lngs, lats) -> np.ndarray:
        """Area id of the smallest area containing each point (``NOT_FOUND`` = 0 when none)."""
        lngs = np.asarray(lngs, dtype=float)
        lats = np.asarray(lats, dtype=float)
        result = np.zeros(lngs.shape[0], dtype=np.int64)
        if not self.levels or not lngs.size:
            return result
        points = shapely.points(lngs, lats)
        pending = np.arange(lngs.shape[0])
        for level in self.levels:
            if not pending.size:
                break
            # bounding-box candidates from the tree, then the exact test on prepared polygons
            # (equivalent to ``tree.query(points, predicate="intersects")``, about 5x faster).
            point_pos, geom_pos = level.tree.query(points[pending])
            if not point_pos.size:
                continue
            exact = shapely.intersects_xy(level.geoms[geom_pos], lngs[pending][point_pos], lats[pending][point_pos])
            point_pos, geom_pos = point_pos[exact], geom_pos[exact]
            if not point_pos.size:
                continue
            best = np.full(pending.size, _SENTINEL, dtype=np.int64)
            np.minimum.at(best, point_pos, geom_pos)
            found = best != _SENTINEL
            result[pending[found]] = level.ids[best[found]]
            pending = pending[~found]
        return result

    def chain_ids(self, area_id: int) -> list[int]:
        """``area_id`` and its ancestors, smallest first (stops on a cycle)."""
        chain: list[int] = []
        current: int | None = area_id
        while current is not None and current not in chain:
            chain.append(current)
            current = self.parents.get(current)
        return chain


_lock = threading.Lock()
_cached: AreaIndex | None = None


def current_version() -> str:
    return version_token(VERSION_KEY)


def _bump() -> None:
    new_version(VERSION_KEY)


def invalidate_index() -> None:
    """Areas changed: rebuild everywhere on the next lookup (now, and again once committed)."""
    global _cached
    with _lock:
        _cached = None
    _bump()
    transaction.on_commit(_bump)


def build_index(version: str = "") -> AreaIndex:
    rows = Area.objects.order_by("level", "code").values_list("id", "code", "level", "parent_id", "geometry")
    return index_from_rows(list(rows), version)


def index_from_rows(rows, version: str = "") -> AreaIndex:
    """Build an index from ``(id, code, level, parent_id, geometry)`` rows (GeoJSON dict or shapely)."""
    parents = {row[0]: row[3] for row in rows}
    by_level: dict[int, list[tuple[str, int, shapely.Geometry]]] = {}
    for area_id, code, level, _parent, geometry in rows:
        if geometry is None or (isinstance(geometry, dict) and not geometry):
            continue
        try:
            geom = geometry if isinstance(geometry, shapely.Geometry) else shape(geometry)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError):
            continue
        if geom.is_empty:
            continue
        by_level.setdefault(level, []).append((code, area_id, geom))
    levels = []
    size = 0
    for level in sorted(by_level, reverse=True):
        entries = sorted(by_level[level], key=lambda entry: entry[0])
        geoms = np.array([entry[2] for entry in entries], dtype=object)
        shapely.prepare(geoms)
        ids = np.array([entry[1] for entry in entries], dtype=np.int64)
        levels.append(LevelIndex(level=level, ids=ids, geoms=geoms, tree=shapely.STRtree(geoms)))
        size += len(entries)
    return AreaIndex(version=version, levels=levels, parents=parents, size=size)


def get_index() -> AreaIndex:
    """The cached index for the current version, rebuilt when areas changed."""
    global _cached
    version = current_version()
    cached = _cached
    if cached is not None and cached.version == version:
        return cached
    index = build_index(version)
    with _lock:
        _cached = index
    return index


def locate_ids(lngs: Sequence[float], lats: Sequence[float]) -> np.ndarray:
    """Vectorised: smallest area id per point, 0 when outside every area."""
    return get_index().locate_ids(lngs, lats)


def locate(lng: float, lat: float) -> list[Area]:
    """The smallest area containing the point and its ancestors up to the city; [] outside."""
    index = get_index()
    found = int(index.locate_ids([lng], [lat])[0])
    if found == NOT_FOUND:
        return []
    chain = index.chain_ids(found)
    by_id = Area.objects.in_bulk(chain)
    return [by_id[area_id] for area_id in chain if area_id in by_id]


def locate_many(points: Iterable[tuple[float, float]]) -> list[Area | None]:
    """The smallest area per ``(lng, lat)`` point (None outside), in input order; one query."""
    coords = np.asarray(list(points), dtype=float).reshape(-1, 2)
    ids = locate_ids(coords[:, 0], coords[:, 1])
    wanted = {int(i) for i in np.unique(ids) if i != NOT_FOUND}
    by_id = Area.objects.in_bulk(wanted) if wanted else {}
    return [by_id.get(int(i)) for i in ids]


def chains_for(area_ids: Iterable[int]) -> dict[int, list[int]]:
    """Ancestor chains (smallest first) for the given area ids, from the cached index."""
    index = get_index()
    return {area_id: index.chain_ids(area_id) for area_id in set(area_ids)}
