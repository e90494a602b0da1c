"""The demo city's plan, computed without the database (deterministic for a given scale).

示范市 covers lng 117.00–117.30, lat 36.60–36.80 (WGS-84). Its built-up area is
a lattice of grid cells whose inner vertices are jittered (shared vertices are
identical, so cells tile the city exactly, with no gaps or overlaps). Cells are
grouped into rectangular blocks: 4 districts (2 × 2), 30 streets, 200 × scale
communities, about 2,000 × scale grids. Higher levels are unions of their cells.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import shapely

from chuangcheng.places.geometry import to_geojson

SEED = 20_261_122
LNG0, LNG1, LAT0, LAT1 = 117.00, 117.30, 36.60, 36.80
JITTER = 0.18  # share of a cell's size a shared vertex may move

DISTRICTS = (
    # code, name, (col band, row band) of the 2 × 2 split: 0 = west/south, 1 = east/north
    ("D01", "东城区", (1, 1)),
    ("D02", "西城区", (0, 1)),
    ("D03", "南湖区", (0, 0)),
    ("D04", "高新区", (1, 0)),
)
STREETS_PER_DISTRICT = (8, 8, 7, 7)  # 30 streets
NUMERALS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (1..999)."""
    if n < 10:
        return NUMERALS[n]
    if n < 20:
        return "十" + (NUMERALS[n % 10] if n % 10 else "")
    if n < 100:
        return NUMERALS[n // 10] + "十" + (NUMERALS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + NUMERALS[rest] if rest < 10 else chinese_number(rest))
    return NUMERALS[n // 100] + "百" + tail


@dataclass
class Block:
    """A rectangle of lattice cells [c0, c1) × [r0, r1)."""

    c0: int
    r0: int
    c1: int
    r1: int

    @property
    def width(self) -> int:
        return self.c1 - self.c0

    @property
    def height(self) -> int:
        return self.r1 - self.r0

    def cells(self) -> list[tuple[int, int]]:
        return [(c, r) for r in range(self.r0, self.r1) for c in range(self.c0, self.c1)]


def split_block(block: Block, k: int) -> list[Block]:
    """Split ``block`` into ``k`` non-empty rectangles of about equal size (rows of column strips)."""
    k = max(1, min(k, block.width * block.height))
    bands = max(1, min(k, block.height, round(math.sqrt(k * block.height / max(block.width, 1)))))
    while bands < k and math.ceil(k / bands) > block.width:
        bands += 1
    shares = [k // bands + (1 if i < k % bands else 0) for i in range(bands)]
    parts, done = [], 0
    for i, share in enumerate(shares):
        top = block.r0 + (round(block.height * (done + share) / k) if i < bands - 1 else block.height)
        bottom = block.r0 + round(block.height * done / k)
        done += share
        for j in range(share):
            left = block.c0 + round(block.width * j / share)
            right = block.c0 + (round(block.width * (j + 1) / share) if j < share - 1 else block.width)
            parts.append(Block(left, bottom, right, top))
    return [part for part in parts if part.width > 0 and part.height > 0]


@dataclass
class AreaPlan:
    code: str
    name: str
    level: int
    parent_code: str | None
    unit_code: str
    geometry: shapely.Geometry
    population: int = 0
    cells: list[tuple[int, int]] = field(default_factory=list)

    def geojson(self) -> dict:
        return to_geojson(self.geometry)


@dataclass
class CityPlan:
    cols: int
    rows: int
    areas: list[AreaPlan]  # parents before children
    grids: list[AreaPlan]


class Lattice:
    def __init__(self, cols: int, rows: int, rng: random.Random):
        self.cols, self.rows = cols, rows
        self.dx = (LNG1 - LNG0) / cols
        self.dy = (LAT1 - LAT0) / rows
        self.vertices: dict[tuple[int, int], tuple[float, float]] = {}
        for i in range(cols + 1):
            for j in range(rows + 1):
                jx = rng.uniform(-JITTER, JITTER) if 0 < i < cols else 0.0
                jy = rng.uniform(-JITTER, JITTER) if 0 < j < rows else 0.0
                self.vertices[i, j] = (
                    round(LNG0 + (i + jx) * self.dx, 6),
                    round(LAT0 + (j + jy) * self.dy, 6),
                )

    def cell(self, c: int, r: int) -> shapely.Polygon:
        v = self.vertices
        return shapely.Polygon([v[c, r], v[c + 1, r], v[c + 1, r + 1], v[c, r + 1], v[c, r]])

    def point_in_cell(self, c: int, r: int, u: float, w: float) -> tuple[float, float]:
        """Bilinear point of the cell quad at (u, w) in [0, 1]²."""
        v = self.vertices
        (x00, y00), (x10, y10) = v[c, r], v[c + 1, r]
        (x01, y01), (x11, y11) = v[c, r + 1], v[c + 1, r + 1]
        x = (1 - u) * (1 - w) * x00 + u * (1 - w) * x10 + (1 - u) * w * x01 + u * w * x11
        y = (1 - u) * (1 - w) * y00 + u * (1 - w) * y10 + (1 - u) * w * y01 + u * w * y11
        return round(x, 6), round(y, 6)


def lattice_size(scale: int) -> tuple[int, int]:
    target = 2000 * scale
    rows = max(4, round(math.sqrt(target * 0.8)))
    return math.ceil(target / rows), rows


def _union(geometries: list[shapely.Geometry]) -> shapely.Geometry:
    merged = shapely.coverage_union_all(geometries)
    if not merged.is_valid:
        merged = shapely.union_all(geometries)
    return shapely.normalize(merged)


def plan_city(scale: int = 1, *, with_lattice: bool = False):
    """The demo city's areas (city, districts, streets, communities, grids), deterministic."""
    rng = random.Random(SEED)
    cols, rows = lattice_size(scale)
    lattice = Lattice(cols, rows, rng)
    half_c, half_r = cols // 2, rows // 2
    communities_total = 200 * scale
    street_count = sum(STREETS_PER_DISTRICT)
    per_street = [
        communities_total // street_count + (1 if i < communities_total % street_count else 0)
        for i in range(street_count)
    ]
    areas: list[AreaPlan] = []
    grids: list[AreaPlan] = []
    districts: list[AreaPlan] = []
    street_index = 0
    for (code, name, (cb, rb)), street_total in zip(DISTRICTS, STREETS_PER_DISTRICT, strict=True):
        c0, c1 = (0, half_c) if cb == 0 else (half_c, cols)
        r0, r1 = (0, half_r) if rb == 0 else (half_r, rows)
        block = Block(c0, r0, c1, r1)
        district = AreaPlan(code, name, 2, "CITY", code, None)
        districts.append(district)
        areas.append(district)
        street_plans = []
        for s, street_block in enumerate(split_block(block, street_total), start=1):
            s_code = f"{code}-S{s:02d}"
            street = AreaPlan(s_code, f"{name}第{chinese_number(s)}街道", 3, code, s_code, None)
            areas.append(street)
            street_plans.append(street)
            community_plans = []
            for c, community_block in enumerate(split_block(street_block, per_street[street_index]), start=1):
                c_code = f"{s_code}-C{c:02d}"
                community = AreaPlan(c_code, f"{street.name}第{chinese_number(c)}社区", 4, s_code, c_code, None)
                community.cells = community_block.cells()
                areas.append(community)
                community_plans.append(community)
                cell_geoms = []
                for g, (col, row) in enumerate(community.cells, start=1):
                    geometry = lattice.cell(col, row)
                    cell_geoms.append(geometry)
                    grid = AreaPlan(
                        f"{c_code}-G{g:02d}",
                        f"{community.name}第{g}网格",
                        5,
                        c_code,
                        c_code,
                        geometry,
                        population=rng.randint(600, 3200),
                        cells=[(col, row)],
                    )
                    grids.append(grid)
                community.geometry = _union(cell_geoms)
                community.population = sum(grid.population for grid in grids[len(grids) - len(community.cells) :])
            street.geometry = _union([p.geometry for p in community_plans])
            street.population = sum(p.population for p in community_plans)
            street_index += 1
        district.geometry = _union([p.geometry for p in street_plans])
        district.population = sum(p.population for p in street_plans)
    city = AreaPlan("CITY", "示范市", 1, None, "CITY", _union([d.geometry for d in districts]))
    city.population = sum(d.population for d in districts)
    ordered = [city] + sorted(areas, key=lambda a: (a.level, a.code))
    plan = CityPlan(cols=cols, rows=rows, areas=ordered, grids=grids)
    return (plan, lattice) if with_lattice else plan
