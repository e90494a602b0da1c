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


def _site_with_unit(case: Case):
    """The case's site with its territorial unit, in one query (``case.site`` then ``site.unit`` is two)."""
    if not case.site_id:
        return None
    from chuangcheng.places.models import Site

    return Site.objects.select_related("unit").filter(pk=case.site_id).first()


def route(case: Case) -> Route:
    areas = area_chain(_area(case))
    area_rank = {a.pk: rank for rank, a in enumerate(areas)}
    category_id = _category_id(case)
    match = Q(pk__in=[])
    if case.check_item_id:
        match |= Q(check_item_id=case.check_item_id)
    if category_id:
        match |= Q(check_item__isnull=True, category_id=category_id)
    match |= Q(check_item__isnull=True, category__isnull=True, area__isnull=False)
    candidates = [
        rule
        for rule in RoutingRule.objects.filter(match, is_active=True)
        .select_related("lead_unit")
        .prefetch_related("cooperating_units")
        if rule.area_id is None or rule.area_id in area_rank
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
    site = _site_with_unit(case)
    if site is not None and site.unit_id:
        return Route(lead_unit=site.unit, reason=f"无匹配规则，按点位“{site.name}”的属地单位")
    for area in areas:
        if area.unit_id:
            from chuangcheng.org.models import Unit

            unit = Unit.objects.get(pk=area.unit_id)
            return Route(lead_unit=unit, reason=f"无匹配规则，按区域“{area.name}”的属地单位")
    return Route(reason="无匹配规则且无属地单位，进入待分派队列")
