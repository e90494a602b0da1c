"""How much inspection history the forecast rests on: finding rates per category × check item.

Uses ``inspections.selectors.finding_rates`` when the inspections app provides it; otherwise there is
no history and the forecast rests on the prior and the open cases only (the page says so).
"""

from __future__ import annotations


def history_for(category_ids: list[int]) -> dict:
    """``{"available", "visits": {category: n}, "rates": {category: {item: findings}}, "total_visits"}``."""
    try:
        from chuangcheng.inspections.selectors import finding_rates
    except ImportError:
        return {"available": False, "visits": {}, "rates": {}, "total_visits": 0, "findings": 0}
    raw = finding_rates(category_ids)
    visits: dict[int, int] = {}
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
