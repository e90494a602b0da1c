"""Judging an indicator value: threshold, trend targets, recent averages, levels.

Pure computation (no writes). ``history`` is the earlier values of the same
indicator and unit, oldest first, as ``(period, value, value_text)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from chuangcheng.standards.models import Compliance, Operator, TrendAlternative

LEVELS = "ABCDE"
COMPARE = {
    Operator.GTE: lambda v, t: v >= t,
    Operator.GT: lambda v, t: v > t,
    Operator.LTE: lambda v, t: v <= t,
    Operator.LT: lambda v, t: v < t,
    Operator.EQ: lambda v, t: v == t,
}
Verdict = tuple[str, str]


def _fmt(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _trend(value: Decimal, history: Sequence, direction: str, window: int) -> Verdict:
    earlier = [h[1] for h in history if h[1] is not None]
    if not earlier:
        return Compliance.INSUFFICIENT, "趋势目标需要往期数据，暂无往期数值"
    chain = earlier[-window:] + [value]
    pairs = list(zip(chain, chain[1:], strict=False))
    better = (lambda a, b: b < a) if direction == "down" else (lambda a, b: b > a)
    word = "下降" if direction == "down" else "提高"
    if all(better(a, b) for a, b in pairs):
        return Compliance.PASS, f"较上期{word}（{_fmt(chain[-2])} → {_fmt(value)}）"
    return Compliance.FAIL, f"未持续{word}（{_fmt(chain[-2])} → {_fmt(value)}）"


def judge(
    indicator,
    value: Decimal | None,
    value_text: str = "",
    history: Sequence = (),
    manual: tuple[str, str] = ("", ""),
) -> Verdict:
    """Return ``(Compliance, reason in Chinese)``. ``manual`` is the office's ``(verdict, reason)``
    for indicators judged by a person; it is ignored for every other operator."""
    op = indicator.operator
    if op == Operator.MANUAL:
        verdict, reason = manual
        if verdict in (Compliance.PASS, Compliance.FAIL):
            return verdict, f"人工判定：{reason}"
        return Compliance.MANUAL, f"目标“{indicator.threshold_text or '见说明'}”需人工判定"
    if op == Operator.UNKNOWN:
        return Compliance.UNKNOWN, "目标值待核实，暂不判定"
    if op == Operator.LEVEL:
        level, target = (value_text or "").strip().upper(), (indicator.threshold_text or "").strip().upper()
        if not target:
            return Compliance.UNKNOWN, "目标等级待核实，暂不判定"
        if len(level) != 1 or level not in LEVELS:
            return Compliance.INSUFFICIENT, "请填写等级（A/B/C/D）"
        ok = LEVELS.index(level) <= LEVELS.index(target[0])
        return (Compliance.PASS if ok else Compliance.FAIL), f"等级 {level}，要求达到 {target} 级"
    if op == Operator.EQ and indicator.threshold is None and indicator.threshold_text:
        if not value_text:
            return Compliance.INSUFFICIENT, "请填写文字值"
        ok = value_text.strip() == indicator.threshold_text.strip()
        return (Compliance.PASS if ok else Compliance.FAIL), f"填报“{value_text}”，要求“{indicator.threshold_text}”"
    if value is None:
        return Compliance.INSUFFICIENT, "未填报数值"
    if op in (Operator.TREND_DOWN, Operator.TREND_UP):
        return _trend(value, history, "down" if op == Operator.TREND_DOWN else "up", indicator.trend_window or 1)
    if op == Operator.LTE_RECENT_AVG:
        window = indicator.trend_window or 5
        earlier = [h[1] for h in history if h[1] is not None][-window:]
        if len(earlier) < window:
            return Compliance.INSUFFICIENT, f"需要近{window}期数据计算平均水平，现有{len(earlier)}期"
        average = sum(earlier) / len(earlier)
        ok = value <= average
        return (Compliance.PASS if ok else Compliance.FAIL), f"{_fmt(value)}，近{window}期平均 {average:.2f}"
    if indicator.threshold is None:
        return Compliance.UNKNOWN, "目标值待核实，暂不判定"
    ok = COMPARE[op](value, indicator.threshold)
    reason = f"{_fmt(value)}{indicator.unit}，目标 {indicator.get_operator_display()} {_fmt(indicator.threshold)}"
    if ok:
        return Compliance.PASS, reason
    if indicator.or_trend != TrendAlternative.NONE:
        verdict, trend_reason = _trend(value, history, indicator.or_trend, indicator.trend_window or 1)
        if verdict == Compliance.PASS:
            return Compliance.PASS, f"{reason}；未达目标值但{trend_reason}"
        if verdict == Compliance.INSUFFICIENT:
            return Compliance.INSUFFICIENT, f"{reason}；未达目标值，{trend_reason}"
        return Compliance.FAIL, f"{reason}；{trend_reason}"
    return Compliance.FAIL, reason
