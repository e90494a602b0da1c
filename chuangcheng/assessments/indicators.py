"""数字城管 indicators over plain case facts (pure, no database).

Formulas follow ``/work/shared/domain/standards_data.json`` → ``digital_urban_mgmt.indicators``
(sources quoted in ``INDICATORS``). The population of a unit's indicators is its cases registered in
the period (立案, excluding 不予立案 and merged duplicates). Grade bands A–E come from the same facts
(“评价等级 A:90~100；B:75~<90；C:60~<75；D:40~<60；E:<40”, given there for the position composite
index); applying them to rates, and grading "lower is better" rates on 100 − rate, is our choice and is
shown as 示例 until the office confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from chuangcheng.assessments.facts import NOT_COUNTED, CaseFact, IndicatorValue, WorkdayCounter, q

UNICOM = "github:missaouib/urban-management-platform PositionRepository.java"
VUE_AREA = "(Vue page '数字化城市管理系统区域评价统计表')"
COMPREHENSIVE = "github:missaouib/urban-management-platform ComprehensiveVO.java"
FACTS = "standards_data.json digital_urban_mgmt.indicators"

DEFAULT_GRADE_BANDS = {"A": 90, "B": 75, "C": 60, "D": 40}
GRADE_BANDS_SOURCE = f"{FACTS}「评价等级」：A:90~100；B:75~<90；C:60~<75；D:40~<60；E:<40（{UNICOM}）"
DEFAULT_SIGN_LIMIT_DAYS = 1  # 示例: the facts give no signing time limit


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: str
    formula: str
    source: str
    kind: str = "rate"  # "rate" (percent, graded) | "count" (not graded)
    higher_is_better: bool = True
    is_sample: bool = False  # our own reading where the facts are silent or marked uncertain
    note: str = ""


INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef("registered", "立案数", "本期立案并派遣至本单位的案件数", FACTS, kind="count"),
    IndicatorDef(
        "closure_rate", "结案率", "结案数 / 应结案数 × 100%", VUE_AREA, is_sample=True, note="事实资料标注“待核实”"
    ),
    IndicatorDef("ontime_closure_rate", "按期结案率", "按期结案数 / 应结案数 × 100%", UNICOM),
    IndicatorDef(
        "rework_rate",
        "返工率",
        "返工数 / 派遣数 × 100%（事实资料：返工数 / 处置数（或派遣数））",
        COMPREHENSIVE,
        higher_is_better=False,
        is_sample=True,
        note="事实资料标注“待核实”；分母取派遣数",
    ),
    IndicatorDef(
        "overdue_closure_rate",
        "超期结案率",
        "超期结案数 / 结案数 × 100%",
        VUE_AREA,
        higher_is_better=False,
        is_sample=True,
        note="事实资料标注“待核实”",
    ),
    IndicatorDef(
        "overdue_open", "超期未处置量", "期末超过期限仍未办结的案件数", VUE_AREA, kind="count", higher_is_better=False
    ),
    IndicatorDef(
        "accurate_dispatch_rate",
        "准确派遣率",
        "(派遣数 − 误派数) / 派遣数 × 100%（事实资料：(派遣数 − 返工数) / 应派遣数；此处“返工”指因误派被退回改派）",
        UNICOM,
    ),
    IndicatorDef(
        "ontime_sign_rate",
        "按时签收率",
        f"派遣后{DEFAULT_SIGN_LIMIT_DAYS}个工作日内签收的案件数 / 派遣数 × 100%",
        "示例：事实资料未给出签收时限与公式",
        is_sample=True,
        note="签收时限为示例值",
    ),
)
BY_CODE = {item.code: item for item in INDICATORS}


def display_value(definition: IndicatorDef | None, value: Decimal | None) -> str:
    """How a stored value reads on a page: a count as a whole number, a rate with its percent sign."""
    if value is None:
        return "—"
    if definition is not None and definition.kind == "count":
        return str(int(value))
    return f"{value}%"


def grade_for(definition: IndicatorDef, value: Decimal | None, bands: dict | None = None) -> str:
    if value is None or definition.kind != "rate":
        return ""
    bands = bands or DEFAULT_GRADE_BANDS
    score = value if definition.higher_is_better else Decimal(100) - value
    for grade in ("A", "B", "C", "D"):
        if score >= Decimal(str(bands[grade])):
            return grade
    return "E"


def _rate(numerator: int, denominator: int) -> Decimal | None:
    return q(Decimal(numerator) * 100 / Decimal(denominator)) if denominator else None


def indicator_counts(
    cases: list[CaseFact],
    start: date,
    end: date,
    workdays: WorkdayCounter,
    *,
    sign_limit_days: int = DEFAULT_SIGN_LIMIT_DAYS,
) -> list[int]:
    """The additive counts behind every indicator (so areas can add up their parts):
    [registered, due, closed, ontime, reworks, misrouted, signed_ontime, overdue_open]."""
    registered = due = closed = ontime = reworks = misrouted = signed_ontime = overdue_open = 0
    counts = workdays.count
    for c in cases:
        registered_on = c.registered_on
        if c.status in NOT_COUNTED or registered_on is None or registered_on > end:
            continue
        closed_on, deadline = c.closed_on, c.deadline
        is_closed = closed_on is not None and closed_on <= end
        if deadline is not None and deadline < end and not is_closed:
            overdue_open += 1
        if registered_on < start:
            continue
        registered += 1
        if is_closed:
            closed += 1
            due += 1
            if deadline is None or closed_on <= deadline:
                ontime += 1
        elif deadline is not None and deadline <= end:
            due += 1
        reworks += c.sendback_count
        if c.misroute_count > 0:
            misrouted += 1
        if c.signed_on is not None:
            sent = c.dispatched_on or registered_on
            if c.signed_on >= sent and (
                counts(sent, c.signed_on) - (1 if workdays.is_working_day(sent) else 0) <= sign_limit_days
            ):
                signed_ontime += 1
    return [registered, due, closed, ontime, reworks, misrouted, signed_ontime, overdue_open]


def indicator_values(figures: list[int], *, bands: dict | None = None) -> dict[str, IndicatorValue]:
    registered, due, closed, ontime, reworks, misrouted, signed_ontime, overdue_open = figures
    late = closed - ontime
    table = {
        "registered": (registered, 0, Decimal(registered)),
        "closure_rate": (closed, due, _rate(closed, due)),
        "ontime_closure_rate": (ontime, due, _rate(ontime, due)),
        "rework_rate": (reworks, registered, _rate(reworks, registered)),
        "overdue_closure_rate": (late, closed, _rate(late, closed)),
        "overdue_open": (overdue_open, 0, Decimal(overdue_open)),
        "accurate_dispatch_rate": (registered - misrouted, registered, _rate(registered - misrouted, registered)),
        "ontime_sign_rate": (signed_ontime, registered, _rate(signed_ontime, registered)),
    }
    result = {}
    for definition in INDICATORS:
        numerator, denominator, value = table[definition.code]
        grade = grade_for(definition, value, bands)
        result[definition.code] = IndicatorValue(definition.code, definition.name, numerator, denominator, value, grade)
    return result


def compute_indicators(
    cases: list[CaseFact],
    start: date,
    end: date,
    workdays: WorkdayCounter,
    *,
    bands: dict | None = None,
    sign_limit_days: int = DEFAULT_SIGN_LIMIT_DAYS,
) -> dict[str, IndicatorValue]:
    figures = indicator_counts(cases, start, end, workdays, sign_limit_days=sign_limit_days)
    return indicator_values(figures, bands=bands)
