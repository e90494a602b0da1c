"""Writes for readiness: inspection windows and stored forecast runs."""

from __future__ import annotations

import secrets
import time
from collections import defaultdict
from datetime import date

from django.db import transaction

from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.scoping import scope_of
from chuangcheng.programs.services import changed_campaign, require_campaign
from chuangcheng.readiness.civil_inputs import DEFAULT_ROUNDS, MAX_ROUNDS, is_observation_scored
from chuangcheng.readiness.forecast import DEFAULT_PRIOR, simulate
from chuangcheng.readiness.inputs import BANDS, Inputs, Parameters, build_inputs
from chuangcheng.readiness.models import ForecastRun, InspectionWindow, WindowKind
from chuangcheng.readiness.observe_run import MODE, check_weights, execute_observe
from chuangcheng.readiness.permissions import can_edit_window, can_manage_windows, can_run_forecast

MAX_RUNS = 100_000
# Bounds that keep the simulation finite (and the seed storable): no rubric is scored out of more.
MAX_FULL_SCORE = 10_000
MAX_SEED = 2**31 - 1
TOP = 20
WINDOW_FIELDS = ("kind", "title", "earliest", "latest", "note", "is_active", "campaign")


def _check_window(kind: str, earliest: date, latest: date) -> None:
    if kind not in WindowKind.values:
        raise DomainError(f"未知的迎检类型“{kind}”", field="kind")
    if latest < earliest:
        raise DomainError("最晚预计日期不能早于最早预计日期", field="latest")


def _check_overlap(campaign, earliest: date, latest: date, *, active: bool, exclude: int | None = None) -> None:
    """Two active windows of one campaign may not overlap (the countdown would not know which one it runs to)."""
    if campaign is None or not active:
        return
    clash = (
        InspectionWindow.objects.filter(campaign=campaign, is_active=True, earliest__lte=latest, latest__gte=earliest)
        .exclude(pk=exclude)
        .order_by("earliest")
        .first()
    )
    if clash is not None:
        raise DomainError(
            f"与创建活动“{campaign.name}”的迎检窗口“{clash}”（{clash.earliest:%Y-%m-%d}～{clash.latest:%Y-%m-%d}）"
            "时间重叠",
            field="earliest",
        )


@transaction.atomic
def create_window(
    *,
    actor,
    kind: str,
    earliest: date,
    latest: date,
    title: str = "",
    note: str = "",
    is_active: bool = True,
    campaign=None,
) -> InspectionWindow:
    if not can_manage_windows(actor):
        raise NotPermitted("只有创建办可以维护迎检窗口")
    _check_window(kind, earliest, latest)
    if campaign is None and not scope_of(actor).sees_all:
        raise DomainError("请选择本级的创建活动（迎检窗口属于创建活动）", field="campaign")
    campaign = require_campaign(actor, campaign)
    _check_overlap(campaign, earliest, latest, active=is_active)
    window = InspectionWindow.objects.create(
        campaign=campaign,
        kind=kind,
        title=title.strip(),
        earliest=earliest,
        latest=latest,
        note=note,
        is_active=is_active,
        created_by=actor,
    )
    record(
        actor=actor,
        verb="readiness.window_created",
        target=window,
        changes={
            "kind": [None, kind],
            "earliest": [None, str(earliest)],
            "latest": [None, str(latest)],
            "campaign": [None, campaign.pk if campaign else None],
        },
    )
    return window


