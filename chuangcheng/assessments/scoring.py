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

The per-case kinds give one line per rule and unit (not one per case): its ``items`` list every case it
deducts for, with the quantity (cases, times, working days), the points and a note, so a unit's page still
shows each case its points came from while a month over a million cases writes thousands of lines, not
hundreds of thousands.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from chuangcheng.assessments.facts import (  # noqa: F401 - re-exported: scoring is the public face
    AWARD_INELIGIBLE,
    CENT,
    COMMENDATION,
    DEDUCTION_KINDS,
    FINDING,
    FLOOR,
    FUND_DEDUCTION,
    INDICATOR_GRADE,
    NEGATIVE_LIST,
    NORMALISATION,
    NORMALISE_AREA,
    NORMALISE_CASES,
    NORMALISE_LABELS,
    NORMALISE_NONE,
    NORMALISE_POPULATION,
    NOT_COUNTED,
    OPEN_CASE,
    OUTCOME_KINDS,
    OVERDUE_CASE,
    OVERDUE_DAY,
    POINT_KINDS,
    REBOUND,
    RULE_CAP,
    SCHEME_CAP,
    SENDBACK,
    SEVERITY_LABELS,
    SOURCE_LABELS,
    UNJUSTIFIED_RETURN,
    ZERO,
    Buckets,
    CaseFact,
    CommendationFact,
    FindingFact,
    IndicatorValue,
    Line,
    RuleSpec,
    SchemeSpec,
    UnitFacts,
    UnitResult,
    WorkdayCounter,
    bucket_cases,
    fmt,
    in_period,
    is_open_at,
    overdue_span,
    q,
    weekday_is_working,
)


def _labels():
    """A memo of a case's 严重程度，来源 text (few distinct pairs, many cases)."""
    cache: dict[tuple[str, str], str] = {}

    def label(case: CaseFact) -> str:
        key = (case.severity, case.source)
        text = cache.get(key)
        if text is None:
            severity = SEVERITY_LABELS.get(case.severity, case.severity)
            text = cache[key] = f"{severity}，{SOURCE_LABELS.get(case.source, case.source)}"
        return text

    return label


def _matches(rule: RuleSpec, case: CaseFact) -> bool:
    return (not rule.severity or rule.severity == case.severity) and (not rule.source or rule.source == case.source)


def _which(rule: RuleSpec) -> str:
    parts = [SEVERITY_LABELS.get(rule.severity, rule.severity), SOURCE_LABELS.get(rule.source, rule.source)]
    parts = [part for part in parts if part]
    return f"（{'，'.join(parts)}）" if parts else ""


# Per kind: the aggregated line's wording — (what is counted, unit of the quantity, "每…扣").
CASE_WORDING = {
    OPEN_CASE: ("截至{end}未办结的案件", "件", "每件"),
    OVERDUE_CASE: ("本期超过整改期限的案件", "件", "每件"),
    OVERDUE_DAY: ("案件本期累计超期", "个工作日", "每日"),
    SENDBACK: ("本期办结案件核查不合格返工", "次", "每次"),
    UNJUSTIFIED_RETURN: ("本期办结案件退回经裁定不属误派（推诿）", "次", "每次"),
    REBOUND: ("本期登记的已整改问题反弹案件", "件", "每件"),
    NEGATIVE_LIST: ("本期登记的负面清单事项案件", "件", "每件"),
}


