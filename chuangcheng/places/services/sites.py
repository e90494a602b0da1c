"""Writes for sites (点位): the area comes from the point → area lookup."""

from __future__ import annotations

import shapely
from django.db import transaction
from shapely.geometry import shape

from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import DomainError
from chuangcheng.org.models import Unit
from chuangcheng.places import lookup
from chuangcheng.places.models import Area, Site, SiteCategory
from chuangcheng.places.services.areas import _require_ground, require_editor

SITE_FIELDS = ("code", "name", "category", "address", "lng", "lat", "line", "unit", "department", "is_active")


def check_point(lng, lat) -> tuple[float, float]:
    try:
        lng, lat = float(lng), float(lat)
    except (TypeError, ValueError):
        raise DomainError("经纬度必须是数字", field="lng") from None
    if not (-180 <= lng <= 180):
        raise DomainError("经度超出范围（-180～180）", field="lng")
    if not (-90 <= lat <= 90):
        raise DomainError("纬度超出范围（-90～90）", field="lat")
    return lng, lat


def check_line(line) -> dict | None:
    if not line:
        return None
    try:
        geometry = shape(line)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, shapely.errors.GEOSException):
        raise DomainError("线形必须是 GeoJSON LineString", field="line") from None
    if geometry.geom_type != "LineString" or geometry.is_empty or geometry.length == 0:
        raise DomainError("线形必须是 GeoJSON LineString", field="line")
    return {"type": "LineString", "coordinates": [list(xy) for xy in geometry.coords]}


def area_for(lng: float, lat: float) -> Area | None:
    """The grid (smallest area) of a point; ``DomainError`` when areas exist but none contains it."""
    chain = lookup.locate(lng, lat)
    if chain:
        return chain[0]
    if lookup.get_index().size:
        raise DomainError("点位不在本市范围内（不在任何区域内）", field="lng")
    return None


@transaction.atomic
def create_site(
    *,
    actor,
    code: str,
    name: str,
    category: SiteCategory,
    lng: float,
    lat: float,
    address: str = "",
    line: dict | None = None,
    unit: Unit | None = None,
    department: Unit | None = None,
    is_active: bool = True,
) -> Site:
    """Create a site; its area is looked up and its territorial unit defaults to the area's unit."""
    require_editor(actor)
    code = (code or "").strip()
    if not code:
        raise DomainError("点位编码不能为空", field="code")
    if Site.objects.filter(code=code).exists():
        raise DomainError(f"点位编码“{code}”已存在", field="code")
    lng, lat = check_point(lng, lat)
    area = area_for(lng, lat)
    if actor is not None:
        _require_ground(actor, unit=unit if unit is not None else (area.unit if area else None), parent=area)
    site = Site.objects.create(
        code=code,
        name=name.strip(),
        category=category,
        address=address.strip(),
        lng=lng,
        lat=lat,
        line=check_line(line),
        area=area,
        unit=unit if unit is not None else (area.unit if area else None),
        department=department,
        is_active=is_active,
    )
    record(
        actor=actor,
        verb="places.site_created",
        target=site,
        unit=site.unit,
        changes={"code": [None, code], "name": [None, site.name], "area": [None, area.pk if area else None]},
    )
    return site


@transaction.atomic
def update_site(*, site: Site, actor, **changes) -> Site:
    require_editor(actor)
    if actor is not None:
        _require_ground(actor, unit=changes.get("unit", site.unit), parent=None, missing="点位")
    unknown = set(changes) - set(SITE_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    site = Site.objects.select_for_update(no_key=True, of=("self",)).select_related("area").get(pk=site.pk)
    if "code" in changes:
        changes["code"] = (changes["code"] or "").strip()
        if not changes["code"]:
            raise DomainError("点位编码不能为空", field="code")
        if Site.objects.filter(code=changes["code"]).exclude(pk=site.pk).exists():
            raise DomainError(f"点位编码“{changes['code']}”已存在", field="code")
    if "line" in changes:
        changes["line"] = check_line(changes["line"])
    if "lng" in changes or "lat" in changes:
        lng, lat = check_point(changes.get("lng", site.lng), changes.get("lat", site.lat))
        changes["lng"], changes["lat"] = lng, lat
        if (lng, lat) != (site.lng, site.lat):
            area = area_for(lng, lat)
            changes["area"] = area
            if "unit" not in changes and site.area is not None and site.unit_id == site.area.unit_id:
                changes["unit"] = area.unit if area else None
    delta = diff(site, changes)
    for key, value in changes.items():
        setattr(site, key, value)
    site.save()
    if delta:
        record(actor=actor, verb="places.site_updated", target=site, unit=site.unit, changes=delta)
    return site
