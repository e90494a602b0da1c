"""All-or-nothing imports (GeoJSON areas, xlsx/CSV sites) and the site export.

Every problem is collected into an ``ImportReport`` (row, column, value,
reason in Chinese); if there is any, ``ImportFailed`` is raised before a single
row is written. For GeoJSON the "row" is the feature's number (1-based).
"""

from __future__ import annotations

import json

import numpy as np
from django.db import transaction

from chuangcheng.audit.services import record
from chuangcheng.core.tabular import ImportFailed, ImportReport, read_table
from chuangcheng.org.models import Unit
from chuangcheng.places import lookup
from chuangcheng.places.geometry import GeometryInvalid, area_m2, bbox, parse_polygon, to_geojson
from chuangcheng.places.models import Area, AreaLevel, Site, SiteCategory
from chuangcheng.places.services.areas import reassign_site_areas, require_editor, require_top_office

LEVEL_BY_LABEL = {label: value for value, label in AreaLevel.choices} | {str(v): v for v in AreaLevel.values}


def _level(value) -> int | None:
    if isinstance(value, int) and value in AreaLevel.values:
        return value
    return LEVEL_BY_LABEL.get(str(value).strip()) if value is not None else None


def _load_geojson(data, report: ImportReport) -> list:
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            report.add(None, "文件", "", "不是有效的 GeoJSON（JSON 格式错误）")
            raise ImportFailed(report) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        report.add(None, "type", data.get("type") if isinstance(data, dict) else "", "必须是 GeoJSON FeatureCollection")
        raise ImportFailed(report)
    features = data.get("features")
    if not isinstance(features, list) or not features:
        report.add(None, "features", "", "没有任何要素（features 为空）")
        raise ImportFailed(report)
    return features


@transaction.atomic
def import_areas_geojson(*, actor, data) -> list[Area]:
    """Import a FeatureCollection (properties code, name, level, parent_code, unit_code, population)."""
    require_editor(actor)
    require_top_office(actor)
    report = ImportReport()
    features = _load_geojson(data, report)
    existing = {code: (pk, level) for code, pk, level in Area.objects.values_list("code", "id", "level")}
    units = dict(Unit.objects.values_list("code", "id"))
    in_file: dict[str, tuple[int, int | None]] = {}
    parsed = []
    for number, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            report.add(number, "properties", "", "要素缺少 properties")
            continue
        code = str(props.get("code") or "").strip()
        name = str(props.get("name") or "").strip()
        level = _level(props.get("level"))
        if not code:
            report.add(number, "code", code, "区域编码不能为空")
        elif code in in_file:
            report.add(number, "code", code, f"与第{in_file[code][0]}个要素重复")
        elif code in existing:
            report.add(number, "code", code, "系统中已存在该区域编码")
        else:
            in_file[code] = (number, level)
        if not name:
            report.add(number, "name", name, "名称不能为空")
        if level is None:
            report.add(number, "level", props.get("level"), "层级必须是 1～5（市、区县、街道/乡镇、社区/村、网格）")
        unit_code = str(props.get("unit_code") or "").strip()
        if unit_code and unit_code not in units:
            report.add(number, "unit_code", unit_code, "属地单位不存在")
        population = props.get("population")
        if population not in (None, "") and not (str(population).isdigit()):
            report.add(number, "population", population, "人口必须是非负整数")
        try:
            geometry = parse_polygon(feature.get("geometry"))
        except GeometryInvalid as exc:
            report.add(number, "geometry", "", str(exc))
            geometry = None
        parsed.append(
            (number, code, name, level, str(props.get("parent_code") or "").strip(), unit_code, population, geometry)
        )
    for number, code, _name, level, parent_code, *_ in parsed:
        if not parent_code:
            continue
        parent_level = existing[parent_code][1] if parent_code in existing else in_file.get(parent_code, (0, None))[1]
        if parent_code not in existing and parent_code not in in_file:
            report.add(number, "parent_code", parent_code, "上级区域不存在（须已在系统中或在本文件中）")
        elif parent_code == code:
            report.add(number, "parent_code", parent_code, "上级区域不能是自己")
        elif level is not None and parent_level is not None and parent_level >= level:
            report.add(number, "parent_code", parent_code, "上级区域的层级必须高于本区域")
    if not report.ok:
        raise ImportFailed(report)
    ids = {code: pk for code, (pk, _level) in existing.items()}
    created: list[Area] = []
    for level in sorted(AreaLevel.values):
        batch = []
        for _number, code, name, row_level, parent_code, unit_code, population, geometry in parsed:
            if row_level != level:
                continue
            min_lng, min_lat, max_lng, max_lat = bbox(geometry)
            batch.append(
                Area(
                    code=code,
                    name=name,
                    level=level,
                    parent_id=ids.get(parent_code) if parent_code else None,
                    unit_id=units.get(unit_code) if unit_code else None,
                    geometry=to_geojson(geometry),
                    min_lng=min_lng,
                    min_lat=min_lat,
                    max_lng=max_lng,
                    max_lat=max_lat,
                    area_m2=round(area_m2(geometry), 1),
                    population=int(population) if population not in (None, "") else None,
                )
            )
        if batch:
            Area.objects.bulk_create(batch, batch_size=500)
            fresh = list(Area.objects.filter(code__in=[a.code for a in batch]))
            ids.update({area.code: area.pk for area in fresh})
            created.extend(fresh)
    record(actor=actor, verb="places.areas_imported", target_type="places.area", changes={"count": [0, len(created)]})
    lookup.invalidate_index()
    reassign_site_areas(actor=actor)
    return created


