"""Reads for the command centre, over the pre-aggregated tables and scoped to the user.

A user sees the figures of the cases led by units in their scope (a district head: the district's
units); the office and city leaders see everything, including cases not yet routed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Q, Sum
from django.http import Http404
from django.utils import timezone

from chuangcheng.core.cache import safe_get, safe_set
from chuangcheng.core.scoping import scope_of
from chuangcheng.dashboard.models import AreaCaseStat, DailyCaseStat, UnitCaseStat
from chuangcheng.org.models import Unit
from chuangcheng.org.selectors import subtree_ids
from chuangcheng.places.models import Area

DASHBOARD_ROLES = ("office_admin", "office_staff", "leader", "unit_head")
FLOW_FIELDS = ("reported", "registered", "dispatched", "resolved", "rebounds", "closed", "closed_on_time", "sendbacks")


@dataclass(frozen=True)
class Reach:
    """Which lead units count: ``unit_ids`` None means all (and unrouted cases too)."""

    unit_ids: frozenset[int] | None
    unit: Unit | None = None

    def q(self, path: str = "unit") -> Q:
        if self.unit_ids is None:
            return Q()
        return Q(**{f"{path}__in": self.unit_ids})


def can_view_dashboard(user) -> bool:
    return scope_of(user).has_role(*DASHBOARD_ROLES)


def reach_of(user, unit_id=None) -> Reach:
    """The user's reach, optionally narrowed to a unit's subtree; 404 when not permitted or out of scope."""
    if not can_view_dashboard(user):
        raise Http404("对象不存在或无权访问")
    scope = scope_of(user)
    if unit_id not in (None, ""):
        unit = Unit.objects.visible_to(user).filter(pk=unit_id).first() if str(unit_id).isdigit() else None
        if unit is None:
            raise Http404("对象不存在或无权访问")
        return Reach(frozenset(subtree_ids([unit])), unit)
    if scope.sees_all:
        return Reach(None)
    return Reach(frozenset(scope.unit_ids))


def week_start(today: date) -> date:
    return today - timedelta(days=today.weekday())


def summary(reach: Reach, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    totals = UnitCaseStat.objects.filter(reach.q()).aggregate(
        open=Sum("open"),
        overdue=Sum("overdue"),
        deferred=Sum("deferred"),
        submitted=Sum("submitted"),
        sendbacks_total=Sum("sendbacks_total"),
        rebounds_total=Sum("rebounds_total"),
        refreshed_at=Max("refreshed_at"),
    )
    week = DailyCaseStat.objects.filter(reach.q(), day__gte=week_start(today), day__lte=today).aggregate(
        closed_this_week=Sum("closed"),
        reported_this_week=Sum("reported"),
        sendbacks_this_week=Sum("sendbacks"),
        rebounds_this_week=Sum("rebounds"),
    )
    data = {key: (value or 0) for key, value in (totals | week).items() if key != "refreshed_at"}
    refreshed = totals["refreshed_at"]
    data["refreshed_at"] = timezone.localtime(refreshed).isoformat() if refreshed else None
    data["refreshed_display"] = timezone.localtime(refreshed).strftime("%Y-%m-%d %H:%M") if refreshed else "尚未汇总"
    return data


def trends(reach: Reach, *, days: int = 30, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    rows = {
        row["day"]: row
        for row in DailyCaseStat.objects.filter(reach.q(), day__gte=start, day__lte=today)
        .values("day")
        .annotate(reported=Sum("reported"), closed=Sum("closed"), sendbacks=Sum("sendbacks"), rebounds=Sum("rebounds"))
    }
    series = {"days": [], "reported": [], "closed": [], "sendbacks": [], "rebounds": []}
    for offset in range(days):
        day = start + timedelta(days=offset)
        row = rows.get(day, {})
        series["days"].append(day.isoformat())
        for key in ("reported", "closed", "sendbacks", "rebounds"):
            series[key].append(row.get(key) or 0)
    return series


def funnel(reach: Reach, *, days: int = 30, today: date | None = None) -> list[dict]:
    """Of the cases reported in the last ``days`` days: how many were registered, dispatched, closed."""
    today = today or timezone.localdate()
    sums = DailyCaseStat.objects.filter(reach.q(), day__gte=today - timedelta(days=days - 1)).aggregate(
        reported=Sum("reported"), registered=Sum("registered"), dispatched=Sum("dispatched"), resolved=Sum("resolved")
    )
    labels = (("reported", "上报"), ("registered", "立案"), ("dispatched", "派遣"), ("resolved", "办结"))
    return [{"stage": key, "name": name, "value": sums[key] or 0} for key, name in labels]


def rankings(reach: Reach, *, limit: int = 15) -> list[dict]:
    """Lead units ordered by overdue then open problems, with on-time closure rates."""
    rows = (
        UnitCaseStat.objects.filter(reach.q(), unit__isnull=False)
        .select_related("unit")
        .order_by("-overdue", "-open", "unit__name")[:limit]
    )
    result = []
    for row in rows:
        rate = row.closed_on_time / row.closed_total if row.closed_total else None
        result.append(
            {
                "unit_id": row.unit_id,
                "unit": row.unit.short_name or row.unit.name,
                "open": row.open,
                "overdue": row.overdue,
                "closed": row.closed_total,
                "on_time_rate": round(rate, 4) if rate is not None else None,
                "sendbacks": row.sendbacks_total,
                "rebounds": row.rebounds_total,
            }
        )
    return result


def _map_level() -> int | None:
    return Area.objects.filter(geometry__isnull=False).aggregate(level=Max("level"))["level"]


COORDINATE_DECIMALS = 5  # about 1 m: plenty for grid polygons on a city map, a fifth less JSON than 6


def _quantise(coordinates):
    """Round every position of a GeoJSON coordinate array (any nesting) once, when the shapes are cached."""
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(value, COORDINATE_DECIMALS) for value in coordinates]
    return [_quantise(part) for part in coordinates]


def _shape_key(reach: Reach, level: int) -> str:
    """Identifies the reach's shapes at ``level`` and changes whenever an area of that level changes."""
    version = Area.objects.filter(level=level).aggregate(changed=Max("updated_at"), n=Count("pk"))
    changed = version["changed"].isoformat() if version["changed"] else ""
    return f"dashboard:map:{level}:{_reach_key(reach)}:{version['n']}:{changed}"


