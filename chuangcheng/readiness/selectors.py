"""Reads for readiness: windows and countdowns, standards, the combined readiness picture."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.utils import timezone

from chuangcheng.readiness.models import ForecastRun, InspectionWindow, WindowKind

STANDARD_FOR_WINDOW = {
    WindowKind.NATIONAL_UNDERCOVER: "sanitary_city",
    WindowKind.TECHNICAL_EVALUATION: "sanitary_city",
    WindowKind.PROVINCIAL: "sanitary_city",
    WindowKind.CIVILIZED_CITY: "civilized_city",
}


@dataclass(frozen=True)
class Countdown:
    window: InspectionWindow
    days_to_earliest: int
    days_to_latest: int

    @property
    def inside(self) -> bool:
        return self.days_to_earliest <= 0 <= self.days_to_latest

    @property
    def label(self) -> str:
        name = str(self.window)
        if self.inside:
            return f"{name}：已进入迎检窗口，最晚还有 {self.days_to_latest} 天"
        return f"距{name}最早预计日期还有 {self.days_to_earliest} 天"

    @property
    def level(self) -> str:
        days = 0 if self.inside else self.days_to_earliest
        return "red" if days <= 30 else "yellow" if days <= 90 else "green"


def upcoming_windows(user, *, today: date | None = None, campaign=None) -> list[Countdown]:
    """Active windows not yet over (of one campaign when given), nearest first, each with its countdown."""
    today = today or timezone.localdate()
    windows = InspectionWindow.objects.visible_to(user).filter(is_active=True, latest__gte=today).order_by("earliest")
    if campaign is not None:
        windows = windows.filter(campaign=campaign)
    return [Countdown(w, (w.earliest - today).days, (w.latest - today).days) for w in windows]


def next_countdown(user, *, today: date | None = None, campaign=None) -> Countdown | None:
    windows = upcoming_windows(user, today=today, campaign=campaign)
    return windows[0] if windows else None


def default_standard(window: InspectionWindow | None = None):
    from chuangcheng.standards.selectors import current_standard

    kind = STANDARD_FOR_WINDOW.get(window.kind, "sanitary_city") if window else "sanitary_city"
    return current_standard(kind) or current_standard("sanitary_city")


def names_for(area_ids, unit_ids) -> tuple[dict, dict]:
    from chuangcheng.org.models import Unit
    from chuangcheng.places.models import Area

    areas = dict(Area.objects.filter(pk__in=[i for i in area_ids if i]).values_list("pk", "name"))
    units = dict(Unit.objects.filter(pk__in=[i for i in unit_ids if i]).values_list("pk", "name"))
    return areas, units


def latest_run(user) -> ForecastRun | None:
    return ForecastRun.objects.visible_to(user).filter(baseline__isnull=True).select_related("campaign").first()


def open_cases_for_what_if(user, run: ForecastRun | None, limit: int = 200) -> list[dict]:
    """Open cases at sites on the run's check items, the costliest items first (for the what-if picker)."""
    if run is None or not apps.is_installed("chuangcheng.cases"):
        return []
    try:
        case_model = apps.get_model("cases", "Case")
        from chuangcheng.cases.models.cases import OPEN_STATUSES
    except (LookupError, ImportError):
        return []
    loss = {row["id"]: row["loss"] for row in run.results.get("items", [])}
    if not loss:
        return []
    rows = list(
        case_model.objects.visible_to(user)
        .filter(status__in=OPEN_STATUSES, site__isnull=False, check_item_id__in=list(loss))
        .values("pk", "number", "title", "site__name", "check_item__title", "check_item_id", "lead_unit__name")[
            : limit * 3
        ]
    )
    rows.sort(key=lambda row: -loss.get(row["check_item_id"], 0))
    return rows[:limit]


def readiness_parts(user) -> list[dict]:
    """The components of readiness that exist on this installation, each on its own."""
    parts = []
    run = latest_run(user)
    if run is not None:
        parts.append(_forecast_part(run))
    for part in (_indicator_part(user), _archive_part(user), _survey_part(user)):
        if part is not None:
            parts.append(part)
    return parts


def combined_readiness(parts: list[dict]) -> float | None:
    """Plain average of the available parts (each 0..1); None when nothing is available."""
    values = [p["value"] for p in parts if p.get("value") is not None]
    return sum(values) / len(values) if values else None


