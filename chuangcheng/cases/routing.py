"""Routing: editable rules, then the territorial unit, else the visible unrouted queue.

The most specific active rule wins: a check-item rule over a category rule, a
rule on a smaller area (the case's area or one of its ancestors) over a larger or
area-less one, then the higher ``priority``. Every decision carries its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from chuangcheng.cases.models import Case, RoutingRule


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


class BatchRouteSource(RouteSource):
    """The same reads for a batch of cases, loaded once: every active rule, the areas' chains
    (one query per area level), the sites with their units and the areas' units."""

    def __init__(self, *, area_ids, site_ids):
        from chuangcheng.org.models import Unit
        from chuangcheng.places.models import Area, Site

        rules = RoutingRule.objects.filter(is_active=True).select_related("lead_unit")
        self._rules = list(rules.prefetch_related("cooperating_units").order_by("pk"))
        self._areas: dict = {}
        frontier = {pk for pk in area_ids if pk}
        while frontier:
            found = list(Area.objects.filter(pk__in=frontier).only("id", "name", "parent_id", "unit_id"))
            self._areas.update((a.pk, a) for a in found)
            frontier = {a.parent_id for a in found if a.parent_id} - self._areas.keys()
        site_ids = {pk for pk in site_ids if pk}
        self._sites = Site.objects.select_related("unit").in_bulk(site_ids) if site_ids else {}
        unit_ids = {a.unit_id for a in self._areas.values() if a.unit_id}
        self._units = Unit.objects.in_bulk(unit_ids) if unit_ids else {}

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
        return self._sites.get(site_id)

    def unit(self, unit_id):
        return self._units[unit_id]


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
