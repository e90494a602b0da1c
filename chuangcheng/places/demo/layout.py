"""The demo city's plan, computed without the database (deterministic for a given scale).

The demo runs on a real prefecture-level city: 淮北市 (340600), its 4 counties/districts, 37 towns/streets and
452 villages/communities with their official codes and names (``places.divisions.catalog``), and the county and
city boundaries of the boundary package (``places.divisions.shapes``). Towns, villages and grids have no
official polygons: their shapes are generated inside each county (a Voronoi partition of random seeds, relaxed
twice, clipped to the parent), so children tile their parent exactly. Those areas are stored with
``geometry_source = demo`` and the UI labels them 演示 (not official boundaries).

Unit and area codes stay the demo's stable codes (``CITY``, ``D01``…``D04``, ``D01-S01``, ``D01-S01-C01``,
grids ``…-G01``) with the official code in ``division_code``; about 2,000 × scale grids are spread over the
communities (urban 社区 get three times the share of a 村).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely

from chuangcheng.places.demo.names import CITY_NAME
from chuangcheng.places.divisions import catalog, shapes
from chuangcheng.places.geometry import to_geojson

SEED = 20_261_122
CITY_DIVISION = "340600"
# demo code -> official county code; D01 is the central urban district (the demo district user's unit)
DISTRICTS = (("D01", "340603"), ("D02", "340602"), ("D03", "340604"), ("D04", "340621"))
GRIDS_PER_SCALE = 2000
RELAXATIONS = 2


@dataclass
class AreaPlan:
    code: str
    name: str
    level: int
    parent_code: str | None
    unit_code: str
    geometry: shapely.Geometry | None
    population: int = 0
    division_code: str | None = None
    generated: bool = False  # a demo shape (演示), not an official boundary

    def geojson(self) -> dict:
        return to_geojson(self.geometry)


@dataclass
class CityPlan:
    areas: list[AreaPlan]  # parents before children (city, districts, streets, communities)
    grids: list[AreaPlan]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return self.areas[0].geometry.bounds

    def unit_codes(self) -> dict[str, str]:
        """Official division code -> the demo's unit/area code."""
        return {area.division_code: area.code for area in self.areas if area.division_code}


def _polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type == "Polygon" and not g.is_empty]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def official_shape(division_code: str, level: int) -> shapely.Geometry:
    data = shapes.shape_for(division_code, level)
    if data is None:
        raise LookupError(f"no boundary for {division_code} in the boundary package")
    return _polygonal(shapely.make_valid(shapely.geometry.shape(data)))


def random_points(polygon: shapely.Geometry, n: int, rng: random.Random) -> np.ndarray:
    """``n`` points inside ``polygon`` by rejection sampling from its bounding box."""
    min_x, min_y, max_x, max_y = polygon.bounds
    shapely.prepare(polygon)
    found: list[tuple[float, float]] = []
    while len(found) < n:
        xs = np.array([rng.uniform(min_x, max_x) for _ in range(4 * n)])
        ys = np.array([rng.uniform(min_y, max_y) for _ in range(4 * n)])
        inside = shapely.contains_xy(polygon, xs, ys)
        found.extend(zip(xs[inside].tolist(), ys[inside].tolist(), strict=True))
    return np.array(found[:n])


def partition(polygon: shapely.Geometry, n: int, rng: random.Random) -> list[shapely.Geometry]:
    """``n`` pieces that tile ``polygon`` exactly: Voronoi cells of seeds inside it, relaxed, clipped."""
    if n <= 1:
        return [polygon][:n]
    seeds = random_points(polygon, n, rng)
    for _ in range(RELAXATIONS + 1):
        cells = _cells(polygon, seeds)
        moved = []
        for cell, seed in zip(cells, seeds, strict=True):
            centre = cell.centroid
            if not polygon.contains(centre):
                centre = cell.point_on_surface() if not cell.is_empty else shapely.Point(seed)
            moved.append((centre.x, centre.y))
        seeds = np.array(moved)
    return [_polygonal(cell) for cell in _cells(polygon, seeds)]


def _cells(polygon: shapely.Geometry, seeds: np.ndarray) -> list[shapely.Geometry]:
    points = shapely.points(seeds)
    voronoi = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=polygon.envelope.buffer(1.0), ordered=True)
    return [shapely.intersection(cell, polygon) for cell in shapely.get_parts(voronoi)]


@cache
def plan_city(scale: int = 1) -> CityPlan:
    """The demo city's areas (city, districts, streets, communities) and grids, deterministic (cached per
    process: callers only read it)."""
    rng = random.Random(SEED)
    city_node = catalog.get(CITY_DIVISION)
    city = AreaPlan("CITY", CITY_NAME, 1, None, "CITY", official_shape(CITY_DIVISION, catalog.CITY))
    city.division_code = city_node.division_code
    areas, grids = [city], []
    villages = {code: [v for t in catalog.children(code) for v in catalog.children(t.code)] for _, code in DISTRICTS}
    weights = {v.code: 3 if "社区" in v.name else 1 for vs in villages.values() for v in vs}
    total_weight = sum(weights.values())
    for d_code, county_code in DISTRICTS:
        county = catalog.get(county_code)
        district = AreaPlan(d_code, county.name, 2, "CITY", d_code, official_shape(county_code, catalog.COUNTY))
        district.division_code = county.division_code
        areas.append(district)
        towns = catalog.children(county_code)
        town_shapes = partition(district.geometry, len(towns), rng)
        for s, (town, town_shape) in enumerate(zip(towns, town_shapes, strict=True), start=1):
            s_code = f"{d_code}-S{s:02d}"
            street = AreaPlan(s_code, town.name, 3, d_code, s_code, town_shape, 0, town.division_code, True)
            areas.append(street)
            members = catalog.children(town.code)
            village_shapes = partition(town_shape, len(members), rng)
            for c, (village, shape) in enumerate(zip(members, village_shapes, strict=True), start=1):
                c_code = f"{s_code}-C{c:02d}"
                community = AreaPlan(c_code, village.name, 4, s_code, c_code, shape, 0, village.division_code, True)
                areas.append(community)
                count = max(1, round(GRIDS_PER_SCALE * scale * weights[village.code] / total_weight))
                for g, cell in enumerate(partition(shape, count, rng), start=1):
                    population = rng.randint(600, 3200)
                    grids.append(
                        AreaPlan(f"{c_code}-G{g:02d}", f"{village.name}第{g}网格", 5, c_code, c_code, cell, population)
                    )
                    community.population += population
                street.population += community.population
            district.population += street.population
        city.population += district.population
    areas = [areas[0]] + sorted(areas[1:], key=lambda a: (a.level, a.code))
    for grid in grids:
        grid.generated = True
    return CityPlan(areas=areas, grids=grids)
