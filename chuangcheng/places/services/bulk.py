"""Bulk insertion of area rows keyed by code (the demo city, official divisions). Callers are services that
validate, hold the transaction and write one summary audit event; this module writes rows and bbox/size."""

from __future__ import annotations

from dataclasses import dataclass

import shapely

from chuangcheng.org.models import Unit
from chuangcheng.places import lookup
from chuangcheng.places.geometry import area_m2, bbox, to_geojson
from chuangcheng.places.models import Area, GeometrySource


@dataclass
class AreaRow:
    code: str
    name: str
    level: int
    parent_code: str | None
    unit_code: str | None
    geometry: shapely.Geometry | None = None
    population: int | None = None
    division_code: str | None = None
    geometry_source: str = GeometrySource.DRAWN


def shape_columns(geometry: shapely.Geometry | None) -> dict:
    """The geometry, bbox and size columns of an area for a shapely geometry (or none)."""
    if geometry is None:
        return {"geometry": None, "min_lng": None, "min_lat": None, "max_lng": None, "max_lat": None, "area_m2": None}
    min_lng, min_lat, max_lng, max_lat = bbox(geometry)
    return {
        "geometry": to_geojson(geometry),
        "min_lng": min_lng,
        "min_lat": min_lat,
        "max_lng": max_lng,
        "max_lat": max_lat,
        "area_m2": round(area_m2(geometry), 1),
    }


def insert_areas(rows: list[AreaRow]) -> int:
    """Insert the rows whose code is new, level by level (parents are earlier rows or existing areas)."""
    units = dict(Unit.objects.values_list("code", "id"))
    existing = dict(Area.objects.values_list("code", "id"))
    created = 0
    for level in sorted({row.level for row in rows}):
        batch = [
            Area(
                code=row.code,
                name=row.name,
                level=row.level,
                parent_id=existing.get(row.parent_code) if row.parent_code else None,
                unit_id=units.get(row.unit_code) if row.unit_code else None,
                population=row.population,
                division_code=row.division_code,
                geometry_source=row.geometry_source if row.geometry is not None else GeometrySource.DRAWN,
                **shape_columns(row.geometry),
            )
            for row in rows
            if row.level == level and row.code not in existing
        ]
        if batch:
            Area.objects.bulk_create(batch, batch_size=500)
            existing.update(Area.objects.filter(code__in=[a.code for a in batch]).values_list("code", "id"))
            created += len(batch)
    if created:
        lookup.invalidate_index()
    return created
