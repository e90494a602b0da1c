"""Roll-up across levels: the territorial units just below the user's jurisdiction, side by side.

A province's office compares its cities, a city's its districts and counties, a county's its towns
(``province_comparison``). Every figure comes from a table that is already aggregated or small: case
figures from ``UnitCaseStat`` (one grouped query), the latest published round of each unit's campaign
(scores of a published round never change, so they are cached), the latest forecast of each unit's
campaign, and archive completeness from ``dossiers.CompletenessSummary``. No raw case rows are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, Sum, Value, When

from chuangcheng.core.cache import safe_get, safe_set
from chuangcheng.core.scoping import Scope
from chuangcheng.dashboard.models import UnitCaseStat
from chuangcheng.org.models import TERRITORIAL_KINDS, Unit


@dataclass
class LevelRow:
    """One compared unit (a city of the province, a county of the city, a town of the county)."""

    unit: Unit
    open: int = 0
    overdue: int = 0
    closed: int = 0
    closed_on_time: int = 0
    round: dict | None = None
    forecast: dict | None = None
    archive_percent: float | None = None
    extra: dict = field(default_factory=dict)

    @property
    def on_time_rate(self) -> float | None:
        return round(self.closed_on_time / self.closed, 4) if self.closed else None

    def as_dict(self) -> dict:
        return {
            "unit_id": self.unit.pk,
            "unit": self.unit.short_name or self.unit.name,
            "kind": self.unit.get_kind_display(),
            "open": self.open,
            "overdue": self.overdue,
            "closed": self.closed,
            "on_time_rate": self.on_time_rate,
            "round": self.round,
            "forecast": self.forecast,
            "archive_percent": self.archive_percent,
        }


def comparison_roots(scope: Scope) -> list[Unit]:
    """The units whose children are compared: the office's jurisdictions; for the root's office (and
    superusers) the root territorial units; for leaders and unit heads their own territorial units."""
    territorial = Unit.objects.filter(kind__in=TERRITORIAL_KINDS, is_active=True)
    if scope.sees_all:
        return list(territorial.filter(parent__isnull=True).order_by("sort_order", "code"))
    ids = scope.jurisdiction_ids or scope.member_unit_ids
    return list(territorial.filter(pk__in=ids).order_by("depth", "sort_order", "code"))


def compared_units(scope: Scope) -> list[Unit]:
    """The territorial children of the comparison roots (outermost roots only), in their display order."""
    roots = comparison_roots(scope)
    outer = [r for r in roots if not any(o.pk != r.pk and r.path.startswith(o.path) for o in roots)]
    if not outer:
        return []
    return list(
        Unit.objects.filter(parent__in=outer, kind__in=TERRITORIAL_KINDS, is_active=True).order_by(
            "path", "sort_order", "code"
        )
    )


def _case_figures(rows: dict[int, LevelRow]) -> None:
    """Open, overdue and closed (on time) per compared unit's subtree: one grouped query over UnitCaseStat."""
    units = [row.unit for row in rows.values()]
    child = Case(
        *[When(unit__path__startswith=unit.path, then=Value(unit.pk)) for unit in units],
        output_field=IntegerField(),
    )
    inside = Q(pk__in=[])
    for unit in units:
        inside |= Q(unit__path__startswith=unit.path)
    totals = (
        UnitCaseStat.objects.filter(inside)
        .annotate(child=child)
        .values("child")
        .annotate(open=Sum("open"), overdue=Sum("overdue"), closed=Sum("closed_total"), on_time=Sum("closed_on_time"))
    )
    for total in totals:
        row = rows.get(total["child"])
        if row is not None:
            row.open, row.overdue = total["open"] or 0, total["overdue"] or 0
            row.closed, row.closed_on_time = total["closed"] or 0, total["on_time"] or 0


def _round_figures(round_) -> dict:
    key = f"rollup:round:{round_.pk}:{round_.published_at.isoformat()}"
    cached = safe_get(key)
    if cached is None:
        from chuangcheng.inspections.selectors import round_score

        total = round_score(round_).total
        cached = {
            "visits": total.visits,
            "findings": total.findings,
            "lost": float(total.lost),
            "lost_per_visit": float(total.lost_per_visit),
            "red_line": total.has_red_line,
        }
        safe_set(key, cached, 24 * 3600)
    return {"id": round_.pk, "name": round_.name, "published": round_.published_at.date().isoformat(), **cached}


def _latest_rounds(rows: dict[int, LevelRow]) -> None:
    """The latest published round each compared unit ran (its campaign's, or one it organised)."""
    from chuangcheng.inspections.models import InspectionRound, RoundStatus

    ids = list(rows)
    rounds = (
        InspectionRound.objects.filter(status=RoundStatus.PUBLISHED, published_at__isnull=False)
        .filter(Q(campaign__unit__in=ids) | Q(campaign__isnull=True, unit__in=ids))
        .select_related("campaign")
        .order_by("-published_at", "-pk")
    )
    for round_ in rounds.iterator(chunk_size=200):
        owner = round_.campaign.unit_id if round_.campaign_id else round_.unit_id
        row = rows.get(owner)
        if row is not None and row.round is None:
            row.round = _round_figures(round_)
        if all(r.round is not None for r in rows.values()):
            break


def _latest_forecasts(rows: dict[int, LevelRow]) -> None:
    from chuangcheng.readiness.models import ForecastRun

    runs = (
        ForecastRun.objects.filter(campaign__unit__in=list(rows), baseline__isnull=True)
        .order_by("-created_at", "-pk")
        .values("campaign__unit_id", "p_pass", "mean_score", "created_at")
    )
    for run in runs.iterator(chunk_size=200):
        row = rows.get(run["campaign__unit_id"])
        if row is not None and row.forecast is None:
            row.forecast = {
                "p_pass": round(run["p_pass"], 4),
                "mean_score": round(run["mean_score"], 2),
                "at": run["created_at"].date().isoformat(),
            }
        if all(r.forecast is not None for r in rows.values()):
            break


def _archive(rows: dict[int, LevelRow], user) -> None:
    """Approved / owed archive materials per compared unit's subtree (the dossiers summary, one read)."""
    from chuangcheng.dossiers.selectors import completeness_matrix, percent

    units = Unit.objects.none()
    for row in rows.values():
        units = units | Unit.objects.filter(path__startswith=row.unit.path)
    matrix = completeness_matrix(user=user, units=units)
    paths = {unit.pk: unit.path for unit in matrix.units}
    owed: dict[int, list[int]] = {pk: [0, 0] for pk in rows}
    for (_clause, unit_id, _year), (required, _submitted, approved) in matrix.cells.items():
        path = paths.get(unit_id, "")
        for pk, row in rows.items():
            if path.startswith(row.unit.path):
                owed[pk][0] += required
                owed[pk][1] += approved
                break
    for pk, (required, approved) in owed.items():
        rows[pk].archive_percent = percent(approved, required) if required else None


def province_comparison(scope: Scope, *, user=None) -> list[dict]:
    """Per compared unit (a province's cities …): open/overdue cases, on-time closure rate, the latest
    round's result, the latest forecast and (with ``user``) archive completeness. Worst first."""
    rows = {unit.pk: LevelRow(unit=unit) for unit in compared_units(scope)}
    if not rows:
        return []
    _case_figures(rows)
    _latest_rounds(rows)
    _latest_forecasts(rows)
    if user is not None:
        _archive(rows, user)
    ordered = sorted(rows.values(), key=lambda row: (-row.overdue, -row.open, row.unit.path))
    return [row.as_dict() for row in ordered]
