"""``load_divisions``: a city's or a county's unit tree and area tree from the official division codes.

One step, all-or-nothing and idempotent: units and areas are matched by ``division_code`` (or by a code equal
to it); what is missing is bulk-inserted, official names that changed are renamed with one audit row each, and
nothing is duplicated. County (and city) polygons from the boundary package are attached to areas that have
none; towns and villages get no polygon (drawn or imported later). One summary audit event per run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import shapely
from django.db import transaction

from chuangcheng.audit.services import record, record_many
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.org.bulk import UnitRow, insert_units
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.places import lookup
from chuangcheng.places.divisions import catalog, shapes
from chuangcheng.places.models import Area, AreaLevel, GeometrySource
from chuangcheng.places.permissions import can_edit_places
from chuangcheng.places.services.bulk import AreaRow, insert_areas, shape_columns

UNIT_KIND = {
    catalog.PROVINCE: UnitKind.PROVINCE,
    catalog.CITY: UnitKind.CITY,
    catalog.COUNTY: UnitKind.DISTRICT,
    catalog.TOWN: UnitKind.STREET,
    catalog.VILLAGE: UnitKind.COMMUNITY,
}
AREA_LEVEL = {
    catalog.CITY: AreaLevel.CITY,
    catalog.COUNTY: AreaLevel.DISTRICT,
    catalog.TOWN: AreaLevel.STREET,
    catalog.VILLAGE: AreaLevel.COMMUNITY,
}


@dataclass
class DivisionLoad:
    root: catalog.Division
    divisions: int = 0
    units_created: int = 0
    areas_created: int = 0
    renamed: int = 0
    shapes_attached: int = 0
    seconds: float = 0.0
    missing_shapes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = (
            f"{self.root.name}（{self.root.division_code}）：区划 {self.divisions} 个，"
            f"新增单位 {self.units_created} 个、区域 {self.areas_created} 个，更名 {self.renamed} 个，"
            f"附上边界 {self.shapes_attached} 个"
        )
        if self.missing_shapes:
            text += f"；数据包中没有边界：{'、'.join(self.missing_shapes)}（可稍后绘制或导入）"
        return text + f"（{self.seconds:.1f} 秒）"


def _matches(model, nodes: list[catalog.Division]) -> dict[str, object]:
    """Existing rows for the nodes, by division_code, else by a code equal to the division code."""
    codes = [node.division_code for node in nodes]
    found = {row.division_code: row for row in model.objects.filter(division_code__in=codes)}
    for row in model.objects.filter(code__in=[c for c in codes if c not in found], division_code=None):
        found[row.code] = row
    return found


@transaction.atomic
def load_divisions(*, actor, code: str, unit_codes: dict[str, str] | None = None) -> DivisionLoad:
    """Create or complete the unit and area trees of the city or county ``code`` (6 digits).

    ``unit_codes`` maps a division code to the unit/area code to use when it is created (the demo keeps
    ``D01``…); otherwise the division code is the code.
    """
    started = time.perf_counter()
    if actor is not None and not can_edit_places(actor):
        raise NotPermitted("只有创建办可以导入行政区划")
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        raise DomainError(f"行政区划代码“{code}”格式不对：请填写市或区县的 6 位代码", field="code")
    try:
        nodes = catalog.subtree(code)
    except catalog.UnknownDivision as exc:
        raise DomainError(str(exc), field="code") from None
    root = nodes[0]
    result = DivisionLoad(root=root, divisions=len(nodes))
    unit_codes = unit_codes or {}
    by_code = {node.code: node for node in nodes}

    units = _matches(Unit, nodes)
    areas = _matches(Area, nodes)
    taken = [unit_codes.get(n.division_code, n.division_code) for n in nodes if n.division_code not in units]
    clash = Unit.objects.filter(code__in=taken).values_list("code", flat=True).first()
    if clash:
        raise DomainError(f"单位编码“{clash}”已被其他单位使用，无法按行政区划创建", field="code")
    parent_unit, parent_area = _attachment(root)

    def new_code(node) -> str:
        existing = units.get(node.division_code)
        return existing.code if existing else unit_codes.get(node.division_code, node.division_code)

    def parent_code(node) -> str | None:
        if node is root:
            return parent_unit.code if parent_unit else None
        return new_code(by_code[node.parent])

    unit_rows = [
        UnitRow(new_code(n), n.name, UNIT_KIND[n.level], parent_code(n), "", n.division_code)
        for n in nodes
        if n.division_code not in units
    ]
    result.units_created = insert_units(unit_rows)
    if result.units_created != len(unit_rows):
        raise DomainError("部分单位的上级单位不存在，导入已取消", field="code")
    all_units = {u.division_code: u for u in Unit.objects.filter(division_code__in=[n.division_code for n in nodes])}
    all_units.update({k: v for k, v in units.items() if k not in all_units})

    area_rows = []
    for node in nodes:
        if node.division_code in areas:
            continue
        geometry = _shape(node, result)
        if node is root:
            area_parent = parent_area.code if parent_area else None
        else:
            parent_node = by_code[node.parent]
            known = areas.get(parent_node.division_code)
            area_parent = known.code if known else new_code(parent_node)
        area_rows.append(
            AreaRow(
                code=new_code(node),
                name=node.name,
                level=AREA_LEVEL[node.level],
                parent_code=area_parent,
                unit_code=all_units[node.division_code].code,
                geometry=geometry,
                division_code=node.division_code,
                geometry_source=GeometrySource.PACKAGE,
            )
        )
    if Area.objects.filter(code__in=[row.code for row in area_rows]).exists():
        clash = Area.objects.filter(code__in=[row.code for row in area_rows]).values_list("code", flat=True)[0]
        raise DomainError(f"区域编码“{clash}”已被其他区域使用，无法按行政区划创建", field="code")
    result.areas_created = insert_areas(area_rows)
    result.shapes_attached = sum(1 for row in area_rows if row.geometry is not None)
    result.shapes_attached += _complete(nodes, units, areas, result, actor)
    result.seconds = time.perf_counter() - started
    if not (result.units_created or result.areas_created or result.renamed or result.shapes_attached):
        return result  # nothing to record: a re-run that found everything in place
    record(
        actor=actor,
        verb="places.divisions_loaded",
        target_type="places.area",
        unit=all_units[root.division_code],
        changes={
            "division_code": [None, root.division_code],
            "units": [0, result.units_created],
            "areas": [0, result.areas_created],
            "renamed": [0, result.renamed],
            "shapes": [0, result.shapes_attached],
        },
    )
    return result


def _attachment(root: catalog.Division) -> tuple[Unit | None, Area | None]:
    """The existing unit and area the root hangs under (its city for a county, its province for a city)."""
    if not root.parent:
        return None, None
    parent = catalog.get(root.parent)
    return (
        Unit.objects.filter(division_code=parent.division_code).first(),
        Area.objects.filter(division_code=parent.division_code).first(),
    )


def _shape(node: catalog.Division, result: DivisionLoad) -> shapely.Geometry | None:
    if node.level not in (catalog.CITY, catalog.COUNTY):
        return None
    data = shapes.shape_for(node.division_code, node.level)
    if data is None:
        if node.level == catalog.COUNTY:
            result.missing_shapes.append(node.name)
        return None
    geometry = shapely.make_valid(shapely.geometry.shape(data))
    polygons = [g for g in getattr(geometry, "geoms", [geometry]) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons) if polygons else None


def _complete(nodes, units: dict, areas: dict, result: DivisionLoad, actor) -> int:
    """Rename existing units and areas whose official name changed; attach package shapes to bare areas."""
    names = {node.division_code: node for node in nodes}
    entries, renamed_units, renamed_areas, shaped = [], [], [], []
    for division_code, unit in units.items():
        node = names[division_code]
        if unit.name != node.name:
            entries.append(_rename_entry(actor, "org.unit_renamed", unit, unit, node.name))
            unit.name = node.name
            renamed_units.append(unit)
        if unit.division_code is None:
            unit.division_code = division_code
            renamed_units.append(unit)
    for division_code, area in areas.items():
        node = names[division_code]
        if area.name != node.name:
            entries.append(_rename_entry(actor, "places.area_renamed", area, area.unit_id, node.name))
            area.name = node.name
            renamed_areas.append(area)
        if area.division_code is None:
            area.division_code = division_code
            renamed_areas.append(area)
        if area.geometry is None:
            geometry = _shape(node, result)
            if geometry is not None:
                for column, value in shape_columns(geometry).items():
                    setattr(area, column, value)
                area.geometry_source = GeometrySource.PACKAGE
                shaped.append(area)
    result.renamed = len(entries)
    record_many(entries)
    Unit.objects.bulk_update(set(renamed_units), ["name", "division_code"], batch_size=500)
    columns = ["name", "division_code", "geometry", "geometry_source", "min_lng", "min_lat", "max_lng", "max_lat"]
    Area.objects.bulk_update(set(renamed_areas) | set(shaped), [*columns, "area_m2"], batch_size=500)
    if shaped:
        lookup.invalidate_index()
    return len(shaped)


def _rename_entry(actor, verb: str, target, unit, new_name: str) -> dict:
    return {"actor": actor, "verb": verb, "target": target, "unit": unit, "changes": {"name": [target.name, new_name]}}
