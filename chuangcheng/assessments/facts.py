"""Plain facts and results of scoring (dataclasses, constants, working-day counting). No database."""

from __future__ import annotations

from collections.abc import Callable
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


@dataclass(slots=True)
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
    role: str = "territorial"  # the unit is the site's territorial unit, or its sectoral department


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
    buckets: Buckets | None = field(default=None, repr=False)


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


@dataclass(slots=True)
class Line:
    kind: str
    points: Decimal
    explanation: str
    rule_id: int | None = None
    case_id: int | None = None
    ref: str = ""
    finding_id: int | None = None
    indicator_code: str = ""
    # per-case rules give one line per rule and unit; ``items`` lists every case behind it as
    # [case id, case number, quantity (cases, times or working days), points, note]
    items: list[list] | None = None


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


@dataclass(slots=True)
class Buckets:
    """A unit's cases sorted once by what happened to them in the period (each rule reads one bucket)."""

    open_at_end: list[CaseFact] = field(default_factory=list)
    overdue: list[tuple[CaseFact, date, date]] = field(default_factory=list)
    closed_in_period: list[CaseFact] = field(default_factory=list)
    registered_in_period: list[CaseFact] = field(default_factory=list)


def bucket_cases(cases: list[CaseFact], start: date, end: date) -> Buckets:
    buckets = Buckets()
    one_day = timedelta(days=1)
    for case in cases:
        if case.status in NOT_COUNTED:
            continue
        registered, closed = case.registered_on, case.closed_on
        if registered is not None and registered <= end and (closed is None or closed > end):
            buckets.open_at_end.append(case)
        if closed is not None and start <= closed <= end:
            buckets.closed_in_period.append(case)
        if registered is not None and start <= registered <= end:
            buckets.registered_in_period.append(case)
        if case.deadline is not None:
            lo = max(case.deadline + one_day, start)
            hi = min(closed or end, end)
            if case.paused_on is not None:
                hi = min(hi, case.paused_on)
            if lo <= hi:
                buckets.overdue.append((case, lo, hi))
    return buckets
