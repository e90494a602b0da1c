"""A stored forecast run on an observation-scored standard (创文, 未成年人测评): called by ``services.run_forecast``.

The results JSON has ``mode = "observe"``; ``summary`` keeps the keys the page, the history table and the
API read for every run (mean, p05, p95, p_pass, histogram), on the scale of Σ 分值; ``observe`` holds the
per-item rows and the 测评项目 totals; ``parts`` the other 测评 parts, each on its own; ``composite`` an
optional weighted sum, only when the office entered all the weights (示例/待核实: the method weights are not
in the facts).
"""

from __future__ import annotations

import time
from collections import defaultdict

from chuangcheng.core.errors import DomainError
from chuangcheng.readiness.civil_inputs import build_observe_inputs, materials_part, questionnaire_part
from chuangcheng.readiness.models import ForecastRun
from chuangcheng.readiness.observe import forecast_observed

MODE = "observe"
WEIGHT_PARTS = {"field": "实地考察（观察计分）", "survey": "问卷调查", "material": "材料审核"}
TOP = 20


def check_weights(weights: dict | None) -> dict[str, float]:
    """Composite weights in percent: none at all, or every part's in 0..100 summing to 100."""
    given = {key: value for key, value in (weights or {}).items() if value is not None}
    if not given:
        return {}
    for key, value in given.items():
        if key not in WEIGHT_PARTS:
            raise DomainError(f"未知的权重项“{key}”", field="weights")
        if not 0 <= float(value) <= 100:
            raise DomainError(f"{WEIGHT_PARTS[key]}权重须在 0 到 100% 之间", field=f"weight_{key}")
    missing = [label for key, label in WEIGHT_PARTS.items() if key not in given]
    if missing:
        raise DomainError(f"示例综合分须填写全部权重，缺少：{'、'.join(missing)}", field="weight_field")
    if abs(sum(float(v) for v in given.values()) - 100) > 1e-6:
        raise DomainError("各部分权重之和须为 100%", field="weight_field")
    return {key: float(value) for key, value in given.items()}


def execute_observe(*, actor, params, standard, window, campaign) -> ForecastRun:
    started = time.perf_counter()
    inputs = build_observe_inputs(standard, ground_path=params.ground_path, rounds=params.observe_rounds)
    if not inputs.items:
        raise DomainError("所选标准没有观察计分的测评标准，无法按观察计分预测", field="standard")
    result = forecast_observed(
        inputs.items, runs=params.runs, seed=params.seed, pass_rate=params.pass_line / params.full_score
    )
    rows = []
    projects: dict[str, dict] = defaultdict(lambda: {"full": 0.0, "expected": 0.0, "observed_items": 0, "items": 0})
    for row in result.items:
        info = inputs.info.get(row.id, {})
        rows.append(
            {
                "id": row.id,
                **info,
                "passed": row.passed,
                "observed": row.observed,
                "rate": row.rate,
                "expected_rate": row.expected_rate,
                "low": row.low,
                "high": row.high,
                "expected_points": row.expected_points,
                "loss": row.expected_loss,
            }
        )
        project = projects[info.get("project") or "未分项目"]
        project["items"] += 1
        if row.expected_points is not None:
            project["full"] += row.full_points
            project["expected"] += row.expected_points
            project["observed_items"] += 1
    gaps = sorted((r for r in rows if r["loss"] is not None), key=lambda r: -r["loss"])[:TOP]
    summary = result.summary()
    summary["pass_score"] = params.pass_line / params.full_score * result.observed_full
    parts = {"survey": questionnaire_part(actor), "material": materials_part(actor, standard)}
    results = {
        "mode": MODE,
        "summary": summary,
        "items": [_gap(row) for row in gaps],
        "observe": {
            "rows": rows,
            "projects": [
                {"name": name, **values, "rate": values["expected"] / values["full"] if values["full"] else None}
                for name, values in projects.items()
            ],
            "rounds": [
                {"id": r["pk"], "name": r["name"], "start": str(r["period_start"]), "end": str(r["period_end"])}
                for r in inputs.rounds
            ],
            "observations": sum(row.observed for row in result.items),
            "unknown_items": result.unknown_items,
            "unknown_observed": result.unknown_observed,
            "unobserved_items": sum(1 for row in result.items if row.observed == 0),
            "other_items": inputs.other_items,
            "prior": list(result.prior),
        },
        "parts": parts,
        "composite": composite(params.weights, summary.get("rate"), parts),
        "notes": inputs.notes,
        "standard": {"id": standard.pk, "name": str(standard), "kind": standard.kind},
        "categories": [],
        "excluded": [],
    }
    return ForecastRun.objects.create(
        campaign=campaign,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        window=window,
        baseline=None,
        seed=params.seed,
        runs=params.runs,
        parameters=params.as_dict(),
        results=results,
        p_pass=result.p_pass,
        mean_score=result.expected,
        duration_ms=int((time.perf_counter() - started) * 1000),
    )


def _gap(row: dict) -> dict:
    """A 短板 row in the shape the sanitary runs use (id, code, title, points, loss) plus the 达标率."""
    return {
        "id": row["id"],
        "code": row.get("code", ""),
        "title": row.get("title", ""),
        "points": row.get("points"),
        "cap": None,
        "negative": False,
        "loss": round(row["loss"], 4),
        "expected_rate": row["expected_rate"],
    }


def survey_rate(parts: dict) -> float | None:
    """The questionnaire part as one figure: the plain mean of its indicators' rates (stated on the page)."""
    rates = [row["rate"] for row in parts.get("survey", {}).get("rows", []) if row.get("rate") is not None]
    return sum(rates) / len(rates) if rates else None


def composite(weights: dict, field_rate: float | None, parts: dict) -> dict | None:
    """Σ weight × part rate when the office entered all the weights; labelled 示例/待核实 wherever shown."""
    if not weights:
        return None
    values = {"field": field_rate, "survey": survey_rate(parts), "material": parts.get("material", {}).get("rate")}
    missing = [WEIGHT_PARTS[key] for key, value in values.items() if value is None and weights.get(key)]
    if missing:
        return {"value": None, "weights": weights, "missing": missing}
    value = sum(weights[key] / 100 * (values[key] or 0.0) for key in WEIGHT_PARTS)
    return {"value": value, "weights": weights, "missing": []}