def _forecast_part(run: ForecastRun) -> dict:
    """The latest run's pass probability, withheld (no value, left out of the average) below the coverage
    threshold: a few sampled categories cannot stand for the whole evaluation."""
    if run.results.get("mode") == "observe":
        return _observe_part(run)
    coverage = run.coverage
    figure = f"{run.p_pass * 100:.1f}%"
    if not coverage.sufficient:
        return {
            "key": "forecast",
            "name": "暗访模拟通过概率",
            "value": None,
            "display": "覆盖不足",
            "detail": f"{coverage.label}，{coverage.detail}；模拟值 {figure} 仅供参考（预测 #{run.pk}）",
            "withheld": True,
        }
    return {
        "key": "forecast",
        "name": "暗访模拟通过概率",
        "value": run.p_pass,
        "display": figure,
        "detail": f"{coverage.label}；期望得分 {run.mean_score:.2f}（预测 #{run.pk}）",
    }


def _observe_part(run: ForecastRun) -> dict:
    """An observation-scored run: its expected 得分率 over the observed 测评标准 (none observed: no value)."""
    summary = run.results.get("summary", {})
    rate = summary.get("rate")
    name = f"{(run.results.get('standard') or {}).get('name', '')}模拟测评预计得分率"
    if rate is None:
        return {"key": "forecast", "name": name, "value": None, "display": "未观测", "detail": f"预测 #{run.pk}"}
    return {
        "key": "forecast",
        "name": name,
        "value": rate,
        "display": f"{rate * 100:.1f}%",
        "detail": f"期望得分 {run.mean_score:.2f} / 已观测分值 {summary.get('observed_full', 0):g}（预测 #{run.pk}）",
    }


def _indicator_part(user) -> dict | None:
    try:
        from chuangcheng.standards.models import Compliance, Indicator, IndicatorReport
    except ImportError:
        return None
    hard = list(Indicator.objects.filter(is_hard=True, standard__status="published").values_list("pk", flat=True))
    if not hard:
        return None
    latest: dict[int, str] = {}
    for indicator_id, compliance in (
        IndicatorReport.objects.filter(indicator_id__in=hard).order_by("indicator_id", "period", "id")
    ).values_list("indicator_id", "compliance"):
        latest[indicator_id] = compliance
    passed = sum(1 for value in latest.values() if value == Compliance.PASS)
    return {
        "key": "indicators",
        "name": "硬指标达标率",
        "value": passed / len(hard),
        "display": f"{passed}/{len(hard)}",
        "detail": f"已填报 {len(latest)} 项，未填报或待核实的按未达标计",
    }


def _archive_part(user) -> dict | None:
    """Archive completeness from the dossiers app's one figure (``archive_completeness``), where it exists."""
    try:
        from chuangcheng.dossiers.selectors import archive_completeness
    except ImportError:
        return None
    figure = archive_completeness(user=user)
    if not figure.required:
        return None
    return {
        "key": "archives",
        "name": "档案资料完整率",
        "value": figure.approved / figure.required,
        "display": figure.display,
        "detail": f"已审核通过 {figure.approved} / 应报 {figure.required} 项（{figure.years_label}）",
    }


def _survey_part(user) -> dict | None:
    """Residents' satisfaction from the public app's surveys, where it exists."""
    try:
        from chuangcheng.public.selectors import satisfaction
    except ImportError:
        return None
    figure = satisfaction()
    if figure.rate is None:
        return None
    return {
        "key": "survey",
        "name": "群众满意率",
        "value": figure.rate,
        "display": f"{figure.rate * 100:.1f}%",
        "detail": f"{figure.responses} 份问卷",
    }


def forecast_standards():
    """The published standards a forecast may run on (the office chooses; 创文 and 未成年人 ones by observation)."""
    from chuangcheng.standards.models import Standard, StandardStatus

    return Standard.objects.filter(status=StandardStatus.PUBLISHED).order_by("kind", "-effective_date", "-id")


def minors_runs(user):
    """Visible observation-scored runs on a minors standard (a simulated 未成年人测评 result may cite one)."""
    return ForecastRun.objects.visible_to(user).filter(
        baseline__isnull=True, parameters__mode="observe", results__standard__kind="minors"
    )
