"""``seed_demo_city``: the demo city written to the database (deterministic, idempotent).

The territory is a real city's official divisions (``places.demo.layout``: 淮北市), loaded through the same
service an office uses (``services.divisions.load_divisions``, county and city boundaries from the package),
with the demo's stable codes (``CITY``, ``D01``…) as unit and area codes. Towns, villages and grids get
generated shapes marked ``GeometrySource.DEMO`` (演示). Everything is keyed by code (units, areas, sites) or
username (users): a second run finds every row present and changes nothing. Rows are written in bulk with one
summary audit event per run that created anything; users and roles go through the accounts services.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import transaction

from chuangcheng.accounts import services as account_services
from chuangcheng.accounts.demo import DEMO_MEMBERSHIPS, DEMO_PASSWORD, DEMO_USERS
from chuangcheng.accounts.models import Membership, User
from chuangcheng.audit.services import record
from chuangcheng.org.bulk import UnitRow, insert_units
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.places import lookup
from chuangcheng.places.catalog import CATEGORY_CODES
from chuangcheng.places.demo.layout import CITY_DIVISION, SEED, plan_city
from chuangcheng.places.demo.names import (
    CATEGORY_DEPARTMENT,
    CATEGORY_WEIGHTS,
    CITY_NAME,
    DEPARTMENTS,
    OFFICES,
    road_name,
    site_name,
)
from chuangcheng.places.models import Area, GeometrySource, Site, SiteCategory
from chuangcheng.places.services.bulk import AreaRow, insert_areas, shape_columns
from chuangcheng.places.services.categories import load_site_categories
from chuangcheng.places.services.divisions import load_divisions


@dataclass
class SeedResult:
    units: int = 0
    areas: int = 0
    sites: int = 0
    users: int = 0
    memberships: int = 0

    @property
    def changed(self) -> bool:
        return any((self.units, self.areas, self.sites, self.users, self.memberships))


def office_rows() -> list[UnitRow]:
    """The city's offices and departments (parent-first), under the city unit ``CITY``."""
    rows = [UnitRow(code, name, kind, parent) for code, name, kind, parent in OFFICES]
    rows += [UnitRow(code, short, UnitKind.DEPARTMENT, "CITY") for code, _formal, short in DEPARTMENTS]
    return rows


def _complete_areas(plan) -> int:
    """Demo shapes (演示) for the towns and villages that have no boundary, demo populations, and the grids."""
    planned = {area.code: area for area in plan.areas}
    changed = []
    for area in Area.objects.filter(code__in=list(planned)).only("id", "code", "geometry", "population"):
        target = planned[area.code]
        dirty = False
        if area.geometry is None and target.generated:
            for column, value in shape_columns(target.geometry).items():
                setattr(area, column, value)
            area.geometry_source = GeometrySource.DEMO
            dirty = True
        if area.population is None:
            area.population, dirty = target.population, True
        if dirty:
            changed.append(area)
    columns = ["geometry", "geometry_source", "min_lng", "min_lat", "max_lng", "max_lat", "area_m2", "population"]
    Area.objects.bulk_update(changed, columns, batch_size=200)
    if changed:
        lookup.invalidate_index()
    grids = [
        AreaRow(
            g.code, g.name, g.level, g.parent_code, g.unit_code, g.geometry, g.population, None, GeometrySource.DEMO
        )
        for g in plan.grids
    ]
    return insert_areas(grids)


def _point_in(geometry: shapely.Geometry, rng: random.Random) -> tuple[float, float]:
    min_x, min_y, max_x, max_y = geometry.bounds
    while True:
        x, y = round(rng.uniform(min_x, max_x), 6), round(rng.uniform(min_y, max_y), 6)
        if shapely.contains_xy(geometry, x, y):
            return x, y


