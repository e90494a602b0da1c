"""Address text → site or area, for reports that carry only an address (citizen 随手拍, Open311, 12345).

Simple and predictable rules (tested in ``tests/test_addresses.py``):

* A **site** wins over any area: an active site whose name (3+ characters) or address (5+ characters)
  is contained in the text. The longest contained name/address wins; two different sites tied on the
  longest match are ambiguous and none is taken.
* Else the **most specific area level** whose name is contained in the text (district < street <
  community; grids are skipped, their names are too generic). Within that level the longest name wins;
  areas sharing that name are told apart by an ancestor the text also names; still ambiguous: the next
  level up is tried.
* Names are compared without spaces and with full-width digits/letters folded, and an area also
  matches by its name without an office suffix (街道办事处 → 街道, 社区居委会 → 社区).

Read-only: callers store the result through their own services.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass

from django.db.models import Count, Max

from chuangcheng.places import lookup
from chuangcheng.places.models import Area, AreaLevel, Site

MIN_SITE_NAME = 3
MIN_SITE_ADDRESS = 5
MIN_AREA_NAME = 2
OFFICE_SUFFIXES = ("办事处", "居民委员会", "村民委员会", "居委会", "村委会")


@dataclass(frozen=True)
class AddressMatch:
    """Where the address places the report: the site (if any), the smallest area, the territorial unit."""

    site: Site | None
    area: Area | None
    unit: object | None
    matched: str  # the name or address found in the text

    @property
    def point(self) -> tuple[float, float] | None:
        return (self.site.lng, self.site.lat) if self.site is not None else None


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _aliases(name: str) -> set[str]:
    name = normalise(name)
    aliases = {name}
    for suffix in OFFICE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_AREA_NAME:
            aliases.add(name[: -len(suffix)])
    return {alias for alias in aliases if len(alias) >= MIN_AREA_NAME}


_lock = threading.Lock()
_names: dict = {"key": None, "sites": [], "areas": []}


def _name_rows() -> tuple[list, list]:
    """``(sites, areas)`` as normalised names, loaded once and kept until sites or areas change
    (a batch import matches thousands of addresses against the same names)."""
    sites = Site.objects.filter(is_active=True).aggregate(n=Count("id"), last=Max("updated_at"))
    areas = Area.objects.filter(level__lt=AreaLevel.GRID).aggregate(n=Count("id"), last=Max("updated_at"))
    key = (sites["n"], sites["last"], areas["n"], areas["last"])
    with _lock:
        if _names["key"] == key:
            return _names["sites"], _names["areas"]
    site_rows = [
        (pk, normalise(name), normalise(address))
        for pk, name, address in Site.objects.filter(is_active=True).values_list("pk", "name", "address")
    ]
    area_rows = [
        (pk, _aliases(name), level)
        for pk, name, level in Area.objects.filter(level__lt=AreaLevel.GRID).values_list("pk", "name", "level")
    ]
    with _lock:
        _names.update(key=key, sites=site_rows, areas=area_rows)
    return site_rows, area_rows


def _match_site(text: str) -> tuple[Site, str] | None:
    best: dict[int, str] = {}
    for pk, name, address in _name_rows()[0]:
        for candidate, minimum in ((name, MIN_SITE_NAME), (address, MIN_SITE_ADDRESS)):
            if len(candidate) >= minimum and candidate in text and len(candidate) > len(best.get(pk, "")):
                best[pk] = candidate
    if not best:
        return None
    longest = max(len(found) for found in best.values())
    winners = [pk for pk, found in best.items() if len(found) == longest]
    if len(winners) != 1:
        return None
    site = Site.objects.select_related("area", "unit").get(pk=winners[0])
    return site, best[winners[0]]


def _match_area(text: str) -> tuple[Area, str] | None:
    found: dict[int, tuple[int, str]] = {}  # area id -> (level, matched alias)
    for pk, aliases, level in _name_rows()[1]:
        hits = [alias for alias in aliases if alias in text]
        if hits:
            found[pk] = (level, max(hits, key=len))
    if not found:
        return None
    index = lookup.get_index()
    for level in sorted({level for level, _ in found.values()}, reverse=True):
        at_level = {pk: alias for pk, (lvl, alias) in found.items() if lvl == level}
        longest = max(len(alias) for alias in at_level.values())
        winners = [pk for pk, alias in at_level.items() if len(alias) == longest]
        if len(winners) > 1:  # same name in several places: keep those under another named area
            named = set(found) - set(winners)
            winners = [pk for pk in winners if named.intersection(index.chain_ids(pk)[1:])]
        if len(winners) == 1:
            return Area.objects.select_related("unit").get(pk=winners[0]), at_level[winners[0]]
    return None


def _unit_of(area: Area | None):
    if area is None:
        return None
    if area.unit_id:
        return area.unit
    chain = lookup.get_index().chain_ids(area.pk)[1:]
    by_id = Area.objects.select_related("unit").in_bulk(chain)
    return next((by_id[pk].unit for pk in chain if pk in by_id and by_id[pk].unit_id), None)


def match_address(text: str) -> AddressMatch | None:
    """The site or area the address text names, or None when it names none (or none unambiguously)."""
    text = normalise(text)
    if len(text) < MIN_AREA_NAME:
        return None
    site_hit = _match_site(text)
    if site_hit is not None:
        site, matched = site_hit
        area = site.area
        if area is None:
            located = lookup.locate(site.lng, site.lat)
            area = located[0] if located else None
        unit = site.unit if site.unit_id else _unit_of(area)
        return AddressMatch(site=site, area=area, unit=unit, matched=matched)
    area_hit = _match_area(text)
    if area_hit is None:
        return None
    area, matched = area_hit
    return AddressMatch(site=None, area=area, unit=_unit_of(area), matched=matched)
