"""Pure geometry helpers over GeoJSON in WGS-84 longitude/latitude (no database).

Areas are stored as GeoJSON dicts; shapely parses and validates them. Sizes are
computed on a local equal-area projection (sinusoidal around the polygon's
mean latitude), accurate to well under 1 % at city scale.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

EARTH_RADIUS_M = 6_371_008.8
POLYGON_TYPES = ("Polygon", "MultiPolygon")


class GeometryInvalid(ValueError):
    """The GeoJSON cannot be used as an area boundary; the message is Chinese."""


def parse_polygon(geojson) -> shapely.Geometry:
    """A valid shapely (Multi)Polygon from a GeoJSON geometry dict, or ``GeometryInvalid``."""
    if not isinstance(geojson, dict) or geojson.get("type") not in POLYGON_TYPES:
        kind = geojson.get("type") if isinstance(geojson, dict) else type(geojson).__name__
        raise GeometryInvalid(f"几何类型必须是 Polygon 或 MultiPolygon，实际为 {kind}")
    try:
        geometry = shape(geojson)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, shapely.errors.GEOSException) as exc:
        raise GeometryInvalid(f"坐标格式错误：{exc}") from None
    if geometry.is_empty:
        raise GeometryInvalid("多边形为空")
    coords = shapely.get_coordinates(geometry)
    if not np.isfinite(coords).all():
        raise GeometryInvalid("坐标包含非数字值")
    if (np.abs(coords[:, 0]) > 180).any() or (np.abs(coords[:, 1]) > 90).any():
        raise GeometryInvalid("坐标超出经纬度范围（应为 WGS-84 经度、纬度）")
    if not geometry.is_valid:
        reason = explain_validity(geometry)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            raise GeometryInvalid(f"多边形自相交（{reason}）")
        raise GeometryInvalid(f"多边形无效（{reason}）")
    if geometry.area == 0:
        raise GeometryInvalid("多边形面积为零")
    return geometry


def bbox(geometry: shapely.Geometry) -> tuple[float, float, float, float]:
    min_lng, min_lat, max_lng, max_lat = geometry.bounds
    return float(min_lng), float(min_lat), float(max_lng), float(max_lat)


def area_m2(geometry: shapely.Geometry) -> float:
    """Area in square metres on a sinusoidal projection centred on the geometry."""
    lng0 = (geometry.bounds[0] + geometry.bounds[2]) / 2

    def project(coords: np.ndarray) -> np.ndarray:
        lat = np.radians(coords[:, 1])
        x = np.radians(coords[:, 0] - lng0) * np.cos(lat) * EARTH_RADIUS_M
        y = lat * EARTH_RADIUS_M
        return np.column_stack([x, y])

    projected = shapely.transform(geometry, project)
    return float(projected.area)


def to_geojson(geometry: shapely.Geometry) -> dict:
    """A plain GeoJSON dict (lists, not tuples) for a shapely geometry."""
    data = mapping(geometry)
    return _lists(data)


def _lists(value):
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value


def box_polygon(min_lng: float, min_lat: float, max_lng: float, max_lat: float) -> dict:
    ring = [[min_lng, min_lat], [max_lng, min_lat], [max_lng, max_lat], [min_lng, max_lat], [min_lng, min_lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}


def metres_per_degree(lat: float) -> tuple[float, float]:
    """(metres per degree of longitude, of latitude) at ``lat``."""
    per_lat = math.pi * EARTH_RADIUS_M / 180
    return per_lat * math.cos(math.radians(lat)), per_lat
