"""Pure scoring: a scheme's rules over plain facts. Never touches the database.

Every point becomes a ``Line`` with a Chinese explanation and the id of the case, finding or
indicator it came from; caps, normalisation and floors are lines too, so for every unit
``total == base + sum(line.points)`` holds exactly. Selectors turn database rows into the
dataclasses below; services store the result. See ``tests/test_scoring.py`` for hand-worked examples.

Attribution rules (documented in docs/architecture.md):
- open case: open at the period end (registered on/before the end, not closed by then);
- overdue case / overdue working day: the overdue stretch (deadline, closed or end] meets the period,
  days are working days inside the period;
- send-back (返工) and unjustified return (推诿 = returns not confirmed as misrouting by the office)
  count in the period where the case is closed;
- rebound and negative-list case: in the period where the case is registered;
- finding: in the period where it was recorded; commendation: in the period it was awarded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")

OPEN_CASE = "open_case"
OVERDUE_CASE = "overdue_case"
OVERDUE_DAY = "overdue_day"
SENDBACK = "sendback"
REBOUND = "rebound"
UNJUSTIFIED_RETURN = "unjustified_return"
FINDING = "finding"
NEGATIVE_LIST = "negative_list"
COMMENDATION = "commendation"
INDICATOR_GRADE = "indicator_grade"
FUND_DEDUCTION = "fund_deduction"
AWARD_INELIGIBLE = "award_ineligible"
# lines produced by the engine itself, not by a rule row
RULE_CAP = "rule_cap"
NORMALISATION = "normalisation"
SCHEME_CAP = "scheme_cap"
FLOOR = "floor"

DEDUCTION_KINDS = (OPEN_CASE, OVERDUE_CASE, OVERDUE_DAY, SENDBACK, REBOUND, UNJUSTIFIED_RETURN, FINDING, NEGATIVE_LIST)
POINT_KINDS = DEDUCTION_KINDS + (COMMENDATION, INDICATOR_GRADE)
OUTCOME_KINDS = (FUND_DEDUCTION, AWARD_INELIGIBLE)

NOT_COUNTED = frozenset({"reported", "invalid", "merged"})
SEVERITY_LABELS = {"minor": "轻微", "normal": "一般", "serious": "严重"}
SOURCE_LABELS = {
    "inspection": "督查测评",
    "patrol": "网格巡查",
    "citizen": "市民上报",
    "hotline": "12345热线",
    "media": "媒体曝光",
    "superior": "上级交办",
    "self_check": "自查",
}

NORMALISE_NONE = "none"
NORMALISE_CASES = "per_100_cases"
NORMALISE_POPULATION = "per_10k_population"
NORMALISE_AREA = "per_km2"
NORMALISE_LABELS = {
    NORMALISE_CASES: ("每百件案件", Decimal(100)),
    NORMALISE_POPULATION: ("每万人口", Decimal(10000)),
    NORMALISE_AREA: ("每平方公里", Decimal(1_000_000)),
}


def q(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """Points as people write them: 0.5, 2, 1.25."""
    text = f"{q(value).normalize():f}"
    return text


# ---------------------------------------------------------------- facts


@dataclass(frozen=True)
class CaseFact:
    id: int
    number: str
    unit_id: int
    source: str = "patrol"
    severity: str = "normal"
    status: str = "rectifying"
    registered_on: date | None = None
    dispatched_on: date | None = None
    signed_on: date | None = None
    deadline: date | None = None
    closed_on: date | None = None
    sendback_count: int = 0
    return_count: int = 0
    misroute_count: int = 0
    is_rebound: bool = False
    is_negative_list: bool = False
    paused_on: date | None = None  # 挂账 approved: the clock stops while paused
    title: str = ""


@dataclass(frozen=True)
class FindingFact:
    id: int
    unit_id: int
    found_on: date
    label: str
    count: int = 1
    points: Decimal | None = None
    is_negative_list: bool = False


@dataclass(frozen=True)
class CommendationFact:
    id: int
    unit_id: int
    title: str
    awarded_on: date


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    name: str
    numerator: int
    denominator: int
    value: Decimal | None
    grade: str = ""


@dataclass
class UnitFacts:
    unit_id: int
    name: str
    group: str = ""
    cases: list[CaseFact] = field(default_factory=list)
    findings: list[FindingFact] = field(default_factory=list)
    commendations: list[CommendationFact] = field(default_factory=list)
    indicators: dict[str, IndicatorValue] = field(default_factory=dict)
    workload: int | None = None
    population: int | None = None
    area_m2: float | None = None


@dataclass(frozen=True)
class RuleSpec:
    kind: str
    points: Decimal = ZERO
    label: str = ""
    id: int | None = None
    severity: str = ""
    source: str = ""
    cap: Decimal | None = None
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SchemeSpec:
    base_score: Decimal
    rules: tuple[RuleSpec, ...]
    normalisation: str = NORMALISE_NONE
    max_deduction: Decimal | None = None
    max_bonus: Decimal | None = None
    min_score: Decimal | None = None
    red_count: int = 0
    black_count: int = 0


@dataclass(frozen=True)
class Line:
    kind: str
    points: Decimal
    explanation: str
    rule_id: int | None = None
    case_id: int | None = None
    ref: str = ""
    finding_id: int | None = None
    indicator_code: str = ""


@dataclass
class UnitResult:
    unit_id: int
    name: str
    group: str
    base: Decimal
    lines: list[Line]
    deductions: Decimal = ZERO
    bonuses: Decimal = ZERO
    total: Decimal = ZERO
    rank: int = 0
    group_size: int = 0
    flag: str = ""  # "red" | "black" | ""
    fund_deduction: Decimal = ZERO
    fund_reasons: list[str] = field(default_factory=list)
    award_ineligible: bool = False
    ineligible_reasons: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- working days


class WorkdayCounter:
    """Counts working days in an inclusive date range with a prefix table over ``[first, last]``."""

    def __init__(self, is_working_day: Callable[[date], bool], first: date, last: date):
        self.is_working_day = is_working_day
        self.first = first
        self.last = last
        self.prefix = [0]
        day = first
        while day <= last:
            self.prefix.append(self.prefix[-1] + (1 if is_working_day(day) else 0))
            day += timedelta(days=1)

    def count(self, lo: date, hi: date) -> int:
        if lo > hi:
            return 0
        if lo < self.first or hi > self.last:
            return sum(1 for n in range((hi - lo).days + 1) if self.is_working_day(lo + timedelta(days=n)))
        return self.prefix[(hi - self.first).days + 1] - self.prefix[(lo - self.first).days]


def weekday_is_working(day: date) -> bool:
    return day.weekday() < 5


# ---------------------------------------------------------------- case facts in a period


def is_open_at(case: CaseFact, end: date) -> bool:
    if case.status in NOT_COUNTED or case.registered_on is None or case.registered_on > end:
        return False
    return case.closed_on is None or case.closed_on > end


def overdue_span(case: CaseFact, start: date, end: date) -> tuple[date, date] | None:
    """The part of the overdue stretch (deadline, closed or end] that lies in the period."""
    if case.status in NOT_COUNTED or case.deadline is None:
        return None
    lo = max(case.deadline + timedelta(days=1), start)
    hi = min(case.closed_on or end, end)
    if case.paused_on is not None:
        hi = min(hi, case.paused_on)
    return (lo, hi) if lo <= hi else None


def in_period(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def _case_ref(case: CaseFact) -> str:
    severity = SEVERITY_LABELS.get(case.severity, case.severity)
    source = SOURCE_LABELS.get(case.source, case.source)
    return f"案件{case.number}（{severity}，{source}）"


def _matches(rule: RuleSpec, case: CaseFact) -> bool:
    return (not rule.severity or rule.severity == case.severity) and (not rule.source or rule.source == case.source)


def _case_lines(rule: RuleSpec, facts: UnitFacts, start: date, end: date, workdays: WorkdayCounter) -> Iterable[Line]:
    per = q(rule.points)
    for case in facts.cases:
        if not _matches(rule, case):
            continue
        ref = _case_ref(case)
        count, why = 0, ""
        if rule.kind == OPEN_CASE and is_open_at(case, end):
            count, why = 1, f"{ref}截至{end:%Y-%m-%d}未办结，扣{fmt(per)}分"
        elif rule.kind in (OVERDUE_CASE, OVERDUE_DAY):
            span = overdue_span(case, start, end)
            if span is None:
                continue
            if rule.kind == OVERDUE_CASE:
                count, why = 1, f"{ref}超过整改期限{case.deadline:%Y-%m-%d}，扣{fmt(per)}分"
            else:
                count = workdays.count(*span)
                why = f"{ref}本期超期{count}个工作日（{span[0]:%m-%d}至{span[1]:%m-%d}），每日扣{fmt(per)}分"
        elif rule.kind == SENDBACK and in_period(case.closed_on, start, end) and case.sendback_count:
            count = case.sendback_count
            why = f"{ref}核查不合格返工{count}次，每次扣{fmt(per)}分"
        elif rule.kind == UNJUSTIFIED_RETURN and in_period(case.closed_on, start, end):
            count = max(case.return_count - case.misroute_count, 0)
            why = f"{ref}退回{case.return_count}次，其中{count}次经裁定不属误派（推诿），每次扣{fmt(per)}分"
        elif rule.kind == REBOUND and case.is_rebound and in_period(case.registered_on, start, end):
            count, why = 1, f"{ref}为已整改问题反弹，扣{fmt(per)}分"
        elif (
            rule.kind == NEGATIVE_LIST
            and case.is_negative_list
            and rule.params.get("from", "cases") in ("cases", "both")
            and in_period(case.registered_on, start, end)
        ):
            count, why = 1, f"{ref}属负面清单事项，扣{fmt(per)}分"
        if count:
            yield Line(rule.kind, -per * count, why, rule.id, case.id, case.number)


def _finding_lines(rule: RuleSpec, facts: UnitFacts, start: date, end: date) -> Iterable[Line]:
    negative = rule.kind == NEGATIVE_LIST
    if negative and rule.params.get("from", "cases") not in ("findings", "both"):
        return
    for finding in facts.findings:
        if not in_period(finding.found_on, start, end) or (negative and not finding.is_negative_list):
            continue
        per = q(rule.points)
        how = f"每处扣{fmt(per)}分"
        if not negative and rule.params.get("item_points") and finding.points is not None:
            per, how = q(finding.points), f"按检查项分值每处扣{fmt(finding.points)}分"
        what = "负面清单事项" if negative else "督查发现问题"
        why = f"{finding.found_on:%Y-%m-%d}{what}：{finding.label}，{finding.count}处，{how}"
        yield Line(rule.kind, -per * finding.count, why, rule.id, finding_id=finding.id, ref=f"发现#{finding.id}")


def _commendation_lines(rule: RuleSpec, facts: UnitFacts, start: date, end: date) -> Iterable[Line]:
    per = q(rule.points)
    for item in facts.commendations:
        if in_period(item.awarded_on, start, end):
            why = f"{item.awarded_on:%Y-%m-%d}获表彰：{item.title}，加{fmt(per)}分"
            yield Line(COMMENDATION, per, why, rule.id, ref=f"表彰#{item.id}")


def _indicator_lines(rule: RuleSpec, facts: UnitFacts) -> Iterable[Line]:
    code = rule.params.get("indicator", "")
    value = facts.indicators.get(code)
    if value is None or value.value is None or not value.grade:
        return
    points = rule.params.get("grade_points", {}).get(value.grade)
    if points in (None, "", 0):
        return
    points = q(Decimal(str(points)))
    verb = "加" if points > 0 else "扣"
    ratio = f"{value.numerator}/{value.denominator}"
    why = f"{value.name}{fmt(value.value)}%（{ratio}），评为{value.grade}级，{verb}{fmt(abs(points))}分"
    yield Line(INDICATOR_GRADE, points, why, rule.id, indicator_code=code, ref=value.name)


def rule_lines(rule: RuleSpec, facts: UnitFacts, start: date, end: date, workdays: WorkdayCounter) -> list[Line]:
    if rule.kind == FINDING:
        return list(_finding_lines(rule, facts, start, end))
    if rule.kind == NEGATIVE_LIST:
        return list(_case_lines(rule, facts, start, end, workdays)) + list(_finding_lines(rule, facts, start, end))
    if rule.kind == COMMENDATION:
        return list(_commendation_lines(rule, facts, start, end))
    if rule.kind == INDICATOR_GRADE:
        return list(_indicator_lines(rule, facts))
    if rule.kind in DEDUCTION_KINDS:
        return list(_case_lines(rule, facts, start, end, workdays))
    return []


# ---------------------------------------------------------------- one unit


def _normalisation_line(scheme: SchemeSpec, facts: UnitFacts, deductions: Decimal) -> Line | None:
    if scheme.normalisation == NORMALISE_NONE or deductions == ZERO:
        return None
    label, reference = NORMALISE_LABELS[scheme.normalisation]
    measure = {
        NORMALISE_CASES: facts.workload,
        NORMALISE_POPULATION: facts.population,
        NORMALISE_AREA: facts.area_m2,
    }[scheme.normalisation]
    if not measure:
        return Line(NORMALISATION, ZERO, f"工作量数据待核实，本期扣分未按{label}折算")
    normalised = q(deductions * reference / Decimal(str(measure)))
    why = f"按{label}折算：原扣分{fmt(-deductions)}分 × {fmt(reference)} ÷ {measure:g} = {fmt(-normalised)}分"
    return Line(NORMALISATION, normalised - deductions, why)


def score_unit(
    scheme: SchemeSpec, facts: UnitFacts, start: date, end: date, workdays: WorkdayCounter | None = None
) -> UnitResult:
    workdays = workdays or WorkdayCounter(weekday_is_working, start, end)
    base = q(scheme.base_score)
    lines: list[Line] = []
    for rule in scheme.rules:
        if rule.kind not in POINT_KINDS:
            continue
        produced = rule_lines(rule, facts, start, end, workdays)
        lines.extend(produced)
        subtotal = sum((line.points for line in produced), ZERO)
        if rule.cap is not None and abs(subtotal) > q(rule.cap):
            excess = abs(subtotal) - q(rule.cap)
            sign = Decimal(1) if subtotal < 0 else Decimal(-1)
            why = f"“{rule.label or rule.kind}”本项封顶{fmt(rule.cap)}分，核减{fmt(excess)}分"
            lines.append(Line(RULE_CAP, sign * excess, why, rule.id))
    plain = [line for line in lines if line.kind != RULE_CAP]
    caps = [line for line in lines if line.kind == RULE_CAP]
    deductions = sum((line.points for line in plain if line.points < 0), ZERO)
    deductions += sum((line.points for line in caps if line.points > 0), ZERO)
    norm = _normalisation_line(scheme, facts, deductions)
    if norm is not None:
        lines.append(norm)
        deductions += norm.points
    if scheme.max_deduction is not None and -deductions > q(scheme.max_deduction):
        excess = -deductions - q(scheme.max_deduction)
        lines.append(Line(SCHEME_CAP, excess, f"扣分合计封顶{fmt(scheme.max_deduction)}分，核减{fmt(excess)}分"))
        deductions += excess
    bonuses = sum((line.points for line in plain if line.points > 0 and line.kind != NORMALISATION), ZERO)
    bonuses += sum((line.points for line in caps if line.points < 0), ZERO)
    if scheme.max_bonus is not None and bonuses > q(scheme.max_bonus):
        excess = bonuses - q(scheme.max_bonus)
        lines.append(Line(SCHEME_CAP, -excess, f"加分合计封顶{fmt(scheme.max_bonus)}分，核减{fmt(excess)}分"))
        bonuses -= excess
    total = base + sum((line.points for line in lines), ZERO)
    if scheme.min_score is not None and total < q(scheme.min_score):
        lift = q(scheme.min_score) - total
        lines.append(Line(FLOOR, lift, f"得分不低于{fmt(scheme.min_score)}分，补足{fmt(lift)}分"))
        total += lift
    return UnitResult(facts.unit_id, facts.name, facts.group, base, lines, q(deductions), q(bonuses), q(total))


# ---------------------------------------------------------------- groups and outcomes


def rank_groups(results: list[UnitResult], *, red_count: int = 0, black_count: int = 0) -> list[UnitResult]:
    """Competition ranking (1, 2, 2, 4) within each peer group; red/black flags from the top and bottom."""
    groups: dict[str, list[UnitResult]] = {}
    for result in results:
        groups.setdefault(result.group, []).append(result)
    for members in groups.values():
        members.sort(key=lambda r: (-r.total, r.deductions * -1, r.name, r.unit_id))
        size = len(members)
        for index, result in enumerate(members):
            previous = members[index - 1] if index else None
            result.rank = previous.rank if previous and previous.total == result.total else index + 1
            result.group_size = size
            worse = sum(1 for other in members if other.total < result.total)
            if red_count and result.rank <= red_count:
                result.flag = "red"
            elif black_count and worse < black_count:
                result.flag = "black"
    return results


def apply_outcomes(results: list[UnitResult], scheme: SchemeSpec) -> list[UnitResult]:
    """Fund deductions and loss of award eligibility from the scheme's outcome rules (after ranking)."""
    outcome_rules = [rule for rule in scheme.rules if rule.kind in OUTCOME_KINDS]
    for result in results:
        has_negative = any(line.kind == NEGATIVE_LIST for line in result.lines)
        for rule in outcome_rules:
            params = rule.params
            reason = ""
            if "below_score" in params and result.total < Decimal(str(params["below_score"])):
                reason = f"得分{fmt(result.total)}分低于{params['below_score']}分"
            elif params.get("black_list") and result.flag == "black":
                reason = "列入黑榜"
            elif params.get("negative_list") and has_negative:
                reason = "发生负面清单事项"
            if rule.kind == FUND_DEDUCTION:
                if "per_point" in params and result.deductions < 0:
                    amount = q(-result.deductions * Decimal(str(params["per_point"])))
                    result.fund_deduction += amount
                    result.fund_reasons.append(
                        f"扣分{fmt(-result.deductions)}分 × 每分{params['per_point']}元 = {fmt(amount)}元"
                    )
                elif reason and "amount" in params:
                    amount = q(Decimal(str(params["amount"])))
                    result.fund_deduction += amount
                    result.fund_reasons.append(f"{reason}，扣罚经费{fmt(amount)}元")
            elif rule.kind == AWARD_INELIGIBLE and reason:
                result.award_ineligible = True
                result.ineligible_reasons.append(f"{reason}，取消本年度评先评优资格")
    return results


def score_period(
    scheme: SchemeSpec, units: list[UnitFacts], start: date, end: date, workdays: WorkdayCounter | None = None
) -> list[UnitResult]:
    workdays = workdays or WorkdayCounter(weekday_is_working, start, end)
    results = [score_unit(scheme, facts, start, end, workdays) for facts in units]
    rank_groups(results, red_count=scheme.red_count, black_count=scheme.black_count)
    return apply_outcomes(results, scheme)
