"""The titles a campaign aims at (创建目标称号) and the territorial levels each applies to.

Sources (``../shared/domain/standards.md`` §1.1): 国家卫生城市 applies to prefecture-level cities and above,
国家卫生县 to counties and county-level cities; the 2021 document set also names 国家卫生乡镇 (the
《国家卫生乡镇标准》). The provincial titles (省级卫生县城, 省级卫生乡镇, 省级卫生村) and the civilization titles
(全国文明城市, its county-level list, 文明村镇) are the names the product brief uses; their levels follow the name.
Pure data: no database access.
"""

from __future__ import annotations

from django.db import models

from chuangcheng.org.models import UnitKind


class Title(models.TextChoices):
    NATIONAL_SANITARY_CITY = "national_sanitary_city", "国家卫生城市"
    NATIONAL_SANITARY_COUNTY = "national_sanitary_county", "国家卫生县"
    NATIONAL_SANITARY_TOWN = "national_sanitary_town", "国家卫生乡镇"
    PROVINCIAL_SANITARY_CITY = "provincial_sanitary_city", "省级卫生城市"
    PROVINCIAL_SANITARY_COUNTY = "provincial_sanitary_county", "省级卫生县城"
    PROVINCIAL_SANITARY_TOWN = "provincial_sanitary_town", "省级卫生乡镇"
    PROVINCIAL_SANITARY_VILLAGE = "provincial_sanitary_village", "省级卫生村"
    NATIONAL_CIVILIZED_CITY = "national_civilized_city", "全国文明城市"
    NATIONAL_CIVILIZED_COUNTY = "national_civilized_county", "全国文明城市（县级）"
    CIVILIZED_VILLAGE_TOWN = "civilized_village_town", "全国文明村镇"


class Family(models.TextChoices):
    SANITARY = "sanitary", "卫生创建"
    CIVILIZED = "civilized", "文明创建"


# Which unit kinds (territorial levels) may run a campaign for each title.
TITLE_LEVELS: dict[str, frozenset[str]] = {
    Title.NATIONAL_SANITARY_CITY: frozenset({UnitKind.CITY}),
    Title.NATIONAL_SANITARY_COUNTY: frozenset({UnitKind.DISTRICT}),
    Title.NATIONAL_SANITARY_TOWN: frozenset({UnitKind.STREET}),
    Title.PROVINCIAL_SANITARY_CITY: frozenset({UnitKind.CITY}),
    Title.PROVINCIAL_SANITARY_COUNTY: frozenset({UnitKind.DISTRICT}),
    Title.PROVINCIAL_SANITARY_TOWN: frozenset({UnitKind.STREET}),
    Title.PROVINCIAL_SANITARY_VILLAGE: frozenset({UnitKind.COMMUNITY}),
    Title.NATIONAL_CIVILIZED_CITY: frozenset({UnitKind.CITY}),
    Title.NATIONAL_CIVILIZED_COUNTY: frozenset({UnitKind.DISTRICT}),
    Title.CIVILIZED_VILLAGE_TOWN: frozenset({UnitKind.STREET, UnitKind.COMMUNITY}),
}

CIVILIZED_TITLES = frozenset(
    {Title.NATIONAL_CIVILIZED_CITY, Title.NATIONAL_CIVILIZED_COUNTY, Title.CIVILIZED_VILLAGE_TOWN}
)

# The title a level's 卫生 campaign aims at by default (used to attach existing rows and by the demo).
DEFAULT_SANITARY_TITLE: dict[str, str] = {
    UnitKind.CITY: Title.NATIONAL_SANITARY_CITY,
    UnitKind.DISTRICT: Title.NATIONAL_SANITARY_COUNTY,
    UnitKind.STREET: Title.NATIONAL_SANITARY_TOWN,
    UnitKind.COMMUNITY: Title.PROVINCIAL_SANITARY_VILLAGE,
}


def family_of(title: str) -> str:
    return Family.CIVILIZED if title in CIVILIZED_TITLES else Family.SANITARY


# Standard kinds judged in 文明创建 campaigns; every other kind belongs to 卫生创建 (or to none in particular).
CIVILIZED_STANDARD_KINDS = frozenset({"civilized_city", "minors"})


def family_of_standard(kind: str) -> str:
    return Family.CIVILIZED if kind in CIVILIZED_STANDARD_KINDS else Family.SANITARY


def title_fits(title: str, unit_kind: str) -> bool:
    return unit_kind in TITLE_LEVELS.get(title, frozenset())


def levels_label(title: str) -> str:
    """The levels a title applies to, in Chinese (for error messages)."""
    kinds = TITLE_LEVELS.get(title, frozenset())
    return "、".join(str(label) for value, label in UnitKind.choices if value in kinds)
