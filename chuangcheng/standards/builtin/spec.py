"""Plain data shapes for the built-in catalogs (no database access here)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("standards_data.json")

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 45 → 四十五 (1..99)."""
    tens, ones = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else CN_DIGITS[tens]) + "十"
    if ones:
        text += CN_DIGITS[ones]
    return text


def ordinal(n: int) -> str:
    return f"（{cn_number(n)}）"


@cache
def facts() -> dict:
    """The shared facts file, copied verbatim into the repository."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def source_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value if v)
    return str(value)


@dataclass
class ClauseSpec:
    number: str
    title: str
    text: str = ""
    level: str = "article"
    section: str | None = None  # number of the section clause
    parent: str | None = None  # number of the parent clause
    source: str = ""
    uncertain: bool = False


@dataclass
class CheckItemSpec:
    code: str
    title: str
    clause: str | None = None
    description: str = ""
    categories: tuple[str, ...] = ()  # names as in the facts; linked to places.SiteCategory when loaded
    points: Decimal | None = None
    cap_per_site: Decimal | None = None
    severity: str = "normal"
    judgement: str = "deduct"
    is_negative_list: bool = False
    is_veto: bool = False
    deadline_days: int | None = None
    department_kind: str = ""
    is_sample: bool = False
    source: str = ""
    uncertain: bool = False


@dataclass
class IndicatorSpec:
    code: str
    name: str
    clause: str | None = None
    number: int | None = None
    unit: str = ""
    operator: str = ""
    threshold: Decimal | None = None
    threshold_text: str = ""
    or_trend: str = ""
    trend_window: int = 1
    period_kind: str = "year"
    is_hard: bool = False
    note: str = ""
    source: str = ""
    uncertain: bool = False


@dataclass
class MaterialSpec:
    title: str
    clause: str | None = None
    code: str = ""
    description: str = ""
    years: int | None = None
    is_sample: bool = False
    source: str = ""
    uncertain: bool = False


@dataclass
class QuotaSpec:
    category_name: str
    table: str = ""
    row_kind: str = "item"
    samples: tuple[int | None, int | None, int | None] = (None, None, None)
    focus: str = ""
    source: str = ""
    uncertain: bool = False


@dataclass
class StandardSpec:
    kind: str
    code: str
    version: str
    name: str
    effective_date: str | None = None
    issued_by: str = ""
    description: str = ""
    source: str = ""
    uncertain: bool = False
    clauses: list[ClauseSpec] = field(default_factory=list)
    items: list[CheckItemSpec] = field(default_factory=list)
    indicators: list[IndicatorSpec] = field(default_factory=list)
    materials: list[MaterialSpec] = field(default_factory=list)
    quotas: list[QuotaSpec] = field(default_factory=list)