SITE_COLUMNS = ("点位编码", "点位名称", "类别", "地址", "经度", "纬度", "属地单位编码", "主管部门编码")
SITE_REQUIRED = ("点位编码", "点位名称", "类别", "经度", "纬度")


def _number(text: str):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if np.isfinite(value) else None


@transaction.atomic
def import_sites(*, actor, data: bytes, filename: str = "") -> list[Site]:
    """All-or-nothing xlsx/CSV import of sites; each site's area comes from the lookup."""
    require_editor(actor)
    require_top_office(actor)
    table = read_table(data, filename=filename, required=SITE_REQUIRED)
    report = ImportReport()
    existing = set(Site.objects.values_list("code", flat=True))
    categories = {c.code: c.pk for c in SiteCategory.objects.all()} | {c.name: c.pk for c in SiteCategory.objects.all()}
    units = dict(Unit.objects.values_list("code", "id"))
    seen: dict[str, int] = {}
    points = []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        code = row.get("点位编码", "")
        if not code:
            report.add(number, "点位编码", code, "不能为空")
        elif code in seen:
            report.add(number, "点位编码", code, f"与第{seen[code]}行重复")
        elif code in existing:
            report.add(number, "点位编码", code, "系统中已存在该编码")
        else:
            seen[code] = number
        if not row.get("点位名称"):
            report.add(number, "点位名称", "", "不能为空")
        if row.get("类别", "") not in categories:
            report.add(number, "类别", row.get("类别", ""), "未知点位类别（填写类别名称或编码）")
        lng, lat = _number(row.get("经度", "")), _number(row.get("纬度", ""))
        if lng is None or not -180 <= lng <= 180:
            report.add(number, "经度", row.get("经度", ""), "经度必须是 -180～180 之间的数字")
        if lat is None or not -90 <= lat <= 90:
            report.add(number, "纬度", row.get("纬度", ""), "纬度必须是 -90～90 之间的数字")
        points.append((lng if lng is not None else np.nan, lat if lat is not None else np.nan))
        for column in ("属地单位编码", "主管部门编码"):
            if row.get(column) and row[column] not in units:
                report.add(number, column, row[column], "单位不存在")
    area_ids = lookup.locate_ids([p[0] for p in points], [p[1] for p in points]) if points else []
    has_areas = lookup.get_index().size > 0
    for (lng, lat), area_id, number in zip(points, area_ids, table.row_numbers, strict=True):
        if has_areas and not area_id and np.isfinite(lng) and np.isfinite(lat):
            report.add(number, "经度", f"{lng},{lat}", "点位不在本市范围内（不在任何区域内）")
    if not table.rows:
        report.add(None, "文件", filename, "没有数据行")
    if not report.ok:
        raise ImportFailed(report)
    area_units = dict(Area.objects.filter(id__in={int(i) for i in area_ids if i}).values_list("id", "unit_id"))
    batch = []
    for row, (lng, lat), area_id in zip(table.rows, points, area_ids, strict=True):
        area_id = int(area_id) or None
        unit_code = row.get("属地单位编码", "")
        batch.append(
            Site(
                code=row["点位编码"],
                name=row["点位名称"],
                category_id=categories[row["类别"]],
                address=row.get("地址", ""),
                lng=lng,
                lat=lat,
                area_id=area_id,
                unit_id=units[unit_code] if unit_code else area_units.get(area_id),
                department_id=units.get(row.get("主管部门编码", "")) if row.get("主管部门编码") else None,
            )
        )
    Site.objects.bulk_create(batch, batch_size=1000)
    record(actor=actor, verb="places.sites_imported", target_type="places.site", changes={"count": [0, len(batch)]})
    return list(Site.objects.filter(code__in=[site.code for site in batch]).order_by("code"))


def export_site_rows(queryset) -> list[list]:
    sites = queryset.select_related("category", "unit", "department").order_by("code")
    return [
        [
            s.code,
            s.name,
            s.category.name,
            s.address,
            s.lng,
            s.lat,
            s.unit.code if s.unit else "",
            s.department.code if s.department else "",
        ]
        for s in sites.iterator(chunk_size=2000)
    ]
