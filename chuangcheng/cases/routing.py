"""Routing: editable rules, then the territorial unit, else the visible unrouted queue.

The most specific active rule wins: a check-item rule over a category rule, a
rule on a smaller area (the case's area or one of its ancestors) over a larger or
area-less one, then the higher ``priority``. Every decision carries its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from chuangcheng.cases.models import Case, DeadlineRule, RoutingRule
from chuangcheng.core.cache import Kept


@dataclass
class Route:
    lead_unit: object = None
    cooperating_units: list = field(default_factory=list)
    reason: str = ""
    rule: RoutingRule | None = None


MAX_DEPTH = 32
AREA_CHAIN_SQL = """
WITH RECURSIVE chain(id, depth) AS (
    SELECT id, 0 FROM places_area WHERE id = %s
    UNION ALL
    SELECT a.parent_id, c.depth + 1 FROM places_area a JOIN chain c ON a.id = c.id
    WHERE a.parent_id IS NOT NULL AND c.depth < 32
)
SELECT a.id, a.name, a.parent_id, a.unit_id FROM chain c JOIN places_area a ON a.id = c.id ORDER BY c.depth
"""


def area_chain(area) -> list:
    """The area and its ancestors, smallest first (light rows: no geometry), in one query."""
    from chuangcheng.places.models import Area

    area_id = area if isinstance(area, int) or area is None else area.pk
    if area_id is None:
        return []
    chain, seen = [], set()
    for row in Area.objects.raw(AREA_CHAIN_SQL, [area_id]):
        if row.pk in seen:  # a cycle in bad data: stop where it closes
            break
        seen.add(row.pk)
        chain.append(row)
    return chain


def _area(case: Case):
    if case.area_id:
        return case.area_id
    if case.site_id and case.site.area_id:
        return case.site.area_id
    return None


def _category_id(case: Case):
    if case.category_id:
        return case.category_id
    if case.site_id:
        return case.site.category_id
    return None


class RouteSource:
    """What ``route`` reads, one case at a time (a few queries per case)."""

    def chain(self, area_id) -> list:
        return area_chain(area_id)

    def rules(self, check_item_id, category_id) -> list:
        match = Q(pk__in=[])
        if check_item_id:
            match |= Q(check_item_id=check_item_id)
        if category_id:
            match |= Q(check_item__isnull=True, category_id=category_id)
        match |= Q(check_item__isnull=True, category__isnull=True, area__isnull=False)
        rules = RoutingRule.objects.filter(match, is_active=True).select_related("lead_unit")
        return list(rules.prefetch_related("cooperating_units"))

    def site(self, site_id):
        """The case's site with its territorial unit, in one query (``case.site`` then ``site.unit`` is two)."""
        from chuangcheng.places.models import Site

        return Site.objects.select_related("unit").filter(pk=site_id).first()

    def unit(self, unit_id):
        from chuangcheng.org.models import Unit

        return Unit.objects.get(pk=unit_id)


AREA_CHAINS_SQL = """
WITH RECURSIVE up(id, depth) AS (
    SELECT id, 0 FROM places_area WHERE id IN ({ids})
    UNION
    SELECT a.parent_id, u.depth + 1 FROM places_area a JOIN up u ON a.id = u.id
    WHERE a.parent_id IS NOT NULL AND u.depth < 32
)
SELECT a.id, a.name, a.parent_id, a.unit_id FROM places_area a WHERE a.id IN (SELECT id FROM up)
"""


# What every intake reads, kept per process under version tokens (``core.cache.Kept``): the active routing
# rules (with lead and cooperating units) and the deadline rules, renewed when a rule or a unit changes; the
# areas' light rows, renewed when an area changes (signals) or the area index is renewed. The receivers are
# connected in ``cases.apps``.
KEPT_RULES = Kept("cases.rules:version")
rules_changed = KEPT_RULES.changed
# ``also``: the area index token (``places.lookup.VERSION_KEY``), which the places services renew on bulk writes.
KEPT_AREAS = Kept("cases.areas:version", max_entries=100_000, also=("places:area_index_version",))
areas_changed = KEPT_AREAS.changed


def active_rules() -> list:
    """Every active routing rule, lead and cooperating units loaded, in id order."""
    rules = RoutingRule.objects.filter(is_active=True).select_related("lead_unit").prefetch_related("cooperating_units")
    return KEPT_RULES.get("routing", lambda: list(rules.order_by("pk")))


def deadline_rules() -> list:
    return KEPT_RULES.get("deadline", lambda: list(DeadlineRule.objects.all()))


def _load_chains(area_ids: list[int]) -> dict:
    """``{area id: {id: area}}``: each area's chain (light rows), from one recursive query."""
    from chuangcheng.places.models import Area

    sql = AREA_CHAINS_SQL.format(ids=", ".join(["%s"] * len(area_ids)))
    rows = {row.pk: row for row in Area.objects.raw(sql, sorted(area_ids))}
    chains = {}
    for area_id in area_ids:
        chain, current = {}, rows.get(area_id)
        while current is not None and current.pk not in chain and len(chain) <= MAX_DEPTH:
            chain[current.pk] = current
            current = rows.get(current.parent_id)
        chains[area_id] = chain
    return chains


