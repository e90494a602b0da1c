"""``seed_demo_city``: the demo city written to the database (deterministic, idempotent, fast).

Everything is keyed by code (units, areas, sites) or username (users): a
second run finds every row present and changes nothing. Rows are written with
``bulk_create`` and one summary audit event per run that created anything;
users and roles go through the accounts services (each audited).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from chuangcheng.accounts import services as account_services
from chuangcheng.accounts.demo import DEMO_MEMBERSHIPS, DEMO_PASSWORD, DEMO_USERS
from chuangcheng.accounts.models import Membership, User
from chuangcheng.audit.services import record
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.places import lookup
from chuangcheng.places.catalog import CATEGORY_CODES
from chuangcheng.places.demo.layout import SEED, plan_city
from chuangcheng.places.demo.names import (
    CATEGORY_DEPARTMENT,
    CATEGORY_WEIGHTS,
    DEPARTMENTS,
    OFFICES,
    road_name,
    site_name,
)
from chuangcheng.places.geometry import area_m2, bbox
from chuangcheng.places.models import Area, Site, SiteCategory
from chuangcheng.places.services.categories import load_site_categories

LEVEL_KIND = {1: UnitKind.CITY, 2: UnitKind.DISTRICT, 3: UnitKind.STREET, 4: UnitKind.COMMUNITY}


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


def unit_rows(plan) -> list[tuple[str, str, str, str | None, str]]:
    """(code, name, kind, parent code, short name) in parent-first order."""
    rows = [("CITY", "示范市", UnitKind.CITY, None, "")]
    rows += [(code, name, kind, parent, "") for code, name, kind, parent in OFFICES]
    rows += [(code, short, UnitKind.DEPARTMENT, "CITY", "") for code, _formal, short in DEPARTMENTS]
    for area in plan.areas:
        if area.level in (2, 3, 4):
            rows.append((area.unit_code, area.name, LEVEL_KIND[area.level], area.parent_code, ""))
    return rows


def _create_units(rows) -> int:
    existing = dict(Unit.objects.values_list("code", "id"))
    paths = dict(Unit.objects.values_list("code", "path"))
    created = 0
    # parents come first: create depth by depth so every parent has a pk and a path.
    pending = [row for row in rows if row[0] not in existing]
    order = 0
    while pending:
        ready = [row for row in pending if row[3] is None or row[3] in existing]
        if not ready:
            break
        batch = []
        for code, name, kind, parent_code, short in ready:
            order += 1
            batch.append(
                Unit(
                    code=code,
                    name=name,
                    short_name=short,
                    kind=kind,
                    parent_id=existing.get(parent_code) if parent_code else None,
                    sort_order=order,
                    path="/",
                )
            )
        Unit.objects.bulk_create(batch, batch_size=500)
        fresh = {unit.code: unit for unit in Unit.objects.filter(code__in=[u.code for u in batch])}
        for code, _name, _kind, parent_code, _short in ready:
            unit = fresh[code]
            unit.path = f"{paths[parent_code] if parent_code else '/'}{unit.pk}/"
            unit.depth = unit.path.count("/") - 2
            existing[code] = unit.pk
            paths[code] = unit.path
        Unit.objects.bulk_update(list(fresh.values()), ["path", "depth"], batch_size=500)
        created += len(batch)
        done = {row[0] for row in ready}
        pending = [row for row in pending if row[0] not in done]
    return created


def _create_areas(plan) -> tuple[int, dict[str, int]]:
    units = dict(Unit.objects.values_list("code", "id"))
    existing = dict(Area.objects.values_list("code", "id"))
    created = 0
    for level in (1, 2, 3, 4, 5):
        plans = [a for a in (plan.areas if level < 5 else plan.grids) if a.level == level and a.code not in existing]
        batch = []
        for area in plans:
            min_lng, min_lat, max_lng, max_lat = bbox(area.geometry)
            batch.append(
                Area(
                    code=area.code,
                    name=area.name,
                    level=area.level,
                    parent_id=existing.get(area.parent_code) if area.parent_code else None,
                    unit_id=units.get(area.unit_code),
                    geometry=area.geojson(),
                    min_lng=min_lng,
                    min_lat=min_lat,
                    max_lng=max_lng,
                    max_lat=max_lat,
                    area_m2=round(area_m2(area.geometry), 1),
                    population=area.population,
                )
            )
        if batch:
            Area.objects.bulk_create(batch, batch_size=500)
            existing.update(Area.objects.filter(code__in=[a.code for a in batch]).values_list("code", "id"))
            created += len(batch)
    if created:
        lookup.invalidate_index()
    return created, existing


def plan_sites(plan, lattice, scale: int) -> list[dict]:
    """The demo sites (code, name, category, address, point/line), deterministic."""
    rng = random.Random(SEED + 1)
    codes = sorted(code for code in CATEGORY_WEIGHTS if code in CATEGORY_CODES)
    weights = [CATEGORY_WEIGHTS[code] for code in codes]
    district_names = {a.code: a.name for a in plan.areas if a.level == 2}
    street_names = {a.code: a.name for a in plan.areas if a.level == 3}
    lines = {"main_road", "commercial_street", "back_alley", "river"}
    sites = []
    for serial in range(1, 3000 * scale + 1):
        category = rng.choices(codes, weights)[0]
        grid = plan.grids[rng.randrange(len(plan.grids))]
        col, row = grid.cells[0]
        u, w = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8)
        line = None
        if category in lines:
            start = lattice.point_in_cell(col, row, 0.15, w)
            end = lattice.point_in_cell(col, row, 0.85, w)
            line = {"type": "LineString", "coordinates": [list(start), list(end)]}
            lng, lat = lattice.point_in_cell(col, row, 0.5, w)
        else:
            lng, lat = lattice.point_in_cell(col, row, u, w)
        district_code = grid.code[:3]
        street_code = grid.code[:7]
        street_short = street_names[street_code].removeprefix(district_names[district_code])
        address = f"示范市{district_names[district_code]}{street_short}{road_name(rng)}{rng.randint(1, 399)}号"
        sites.append(
            {
                "code": f"P{serial:06d}",
                "name": site_name(category, rng, serial),
                "category": category,
                "address": address,
                "lng": lng,
                "lat": lat,
                "line": line,
            }
        )
    return sites


def _create_sites(plan, lattice, scale: int) -> int:
    planned = plan_sites(plan, lattice, scale)
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
    plan, lattice = plan_city(scale, with_lattice=True)
    result = SeedResult()
    result.units = _create_units(unit_rows(plan))
    result.areas, _ = _create_areas(plan)
    result.sites = _create_sites(plan, lattice, scale)
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
