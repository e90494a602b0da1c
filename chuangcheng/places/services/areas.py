"""Writes for areas (区域/网格): create, update, keep bbox and size in step with the polygon."""

from __future__ import annotations

from django.db import transaction

from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.org.models import Unit
from chuangcheng.places import lookup
from chuangcheng.places.geometry import GeometryInvalid, area_m2, bbox, parse_polygon, to_geojson
from chuangcheng.places.models import Area, AreaLevel, Site
from chuangcheng.places.permissions import can_edit_places

AREA_FIELDS = ("code", "name", "level", "parent", "unit", "geometry", "population")
INDEX_FIELDS = {"code", "level", "parent", "geometry"}


def require_editor(actor) -> None:
    if actor is not None and not can_edit_places(actor):
        raise NotPermitted("只有创建办可以维护区域和点位")


def require_top_office(actor) -> None:
    """Bulk imports rewrite the shared tree: the root's office only (a lower level adds areas one by one)."""
    from chuangcheng.accounts.permissions import is_top_office

    if actor is not None and not is_top_office(actor):
        raise NotPermitted("批量导入由最上级创建办统一办理")


def _require_ground(actor, *, unit, parent, missing: str = "") -> None:
    """A lower level's office keeps the areas of its own ground (unit and parent inside its jurisdiction)."""
    from chuangcheng.accounts.permissions import require_in_jurisdiction
    from chuangcheng.core.scoping import scope_of

    if scope_of(actor).sees_all:
        return
    if unit is None and (missing or parent is None):
        raise DomainError("本级创建办维护的区域须属于本辖区内的单位", field="unit")
    require_in_jurisdiction(actor, [unit], field="unit", label="属地单位")
    require_in_jurisdiction(actor, [parent], field="parent", label="上级区域")


def geometry_fields(geojson) -> dict:
    """``geometry`` normalised plus bbox and area columns; ``DomainError`` for a bad polygon."""
    if geojson in (None, {}):
        return {"geometry": None, "min_lng": None, "min_lat": None, "max_lng": None, "max_lat": None, "area_m2": None}
    try:
        shape = parse_polygon(geojson)
    except GeometryInvalid as exc:
        raise DomainError(str(exc), field="geometry") from None
    min_lng, min_lat, max_lng, max_lat = bbox(shape)
    return {
        "geometry": to_geojson(shape),
        "min_lng": min_lng,
        "min_lat": min_lat,
        "max_lng": max_lng,
        "max_lat": max_lat,
        "area_m2": round(area_m2(shape), 1),
    }


def _check_tree(*, level: int, parent: Area | None, area: Area | None = None) -> None:
    if level not in AreaLevel.values:
        raise DomainError(f"未知层级“{level}”", field="level")
    if parent is None:
        return
    if parent.level >= level:
        raise DomainError("上级区域的层级必须高于本区域", field="parent")
    if area is not None:
        node = parent
        while node is not None:
            if node.pk == area.pk:
                raise DomainError("上级区域不能是本区域或其下级区域", field="parent")
            node = node.parent


@transaction.atomic
def create_area(
    *,
    actor,
    code: str,
    name: str,
    level: int,
    parent: Area | None = None,
    unit: Unit | None = None,
    geometry: dict | None = None,
    population: int | None = None,
) -> Area:
    require_editor(actor)
    if actor is not None:
        _require_ground(actor, unit=unit, parent=parent)
    code = (code or "").strip()
    if not code:
        raise DomainError("区域编码不能为空", field="code")
    if Area.objects.filter(code=code).exists():
        raise DomainError(f"区域编码“{code}”已存在", field="code")
    _check_tree(level=level, parent=parent)
    if population is not None and population < 0:
        raise DomainError("人口不能为负数", field="population")
    area = Area(code=code, name=name.strip(), level=level, parent=parent, unit=unit, population=population)
    for key, value in geometry_fields(geometry).items():
        setattr(area, key, value)
    area.save()
    record(
        actor=actor,
        verb="places.area_created",
        target=area,
        unit=unit,
        changes={"code": [None, code], "name": [None, area.name], "level": [None, level]},
    )
    lookup.invalidate_index()
    if area.geometry:
        reassign_site_areas(actor=actor)
    return area


@transaction.atomic
def update_area(*, area: Area, actor, **changes) -> Area:
    require_editor(actor)
    if actor is not None:
        _require_ground(actor, unit=area.unit, parent=None, missing="区域")
        _require_ground(actor, unit=changes.get("unit"), parent=changes.get("parent"))
    unknown = set(changes) - set(AREA_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    area = Area.objects.select_for_update(no_key=True).get(pk=area.pk)
    if "code" in changes:
        changes["code"] = (changes["code"] or "").strip()
        if not changes["code"]:
            raise DomainError("区域编码不能为空", field="code")
        if Area.objects.filter(code=changes["code"]).exclude(pk=area.pk).exists():
            raise DomainError(f"区域编码“{changes['code']}”已存在", field="code")
    if "level" in changes or "parent" in changes:
        _check_tree(level=changes.get("level", area.level), parent=changes.get("parent", area.parent), area=area)
    if changes.get("population") is not None and changes["population"] < 0:
        raise DomainError("人口不能为负数", field="population")
    values = dict(changes)
    if "geometry" in changes:
        values.update(geometry_fields(changes["geometry"]))
    delta = diff(area, {key: value for key, value in values.items() if key != "geometry"})
    if "geometry" in changes and values["geometry"] != area.geometry:
        delta["geometry"] = ["…", "…"]
    for key, value in values.items():
        setattr(area, key, value)
    area.save()
    if delta:
        record(actor=actor, verb="places.area_updated", target=area, unit=area.unit, changes=delta)
    if INDEX_FIELDS & set(delta):
        lookup.invalidate_index()
        reassign_site_areas(actor=actor)
    return area


@transaction.atomic
def reassign_site_areas(*, actor) -> int:
    """Re-run the lookup for every site after areas changed; returns how many sites moved."""
    sites = list(Site.objects.only("id", "lng", "lat", "area_id").order_by("id"))
    if not sites:
        return 0
    found = lookup.locate_ids([s.lng for s in sites], [s.lat for s in sites])
    moved = []
    for site, area_id in zip(sites, found, strict=True):
        new = int(area_id) or None
        if new != site.area_id:
            site.area_id = new
            moved.append(site)
    if moved:
        Site.objects.bulk_update(moved, ["area"], batch_size=1000)
        record(
            actor=actor,
            verb="places.site_areas_reassigned",
            target_type="places.site",
            changes={"moved": [0, len(moved)]},
        )
    return len(moved)
