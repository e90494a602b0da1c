"""Reads that need thought: publicity points with their latest check, the 行风评议 ranking."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from chuangcheng.civility.catalog import PUBLICITY_CATEGORY_CODES
from chuangcheng.civility.models import PointState, PublicityCheck, Rating, RatingPeriod, RatingSource
from chuangcheng.civility.ranking import competition_ranks
from chuangcheng.places.models import Site

STATE_COLORS = {
    PointState.INTACT: "#16a34a",
    PointState.DAMAGED: "#d97706",
    PointState.MISSING: "#dc2626",
    PointState.OUTDATED: "#7c3aed",
    "": "#64748b",
}


def publicity_points(user) -> QuerySet:
    """Publicity sites the user may see, each with its latest check's state, date and id (one query)."""
    latest = PublicityCheck.objects.filter(site=OuterRef("pk")).order_by("-checked_on", "-id")
    return (
        Site.objects.visible_to(user)
        .filter(category__code__in=PUBLICITY_CATEGORY_CODES)
        .select_related("category", "unit")
        .annotate(
            latest_state=Subquery(latest.values("state")[:1]),
            latest_checked_on=Subquery(latest.values("checked_on")[:1]),
            latest_check_id=Subquery(latest.values("pk")[:1]),
            latest_case_id=Subquery(latest.values("case_id")[:1]),
        )
        .order_by("code")
    )


def point_features(points) -> list[dict]:
    """GeoJSON features for the map (names escaped by the script, never here)."""
    labels = dict(PointState.choices)
    features = []
    for site in points:
        state = site.latest_state or ""
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [site.lng, site.lat]},
                "properties": {
                    "name": site.name,
                    "category": site.category.name,
                    "state": state,
                    "state_label": labels.get(state, "未检查"),
                    "color": STATE_COLORS.get(state, STATE_COLORS[""]),
                    "checked_on": site.latest_checked_on.isoformat() if site.latest_checked_on else "",
                    "url": reverse("civility:point_detail", args=[site.pk]),
                },
            }
        )
    return features


@dataclass
class RankedRow:
    rating: Rating
    rank: int
    of: int


def period_ranking(user, period: RatingPeriod) -> list[tuple[str, list[RankedRow]]]:
    """Per source: the visible results of the period with their rank among *all* results of that source
    (a unit sees its true place without seeing the others). Two queries."""
    everyone: dict[str, list[tuple[int, object]]] = {}
    for pk, source, score in Rating.objects.filter(period=period).values_list("pk", "source", "score"):
        everyone.setdefault(source, []).append((pk, score))
    ranks = {source: competition_ranks(pairs) for source, pairs in everyone.items()}
    visible = (
        Rating.objects.visible_to(user)
        .filter(period=period)
        .select_related("window_unit__industry", "window_unit__unit")
    )
    by_source: dict[str, list[RankedRow]] = {}
    for rating in visible:
        by_source.setdefault(rating.source, []).append(
            RankedRow(rating, ranks[rating.source][rating.pk], len(everyone[rating.source]))
        )
    labels = dict(RatingSource.choices)
    return [
        (labels[source], sorted(rows, key=lambda row: (row.rank, row.rating.window_unit.name)))
        for source, rows in sorted(by_source.items(), key=lambda item: list(labels).index(item[0]))
    ]


def legend() -> list[tuple[str, str, str]]:
    """(state, label, colour) for the map legend, 未检查 last."""
    return [(key, label, STATE_COLORS[key]) for key, label in PointState.choices] + [("", "未检查", STATE_COLORS[""])]