def plan_sites(plan, scale: int) -> list[dict]:
    """The demo sites (code, name, category, address, point/line) inside the demo grids, deterministic."""
    rng = random.Random(SEED + 1)
    codes = sorted(code for code in CATEGORY_WEIGHTS if code in CATEGORY_CODES)
    weights = [CATEGORY_WEIGHTS[code] for code in codes]
    names = {a.code: a.name for a in plan.areas}
    lines = {"main_road", "commercial_street", "back_alley", "river"}
    sites = []
    for serial in range(1, 3000 * scale + 1):
        category = rng.choices(codes, weights)[0]
        grid = plan.grids[rng.randrange(len(plan.grids))]
        lng, lat = _point_in(grid.geometry, rng)
        line = None
        if category in lines:
            line = {"type": "LineString", "coordinates": [[lng, lat], list(_point_in(grid.geometry, rng))]}
        district, street = names[grid.code[:3]], names[grid.code[:7]]
        sites.append(
            {
                "code": f"P{serial:06d}",
                "name": site_name(category, rng, serial),
                "category": category,
                "address": f"{CITY_NAME}{district}{street}{road_name(rng)}{rng.randint(1, 399)}号",
                "lng": lng,
                "lat": lat,
                "line": line,
            }
        )
    return sites


def _create_sites(plan, scale: int) -> int:
    planned = plan_sites(plan, scale)
    existing = set(Site.objects.values_list("code", flat=True))
    todo = [site for site in planned if site["code"] not in existing]
    if not todo:
        return 0
    categories = dict(SiteCategory.objects.values_list("code", "id"))
    units = dict(Unit.objects.values_list("code", "id"))
    area_units = dict(Area.objects.values_list("id", "unit_id"))
    area_ids = lookup.locate_ids(np.array([s["lng"] for s in todo]), np.array([s["lat"] for s in todo]))
    batch = []
    for site, area_id in zip(todo, area_ids, strict=True):
        area_id = int(area_id) or None
        batch.append(
            Site(
                code=site["code"],
                name=site["name"],
                category_id=categories[site["category"]],
                address=site["address"],
                lng=site["lng"],
                lat=site["lat"],
                line=site["line"],
                area_id=area_id,
                unit_id=area_units.get(area_id),
                department_id=units.get(CATEGORY_DEPARTMENT[site["category"]]),
            )
        )
    Site.objects.bulk_create(batch, batch_size=1000)
    return len(batch)


def _create_users() -> tuple[int, int]:
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=[c for _, c in DEMO_MEMBERSHIPS.values()])}
    users = {user.username: user for user in User.objects.filter(username__in=[u[0] for u in DEMO_USERS])}
    created_users = created_memberships = 0
    for username, full_name, _role_label, _unit_label in DEMO_USERS:
        user = users.get(username)
        if user is None:
            user = account_services.create_user(
                actor=None, username=username, password=DEMO_PASSWORD, full_name=full_name
            )
            created_users += 1
        role, unit_code = DEMO_MEMBERSHIPS[username]
        if not Membership.objects.filter(user=user, unit=units[unit_code], role=role).exists():
            account_services.grant_role(actor=None, user=user, unit=units[unit_code], role=role)
            created_memberships += 1
    return created_users, created_memberships


@transaction.atomic
def seed_demo_city(*, actor=None, scale: int = 1) -> SeedResult:
    """Create whatever of the demo city is missing; returns the counts created."""
    if scale < 1:
        raise ValueError("scale must be >= 1")
    load_site_categories(actor=actor)
    plan = plan_city(scale)
    result = SeedResult()
    loaded = load_divisions(actor=actor, code=CITY_DIVISION, unit_codes=plan.unit_codes())
    result.units = loaded.units_created + insert_units(office_rows())
    result.areas = loaded.areas_created + _complete_areas(plan)
    result.sites = _create_sites(plan, scale)
    result.users, result.memberships = _create_users()
    if result.units or result.areas or result.sites:
        record(
            actor=actor,
            verb="places.demo_seeded",
            target_type="places.area",
            changes={
                "scale": [None, scale],
                "units": [0, result.units],
                "areas": [0, result.areas],
                "sites": [0, result.sites],
            },
        )
    return result
