"""Reads for the observation-scored forecast (创文): the standard's 测评标准, the recent 模拟测评 rounds'
observations, and the other 测评 parts (questionnaire indicators, materials completeness). Read-only.

Observations come from ``inspections.selectors.observation_rates`` (passed / observed per check item over the
given rounds) when the inspections app provides it; otherwise there are none and every item is 未观测.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from chuangcheng.readiness.observe import ObservedItem

DEFAULT_ROUNDS = 3  # the recent 模拟测评 rounds a forecast reads
MAX_ROUNDS = 20


def is_observation_scored(standard) -> bool:
    """A standard is forecast by observation when any of its 测评标准 is scored 分值 × 达标率."""
    from chuangcheng.standards.models import CheckItem, Judgement

    return standard is not None and CheckItem.objects.filter(standard=standard, judgement=Judgement.OBSERVE).exists()


def recent_mock_rounds(standard, *, ground_path: str = "", limit: int = DEFAULT_ROUNDS) -> list[dict]:
    """The newest ``limit`` 模拟测评 rounds on ``standard`` that have started (not 计划中), inside the ground."""
    try:
        from chuangcheng.inspections.models import InspectionRound, RoundKind, RoundStatus
    except ImportError:
        return []
    rounds = InspectionRound.objects.filter(standard=standard, kind=RoundKind.MOCK).exclude(status=RoundStatus.DRAFT)
    if ground_path:
        rounds = rounds.filter(unit__path__startswith=ground_path)
    return list(rounds.order_by("-period_end", "-id").values("pk", "name", "period_start", "period_end")[:limit])


def observation_counts(standard, round_ids: list[int]) -> dict[int, tuple[int, int]]:
    """``{check item id: (passed, observed)}`` over the rounds (adapter over the inspections selector)."""
    if not round_ids:
        return {}
    try:
        from chuangcheng.inspections.selectors import observation_rates
    except ImportError:
        return {}
    return {int(k): (int(v[0]), int(v[1])) for k, v in observation_rates(standard=standard, rounds=round_ids).items()}


@dataclass
class ObserveInputs:
    items: list[ObservedItem]
    info: dict[int, dict]  # id -> code, title, 测评内容, 测评项目, 分值, 观察频次
    rounds: list[dict]
    other_items: dict[str, int]  # 测评标准 scored otherwise, by judgement label
    notes: list[str]


def build_observe_inputs(standard, *, ground_path: str = "", rounds: int = DEFAULT_ROUNDS) -> ObserveInputs:
    from chuangcheng.standards.models import CheckItem, Judgement

    rows = list(
        CheckItem.objects.filter(standard=standard)
        .order_by("sort_order", "id")
        .values(
            "pk",
            "code",
            "title",
            "judgement",
            "full_points",
            "observations",
            "clause__number",
            "clause__title",
            "clause__section__title",
        )
    )
    picked = recent_mock_rounds(standard, ground_path=ground_path, limit=rounds)
    counts = observation_counts(standard, [r["pk"] for r in picked])
    items, info = [], {}
    other: dict[str, int] = defaultdict(int)
    labels = dict(Judgement.choices)
    for row in rows:
        if row["judgement"] != Judgement.OBSERVE:
            other[str(labels.get(row["judgement"], row["judgement"]))] += 1
            continue
        passed, observed = counts.get(row["pk"], (0, 0))
        points = float(row["full_points"]) if row["full_points"] is not None else None
        items.append(ObservedItem(row["pk"], points, min(passed, observed), observed))
        info[row["pk"]] = {
            "code": row["code"],
            "title": row["title"],
            "content": " ".join(p for p in (row["clause__number"], row["clause__title"]) if p),
            "project": row["clause__section__title"] or "",
            "points": points,
            "frequency": row["observations"],
        }
    notes = []
    if not picked:
        notes.append("所选标准还没有已开展的模拟测评轮次：各测评标准均为“未观测”，不估计达标率，只列出其分值。")
    unknown = sum(1 for item in items if item.full_points is None)
    if unknown:
        notes.append(f"{unknown} 项观察计分的测评标准分值待核实：其达标率照常显示，但不计入期望得分。")
    unobserved = sum(1 for item in items if item.observed == 0)
    if picked and unobserved:
        notes.append(
            f"{unobserved} 项测评标准在所选轮次中没有观察记录：不估计达标率，其分值以 0 到满分的区间计入总分区间。"
        )
    return ObserveInputs(items, info, picked, dict(other), notes)


def questionnaire_part(actor) -> dict:
    """Questionnaire indicators (满意率/知晓率/支持率/参与率/自定义) over the surveys the actor sees, each rate with
    its 95% Wilson interval (``public.indicators``). ``{"available", "rows": [...]}``."""
    try:
        from chuangcheng.public.indicators import CI_METHOD, indicator_results, wilson_interval
        from chuangcheng.public.models import Survey
    except ImportError:
        return {"available": False, "rows": []}
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for figure in indicator_results(surveys=Survey.objects.visible_to(actor)):
        total = totals[(figure.indicator, figure.label)]
        total[0] += figure.yes
        total[1] += figure.scored
    rows = []
    for (indicator, label), (yes, scored) in sorted(totals.items()):
        interval = wilson_interval(yes, scored)
        rows.append(
            {
                "indicator": indicator,
                "label": label,
                "yes": yes,
                "scored": scored,
                "rate": yes / scored if scored else None,
                "ci_low": interval[0] if interval else None,
                "ci_high": interval[1] if interval else None,
            }
        )
    return {"available": True, "rows": rows, "method": CI_METHOD}


def materials_part(actor, standard) -> dict:
    """Materials completeness for the standard (dossiers' one figure): approved / required over the review years."""
    try:
        from chuangcheng.dossiers.selectors import completeness_matrix
    except ImportError:
        return {"available": False}
    figure = completeness_matrix(user=actor, standard=standard).figure
    return {
        "available": True,
        "approved": figure.approved,
        "required": figure.required,
        "rate": figure.approved / figure.required if figure.required else None,
        "years": figure.years_label,
    }