@transaction.atomic
def update_window(*, window: InspectionWindow, actor, **changes) -> InspectionWindow:
    if not can_manage_windows(actor) or not can_edit_window(actor, window):
        raise NotPermitted("只有创建办可以维护迎检窗口")
    unknown = set(changes) - set(WINDOW_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    window = InspectionWindow.objects.select_for_update(no_key=True).get(pk=window.pk)
    _check_window(
        changes.get("kind", window.kind), changes.get("earliest", window.earliest), changes.get("latest", window.latest)
    )
    _check_overlap(
        changed_campaign(actor, window.campaign, changes),
        changes.get("earliest", window.earliest),
        changes.get("latest", window.latest),
        active=changes.get("is_active", window.is_active),
        exclude=window.pk,
    )
    delta = diff(window, changes)
    for name, value in changes.items():
        setattr(window, name, value)
    window.save()
    if delta:
        record(actor=actor, verb="readiness.window_updated", target=window, changes=delta)
    return window


def _parameters(*, pass_line, full_score, unknown_points, band, runs, seed, prior_alpha, prior_beta, standard):
    from chuangcheng.readiness.inputs import EXAMPLE_PASS_LINE, city_band

    if runs < 100 or runs > MAX_RUNS:
        raise DomainError(f"模拟次数须在 100 到 {MAX_RUNS} 之间", field="runs")
    if full_score <= 0 or full_score > MAX_FULL_SCORE:
        raise DomainError(f"满分须大于 0 且不超过 {MAX_FULL_SCORE} 分", field="full_score")
    if not (0 <= pass_line <= full_score):
        raise DomainError("及格线须在 0 与满分之间", field="pass_line")
    if unknown_points is not None and not (0 <= unknown_points <= full_score):
        raise DomainError("示例分值须在 0 与满分之间", field="unknown_points")
    if seed is not None and not (0 <= seed <= MAX_SEED):
        raise DomainError(f"随机种子须在 0 到 {MAX_SEED} 之间", field="seed")
    if prior_alpha < 0 or prior_beta < 0 or prior_alpha + prior_beta <= 0:
        raise DomainError("先验参数须为非负数且不全为零", field="prior_alpha")
    band_source = "chosen"
    if not band:
        band, _population = city_band()
        band_source = "city_population" if band else "default"
        band = band or "medium"
    if band not in BANDS:
        raise DomainError("未知的人口档次", field="band")
    return Parameters(
        standard_id=standard.pk if standard is not None else None,
        band=band,
        band_source=band_source,
        pass_line=float(pass_line),
        pass_line_is_example=float(pass_line) == EXAMPLE_PASS_LINE,
        full_score=float(full_score),
        unknown_points=None if unknown_points is None else float(unknown_points),
        prior_alpha=float(prior_alpha),
        prior_beta=float(prior_beta),
        runs=int(runs),
        seed=int(seed) if seed is not None else secrets.randbelow(2**31),
    )


@transaction.atomic
def run_forecast(
    *,
    actor,
    standard=None,
    window: InspectionWindow | None = None,
    pass_line: float = 90.0,
    full_score: float = 100.0,
    unknown_points: float | None = None,
    band: str = "",
    runs: int = 10_000,
    seed: int | None = None,
    prior_alpha: float = DEFAULT_PRIOR[0],
    prior_beta: float = DEFAULT_PRIOR[1],
    campaign=None,
    observe_rounds: int = DEFAULT_ROUNDS,
    weights: dict | None = None,
) -> ForecastRun:
    """Simulate the evaluation over the current state and store the run with its seed and parameters.

    The run belongs to the chosen campaign, else to the window's campaign. A standard with observation-scored
    测评标准 is forecast by 分值 × 达标率 from the recent 模拟测评 rounds (``observe_run``).
    """
    if not can_run_forecast(actor):
        raise NotPermitted("只有创建办和领导可以运行迎检预测")
    if standard is None:
        from chuangcheng.readiness.selectors import default_standard

        standard = default_standard(window)
    if standard is None:
        raise DomainError("没有已发布的测评标准，无法预测", field="standard")
    params = _parameters(
        pass_line=pass_line,
        full_score=full_score,
        unknown_points=unknown_points,
        band=band,
        runs=runs,
        seed=seed,
        prior_alpha=prior_alpha,
        prior_beta=prior_beta,
        standard=standard,
    )
    campaign = require_campaign(actor, campaign) if campaign is not None else getattr(window, "campaign", None)
    params.ground_path = _ground_path(actor, campaign)
    if is_observation_scored(standard):
        if not 1 <= observe_rounds <= MAX_ROUNDS:
            raise DomainError(f"模拟测评轮次数须在 1 到 {MAX_ROUNDS} 之间", field="observe_rounds")
        params.mode, params.observe_rounds, params.weights = MODE, int(observe_rounds), check_weights(weights)
        run = execute_observe(actor=actor, params=params, standard=standard, window=window, campaign=campaign)
    else:
        run = _execute(actor=actor, params=params, window=window, baseline=None, campaign=campaign)
    record(
        actor=actor,
        verb="readiness.forecast_run",
        target=run,
        changes={"seed": [None, run.seed], "runs": [None, run.runs], "p_pass": [None, round(run.p_pass, 4)]},
    )
    return run


def _ground_path(actor, campaign) -> str:
    """A lower level forecasts its own ground: the run's campaign unit, else the actor's jurisdiction."""
    from chuangcheng.accounts.jurisdiction import home_jurisdiction

    if campaign is not None:
        return campaign.unit.path if campaign.unit.parent_id is not None else ""
    ground = home_jurisdiction(actor)
    return ground.path if ground is not None and ground.parent_id is not None else ""


@transaction.atomic
def run_what_if(*, actor, baseline: ForecastRun, case_ids: list[int]) -> ForecastRun:
    """Re-run ``baseline`` with the same seed and parameters as if ``case_ids`` were closed."""
    if not can_run_forecast(actor):
        raise NotPermitted("只有创建办和领导可以运行迎检预测")
    if baseline.baseline_id is not None:
        baseline = baseline.baseline
    if baseline.parameters.get("mode") == MODE:
        raise DomainError("观察计分的预测按模拟测评达标率估算，不支持整改假设分析", field="case_ids")
    ids = sorted({int(i) for i in case_ids})
    if not ids:
        raise DomainError("请选择要假设整改完成的问题", field="case_ids")
    params = Parameters.from_dict(baseline.parameters)
    params.closed_case_ids = ids
    run = _execute(actor=actor, params=params, window=baseline.window, baseline=baseline, campaign=baseline.campaign)
    record(
        actor=actor,
        verb="readiness.what_if_run",
        target=run,
        changes={"baseline": [None, baseline.pk], "closed_cases": [None, len(ids)]},
    )
    return run


def _execute(*, actor, params: Parameters, window, baseline: ForecastRun | None, campaign=None) -> ForecastRun:
    started = time.perf_counter()
    inputs = build_inputs(params)
    if not inputs.categories:
        reasons = "；".join(f"{c['name']}（{c['reason']}）" for c in inputs.excluded_categories[:5])
        raise DomainError(
            "没有可抽取的点位类别，无法预测：请为点位类别设置抽样配额、适用检查项和点位"
            + (f"。未纳入：{reasons}" if reasons else ""),
            field="standard",
        )
    result = simulate(
        inputs.categories,
        inputs.rules,
        runs=params.runs,
        seed=params.seed,
        full_score=params.full_score,
        pass_line=params.pass_line,
        unknown_points=params.unknown_points,
    )
    results = compose_results(inputs, result, params)
    if baseline is not None:
        results["what_if"] = {
            "closed_cases": len(params.closed_case_ids),
            "matched_cases": sum(1 for i in params.closed_case_ids if i in inputs.case_pairs),
            "delta_p_pass": results["summary"]["p_pass"] - baseline.p_pass,
            "delta_mean": results["summary"]["mean"] - baseline.mean_score,
        }
    return ForecastRun.objects.create(
        campaign=campaign,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        window=window,
        baseline=baseline,
        seed=params.seed,
        runs=params.runs,
        parameters=params.as_dict(),
        results=results,
        p_pass=result.p_pass,
        mean_score=float(result.scores.mean()),
        duration_ms=int((time.perf_counter() - started) * 1000),
    )


def compose_results(inputs: Inputs, result, params: Parameters) -> dict:
    """The stored, JSON-ready view of a run: summary, 短板 by item, category, area and unit, context."""
    items = sorted(result.item_loss.items(), key=lambda kv: -kv[1])
    item_rows = []
    for item_id, loss in items[:TOP]:
        info = inputs.items.get(item_id, {})
        item_rows.append({"id": item_id, "loss": round(loss, 4), **info})
    category_rows = []
    for category in inputs.categories:
        category_rows.append(
            {
                "code": category.code,
                "name": inputs.category_names.get(category.code, category.code),
                "sites": category.n_sites,
                "sample": min(category.sample_size, category.n_sites),
                "problem_sites": int(len(category.problem_site_ids)),
                "open": int(category.open_counts.sum()),
                "loss": round(result.category_loss.get(category.code, 0.0), 4),
            }
        )
    category_rows.sort(key=lambda row: -row["loss"])
    areas: dict = defaultdict(float)
    units: dict = defaultdict(float)
    names_area, names_unit = {}, {}
    for site_id, loss in result.site_loss.items():
        info = inputs.site_info.get(site_id)
        if info is None:
            continue
        areas[info["area_id"]] += loss
        units[info["unit_id"]] += loss
        names_area[info["area_id"]] = info["area__name"] or "未划区域"
        names_unit[info["unit_id"]] = info["unit__name"] or "未明确属地"
    for code, groups in inputs.clean_sites.items():
        per_site = result.clean_loss_per_site.get(code, 0.0)
        for (area_id, unit_id), n in groups.items():
            areas[area_id] += per_site * n
            units[unit_id] += per_site * n
    from chuangcheng.readiness.selectors import names_for

    area_names, unit_names = names_for(list(areas), list(units))
    area_rows = [
        {"id": key, "name": area_names.get(key, names_area.get(key, "未划区域")), "loss": round(value, 4)}
        for key, value in sorted(areas.items(), key=lambda kv: -kv[1])[:TOP]
    ]
    unit_rows = [
        {"id": key, "name": unit_names.get(key, names_unit.get(key, "未明确属地")), "loss": round(value, 4)}
        for key, value in sorted(units.items(), key=lambda kv: -kv[1])[:TOP]
    ]
    return {
        "summary": result.summary() | {"expected_loss": round(result.expected_loss, 4), "drawn": result.drawn_sites},
        "items": item_rows,
        "categories": category_rows,
        "areas": area_rows,
        "units": unit_rows,
        "unknown_problems": round(result.unknown_problems, 3),
        "unknown_items": sum(1 for info in inputs.items.values() if info["points"] is None),
        "history": {
            "available": inputs.history.get("available", False),
            "total_visits": inputs.history.get("total_visits", 0),
            "findings": inputs.history.get("findings", 0),
            "categories_with_history": len(inputs.history.get("visits", {})),
        },
        "open_cases": int(sum(c.open_counts.sum() for c in inputs.categories)),
        "unsited_open": inputs.unsited_open,
        "excluded": inputs.excluded_categories,
        "notes": inputs.notes,
        "standard": {"id": inputs.standard.pk, "name": str(inputs.standard)} if inputs.standard else None,
        "band_label": BANDS.get(params.band, params.band),
    }