def area_rows(area_ids) -> dict:
    """``{id: area}`` (light rows) of the areas and all their ancestors: kept chains, else one query."""
    found: dict = {}
    for chain in KEPT_AREAS.get_many(sorted({int(pk) for pk in area_ids if pk}), _load_chains).values():
        found.update(chain)
    return found


def _could_match(rule: RoutingRule, check_item_ids: set, category_ids: set) -> bool:
    """As ``_rules_q`` in Python: the rule can match cases with these check items and categories."""
    if rule.check_item_id is None and rule.category_id is None:
        return rule.area_id is not None
    if rule.check_item_id is not None:
        return rule.check_item_id in check_item_ids
    return rule.category_id in category_ids


class BatchRouteSource(RouteSource):
    """The same reads for a batch of cases (or one), each loaded once: the rules that can match its
    check items and categories, the areas' chains (one recursive query), and, only when routing falls
    back to them, the sites with their units and the areas' units."""

    def __init__(self, *, area_ids, sites=(), check_item_ids=None, category_ids=None):
        """``sites``: the cases' sites (objects); used as given when their units are loaded with them."""
        rules = active_rules()
        if check_item_ids is not None and category_ids is not None:
            items, categories = {pk for pk in check_item_ids if pk}, {pk for pk in category_ids if pk}
            rules = [rule for rule in rules if _could_match(rule, items, categories)]
        self._rules = rules
        self._areas: dict = area_rows(area_ids)
        sites = [site for site in sites if site is not None]
        self._site_ids = {site.pk for site in sites}
        self._sites: dict | None = None
        if all(loaded(site, "unit") for site in sites):
            self._sites = {site.pk: site for site in sites}
        self._units: dict | None = None

    def chain(self, area_id) -> list:
        """As ``area_chain``: the area and its ancestors, smallest first, stopping where a cycle closes."""
        chain, seen = [], set()
        current = self._areas.get(area_id) if area_id else None
        while current is not None and current.pk not in seen and len(chain) <= MAX_DEPTH:
            seen.add(current.pk)
            chain.append(current)
            current = self._areas.get(current.parent_id)
        return chain

    def rules(self, check_item_id, category_id) -> list:
        return self._rules

    def site(self, site_id):
        if self._sites is None:
            from chuangcheng.places.models import Site

            self._sites = Site.objects.select_related("unit").in_bulk(self._site_ids) if self._site_ids else {}
        return self._sites.get(site_id)

    def unit(self, unit_id):
        if self._units is None:
            from chuangcheng.org.models import Unit

            unit_ids = {a.unit_id for a in self._areas.values() if a.unit_id}
            self._units = Unit.objects.in_bulk(unit_ids) if unit_ids else {}
        return self._units[unit_id]


def loaded(obj, name: str) -> bool:
    """The related object ``name`` of ``obj`` is loaded (or its id is None): reading it runs no query."""
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname) is None or field.is_cached(obj)


def _rules_q(check_item_ids: set, category_ids: set) -> Q:
    """Rules that can match cases with these check items and categories (``_matches`` decides)."""
    match = Q(check_item__isnull=True, category__isnull=True, area__isnull=False)
    if check_item_ids:
        match |= Q(check_item_id__in=check_item_ids)
    if category_ids:
        match |= Q(check_item__isnull=True, category_id__in=category_ids)
    return match


def _matches(rule: RoutingRule, check_item_id, category_id, area_rank: dict) -> bool:
    """A rule applies by check item, else by category, else by area alone; its area must contain the case."""
    if not rule.is_active or (rule.area_id is not None and rule.area_id not in area_rank):
        return False
    if rule.check_item_id:
        return bool(check_item_id) and rule.check_item_id == check_item_id
    if rule.category_id:
        return bool(category_id) and rule.category_id == category_id
    return rule.area_id is not None


def route(case: Case, source: RouteSource | None = None) -> Route:
    source = source or RouteSource()
    areas = source.chain(_area(case))
    area_rank = {a.pk: rank for rank, a in enumerate(areas)}
    category_id = _category_id(case)
    candidates = [
        rule
        for rule in source.rules(case.check_item_id, category_id)
        if _matches(rule, case.check_item_id, category_id, area_rank)
    ]

    def specificity(rule: RoutingRule):
        kind = 0 if rule.check_item_id else (1 if rule.category_id else 2)
        area = area_rank.get(rule.area_id, len(areas) + 1)
        return (kind, area, -rule.priority, rule.pk)

    if candidates:
        rule = min(candidates, key=specificity)
        names = {a.pk: a.name for a in areas}
        where = f"，区域“{names.get(rule.area_id, '')}”" if rule.area_id else ""
        return Route(
            lead_unit=rule.lead_unit,
            cooperating_units=list(rule.cooperating_units.all()),
            reason=f"按分派规则“{rule.name}”{where}",
            rule=rule,
        )
    site = source.site(case.site_id) if case.site_id else None
    if site is not None and site.unit_id:
        return Route(lead_unit=site.unit, reason=f"无匹配规则，按点位“{site.name}”的属地单位")
    for area in areas:
        if area.unit_id:
            return Route(lead_unit=source.unit(area.unit_id), reason=f"无匹配规则，按区域“{area.name}”的属地单位")
    return Route(reason="无匹配规则且无属地单位，进入待分派队列")
