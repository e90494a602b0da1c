"""How much inspection history the forecast rests on: finding rates per category × check item.

Uses ``inspections.selectors.finding_rates`` when the inspections app provides it; otherwise there is
no history and the forecast rests on the prior and the open cases only (the page says so).

``finding_rates`` only lists (category, item) pairs that were found wanting at least once, so a category
whose visits found nothing would look as if it had never been visited and get the prior mean (1 %)
instead of its smoothed low rate. The visits per category are therefore counted here as well, with the
same rule as ``finding_rates`` uses for its denominator (done visits, secret rounds only once published).
"""

from __future__ import annotations

from django.db.models import Count, Q


def visits_per_category(category_ids: list[int]) -> dict[int, int]:
    """Done, countable inspection visits per site category (categories without visits are absent)."""
    from chuangcheng.inspections.models import SiteVisit, VisitStatus

    rows = (
        SiteVisit.objects.filter(status=VisitStatus.DONE, category_id__in=list(category_ids))
        .filter(Q(round__is_secret=False) | Q(round__published_at__isnull=False))
        .values("category_id")
        .annotate(n=Count("pk"))
        .values_list("category_id", "n")
    )
    return {category_id: n for category_id, n in rows if n}


def history_for(category_ids: list[int]) -> dict:
    """``{"available", "visits": {category: n}, "rates": {category: {item: findings}}, "total_visits"}``.

    ``visits`` has every category with done visits, found wanting or not; ``rates`` only the items with
    findings (an item absent there had 0 findings in its category's visits).
    """
    try:
        from chuangcheng.inspections.selectors import finding_rates
    except ImportError:
        return {"available": False, "visits": {}, "rates": {}, "total_visits": 0, "findings": 0}
    raw = finding_rates(category_ids)
    visits = visits_per_category(category_ids)
    rates: dict[int, dict[int, int]] = {}
    findings = 0
    for category_id, per_item in raw.items():
        rates[category_id] = {}
        for item_id, rate in per_item.items():
            visits[category_id] = max(visits.get(category_id, 0), rate.visits)
            rates[category_id][item_id] = rate.findings
            findings += rate.findings
    return {
        "available": True,
        "visits": visits,
        "rates": rates,
        "total_visits": sum(visits.values()),
        "findings": findings,
    }