def _reach_key(reach: Reach) -> str:
    if reach.unit_ids is None:
        return "all"
    return hashlib.sha1(",".join(map(str, sorted(reach.unit_ids))).encode()).hexdigest()


def map_geometry_json(reach: Reach, level: int, key: str | None = None) -> str:
    """The GeoJSON features of the reach's areas at ``level`` as JSON text, cached until the areas change.

    Geometry is large and rarely changes; coordinates are rounded once here, and the open counts travel
    separately (``map_stats``), so the shapes can be cached by the browser too (``map_shapes``).
    """
    key = key or _shape_key(reach, level)
    cached = safe_get(key)
    if cached is None:
        areas = Area.objects.filter(reach.q("unit"), level=level, geometry__isnull=False).values(
            "pk", "name", "geometry"
        )
        features = []
        for a in areas:
            geometry = a["geometry"]
            if isinstance(geometry, dict) and "coordinates" in geometry:
                geometry = {**geometry, "coordinates": _quantise(geometry["coordinates"])}
            properties = {"id": a["pk"], "name": a["name"]}
            features.append({"type": "Feature", "id": a["pk"], "geometry": geometry, "properties": properties})
        cached = json.dumps(features, ensure_ascii=False, separators=(",", ":"))
        safe_set(key, cached, 6 * 3600)
    return cached


def map_stats(reach: Reach, level: int) -> dict[str, list[int]]:
    """``{area_id: [open, overdue]}`` for the reach's areas at ``level``."""
    rows = AreaCaseStat.objects.filter(reach.q("area__unit"), area__level=level).values_list(
        "area_id", "open", "overdue"
    )
    return {str(area_id): [n_open, n_overdue] for area_id, n_open, n_overdue in rows}


def map_shading(reach: Reach) -> dict:
    """The map's shading only (a few kB): ``level``, ``max_open`` and ``stats`` {area id: [open, overdue]}."""
    level = _map_level()
    if level is None:
        return {"level": None, "max_open": 0, "stats": {}}
    stats = map_stats(reach, level)
    return {"level": level, "max_open": max((v[0] for v in stats.values()), default=0), "stats": stats}


def map_shapes(reach: Reach, *, if_none_match: str = "") -> tuple[str | None, str]:
    """(FeatureCollection JSON text of the reach's grid shapes, ETag); the text is None when ``if_none_match``
    already names the current shapes, so the browser's copy is reused (HTTP 304)."""
    level = _map_level()
    if level is None:
        return '{"type":"FeatureCollection","features":[]}', '"empty"'
    key = _shape_key(reach, level)
    etag = '"' + hashlib.sha1(key.encode()).hexdigest() + '"'
    if etag in [tag.strip() for tag in if_none_match.split(",")]:
        return None, etag
    features = map_geometry_json(reach, level, key)
    return f'{{"type":"FeatureCollection","level":{level},"features":{features}}}', etag


def map_json(reach: Reach) -> str:
    """Shapes and shading in one answer (a FeatureCollection plus ``stats`` and ``max_open``), as JSON text.

    The pages load ``map_shapes`` (cached by the browser) and ``map_shading`` instead.
    """
    shading = map_shading(reach)
    if shading["level"] is None:
        return json.dumps({"type": "FeatureCollection", "features": [], "stats": {}, "max_open": 0})
    head = json.dumps({"type": "FeatureCollection", **shading})
    return head[:-1] + ',"features":' + map_geometry_json(reach, shading["level"]) + "}"


DATA_CACHE_SECONDS = 3600  # a safety net: a refresh changes the key at once


def dashboard_data(reach: Reach, *, today: date | None = None) -> dict:
    """The command centre's figures (summary, trends, funnel, rankings) for ``reach``.

    Summary, trends and funnel are a function of the pre-aggregated tables, which change only in
    ``services.refresh_dashboard``, and of the day: cached under a key made of the reach, the day and the last
    refresh (``refresh_version``), so a refresh shows at once (no stale figure, nothing to invalidate) and a
    hit costs one small query instead of three scans of a month of ``DailyCaseStat``. The rankings (one
    small query) stay live, as they carry the units' current names.
    """
    today = today or timezone.localdate()
    key = f"dashboard:data:{_reach_key(reach)}:{today.isoformat()}:{refresh_version()}"
    data = safe_get(key)
    if data is None:
        data = {
            "summary": summary(reach, today=today),
            "trends": trends(reach, today=today),
            "funnel": funnel(reach, today=today),
        }
        safe_set(key, data, DATA_CACHE_SECONDS)
    scope = reach.unit.name if reach.unit else ("全市" if reach.unit_ids is None else "本单位及下级")
    return data | {"rankings": rankings(reach), "scope": scope}


def refresh_version() -> str:
    """Changes with every refresh of the figures: it rewrites every ``UnitCaseStat`` row with its time."""
    version = UnitCaseStat.objects.aggregate(at=Max("refreshed_at"), n=Count("pk"))
    return f"{version['at'].isoformat() if version['at'] else '-'}:{version['n']}"