def _case_items(rule: RuleSpec, buckets: Buckets, workdays: WorkdayCounter) -> tuple[list[list], int]:
    """Every case the rule deducts for, as [case id, number, quantity, points, note], and the total quantity.

    The hot loop of a period (one pass per rule over a unit's cases): texts are memoised, filters skipped
    when the rule has none.
    """
    kind = rule.kind
    per = q(rule.points)
    label, share = _labels(), {}  # share: quantity -> points text, e.g. 3 -> "-1.5"
    items: list[list] = []
    total = 0

    def add(case: CaseFact, n: int, note: str) -> None:
        nonlocal total
        text = share.get(n)
        if text is None:
            text = share[n] = fmt(-per * n)
        items.append([case.id, case.number, n, text, note])
        total += n

    filtered = bool(rule.severity or rule.source)
    if kind in (OVERDUE_CASE, OVERDUE_DAY):
        for case, lo, hi in buckets.overdue:
            if filtered and not _matches(rule, case):
                continue
            if kind == OVERDUE_CASE:
                add(case, 1, f"{label(case)}；期限{case.deadline.isoformat()}")
                continue
            days = workdays.count(lo, hi)
            if days:
                add(case, days, f"{label(case)}；{lo.isoformat()[5:]}至{hi.isoformat()[5:]}")
        return items, total
    if kind == OPEN_CASE:
        source = buckets.open_at_end
    elif kind in (SENDBACK, UNJUSTIFIED_RETURN):
        source = buckets.closed_in_period
    elif kind == NEGATIVE_LIST and rule.params.get("from", "cases") not in ("cases", "both"):
        return items, total
    else:
        source = buckets.registered_in_period
    for case in source:
        if filtered and not _matches(rule, case):
            continue
        if (
            kind == OPEN_CASE
            or (kind == REBOUND and case.is_rebound)
            or (kind == NEGATIVE_LIST and case.is_negative_list)
        ):
            add(case, 1, label(case))
        elif kind == SENDBACK and case.sendback_count:
            add(case, case.sendback_count, label(case))
        elif kind == UNJUSTIFIED_RETURN and case.return_count > case.misroute_count:
            note = f"{label(case)}；退回{case.return_count}次，其中误派{case.misroute_count}次"
            add(case, case.return_count - case.misroute_count, note)
    return items, total


def _case_lines(rule: RuleSpec, facts: UnitFacts, start: date, end: date, workdays: WorkdayCounter) -> Iterable[Line]:
    """One line per rule and unit for the per-case kinds; ``items`` lists every case with its share."""
    buckets = facts.buckets if facts.buckets is not None else bucket_cases(facts.cases, start, end)
    items, quantity = _case_items(rule, buckets, workdays)
    if not items:
        return
    per = q(rule.points)
    what, unit, each = CASE_WORDING[rule.kind]
    what = what.format(end=end.isoformat())
    cases = f"，涉及案件{len(items)}件" if unit != "件" else ""
    why = f"{what}{_which(rule)}{quantity}{unit}{cases}，{each}扣{fmt(per)}分，共扣{fmt(per * quantity)}分"
    yield Line(rule.kind, -per * quantity, why, rule.id, ref=f"案件{len(items)}件", items=items)


def _finding_lines(rule: RuleSpec, facts: UnitFacts, start: date, end: date) -> Iterable[Line]:
    negative = rule.kind == NEGATIVE_LIST
    if negative and rule.params.get("from", "cases") not in ("findings", "both"):
        return
    attribute_to = rule.params.get("attribute_to", "territorial")
    for finding in facts.findings:
        if not in_period(finding.found_on, start, end) or (negative and not finding.is_negative_list):
            continue
        if attribute_to != "both" and finding.role != attribute_to:
            continue
        per = q(rule.points)
        how = f"每处扣{fmt(per)}分"
        if not negative and rule.params.get("item_points"):
            if finding.points is not None:
                per, how = q(finding.points), f"按检查项分值每处扣{fmt(finding.points)}分"
            else:
                how = f"检查项分值待核实，按本规则每处扣{fmt(per)}分"
        what = "负面清单事项" if negative else "督查发现问题"
        role = "（行业主管）" if finding.role == "department" else ""
        why = f"{finding.found_on:%Y-%m-%d}{what}{role}：{finding.label}，{finding.count}处，{how}"
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
    if facts.buckets is None:
        facts.buckets = bucket_cases(facts.cases, start, end)
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
        top, bottom = members[0].total, members[-1].total
        for index, result in enumerate(members):
            previous = members[index - 1] if index else None
            result.rank = previous.rank if previous and previous.total == result.total else index + 1
            result.group_size = size
            worse = sum(1 for other in members if other.total < result.total)
            if top == bottom:  # everyone level: nobody stands out for a red or black list
                continue
            if red_count and result.rank <= red_count and result.total > bottom:
                result.flag = "red"
            elif black_count and worse < black_count and result.total < top:
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
