"""Hand-worked examples for every rule type (pure module, no database).

Period: March 2026 (1 March is a Sunday; 22 weekdays). Working days here are Monday–Friday.
"""

from datetime import date
from decimal import Decimal as D

from chuangcheng.assessments import scoring as s
from chuangcheng.assessments.indicators import BY_CODE, compute_indicators, grade_for

START, END = date(2026, 3, 1), date(2026, 3, 31)


def case(n, **kw):
    kw.setdefault("registered_on", date(2026, 3, 2))
    return s.CaseFact(id=n, number=f"WT2026-{n:06d}", unit_id=1, **kw)


def run(rules, facts=None, **scheme_kw):
    scheme = s.SchemeSpec(base_score=D(100), rules=tuple(rules), **scheme_kw)
    result = s.score_unit(scheme, facts or s.UnitFacts(unit_id=1, name="东城区"), START, END)
    assert result.total == result.base + sum((line.points for line in result.lines), D(0))
    return result


def facts(**kw):
    return s.UnitFacts(unit_id=1, name="东城区", **kw)


def test_open_case_counts_cases_open_at_period_end_by_severity_and_source():
    cases = [
        case(1),  # open → counted
        case(2, closed_on=date(2026, 3, 20)),  # closed in period → not open
        case(3, closed_on=date(2026, 4, 2), severity="serious"),  # closed after the end → open at end
        case(4, registered_on=date(2026, 4, 1)),  # registered after the end
        case(5, status="invalid"),  # 不予立案 never counts
        case(6, source="hotline", severity="serious"),
    ]
    result = run([s.RuleSpec(s.OPEN_CASE, D("0.5"), id=1)], facts(cases=cases))
    # cases 1, 3, 6 → 3 × 0.5 = 1.5
    assert result.total == D("98.5")
    (line,) = result.lines  # one line per rule, every case listed in it
    assert [item[0] for item in line.items] == [1, 3, 6]
    assert [(item[2], item[3]) for item in line.items] == [(1, "-0.5")] * 3
    assert line.explanation == "截至2026-03-31未办结的案件3件，每件扣0.5分，共扣1.5分"
    assert line.items[1][4] == "严重，网格巡查" and line.rule_id == 1
    serious = run([s.RuleSpec(s.OPEN_CASE, D(2), severity="serious")], facts(cases=cases))
    assert serious.total == D(96)  # cases 3 and 6
    hotline = run([s.RuleSpec(s.OPEN_CASE, D(3), source="hotline")], facts(cases=cases))
    assert hotline.total == D(97)  # case 6 only


def test_overdue_case_and_overdue_working_days_within_period():
    cases = [
        # deadline Tue 10 March, closed Fri 13 March → overdue 11, 12, 13 March = 3 working days
        case(1, deadline=date(2026, 3, 10), closed_on=date(2026, 3, 13)),
        # deadline 20 Feb, still open → the whole of March: 22 working days
        case(2, registered_on=date(2026, 2, 2), deadline=date(2026, 2, 20)),
        # closed on its deadline → not overdue
        case(3, deadline=date(2026, 3, 10), closed_on=date(2026, 3, 10)),
        # overdue and closed in February → not in this period
        case(4, registered_on=date(2026, 1, 5), deadline=date(2026, 1, 20), closed_on=date(2026, 2, 10)),
    ]
    per_case = run([s.RuleSpec(s.OVERDUE_CASE, D(1))], facts(cases=cases))
    assert per_case.total == D(98)
    per_day = run([s.RuleSpec(s.OVERDUE_DAY, D("0.1"))], facts(cases=cases))
    # (3 + 22) × 0.1 = 2.5
    assert per_day.total == D("97.5")
    (line,) = per_day.lines
    assert [(item[0], item[2], item[3]) for item in line.items] == [(1, 3, "-0.3"), (2, 22, "-2.2")]
    assert "累计超期25个工作日，涉及案件2件" in line.explanation


def test_overdue_days_use_the_given_calendar():
    holiday = date(2026, 3, 12)
    counter = s.WorkdayCounter(lambda d: d.weekday() < 5 and d != holiday, START, END)
    scheme = s.SchemeSpec(base_score=D(100), rules=(s.RuleSpec(s.OVERDUE_DAY, D(1)),))
    unit = facts(cases=[case(1, deadline=date(2026, 3, 10), closed_on=date(2026, 3, 13))])
    assert s.score_unit(scheme, unit, START, END, counter).total == D(98)  # 11 and 13 March


def test_sendback_counts_in_the_period_the_case_is_closed():
    cases = [
        case(1, closed_on=date(2026, 3, 15), sendback_count=2),
        case(2, registered_on=date(2026, 2, 2), closed_on=date(2026, 2, 28), sendback_count=1),
        case(3, sendback_count=4),  # still open: counted when it closes
    ]
    result = run([s.RuleSpec(s.SENDBACK, D(1))], facts(cases=cases))
    assert result.total == D(98)
    assert "返工2次" in result.lines[0].explanation


def test_unjustified_return_is_returns_minus_confirmed_misroutes():
    cases = [case(1, closed_on=date(2026, 3, 20), return_count=3, misroute_count=1)]
    result = run([s.RuleSpec(s.UNJUSTIFIED_RETURN, D("0.5"))], facts(cases=cases))
    assert result.total == D(99)  # (3 − 1) × 0.5
    assert "推诿" in result.lines[0].explanation


def test_rebound_counts_when_registered_in_period():
    cases = [case(1, is_rebound=True), case(2, is_rebound=True, registered_on=date(2026, 2, 10)), case(3)]
    assert run([s.RuleSpec(s.REBOUND, D(2))], facts(cases=cases)).total == D(98)


def test_finding_uses_rule_points_or_check_item_points():
    findings = [
        s.FindingFact(id=7, unit_id=1, found_on=date(2026, 3, 5), label="农贸市场 地面积水", count=2),
        s.FindingFact(id=8, unit_id=1, found_on=date(2026, 3, 6), label="公厕 无洗手液", count=1, points=D("1.5")),
        s.FindingFact(id=9, unit_id=1, found_on=date(2026, 2, 6), label="上月发现", count=5),
    ]
    flat = run([s.RuleSpec(s.FINDING, D("0.5"))], facts(findings=findings))
    assert flat.total == D("98.5")  # (2 + 1) × 0.5
    by_item = run([s.RuleSpec(s.FINDING, D("0.5"), params={"item_points": True})], facts(findings=findings))
    assert by_item.total == D("97.5")  # 2 × 0.5 + 1 × 1.5
    assert by_item.lines[1].finding_id == 8


def test_negative_list_from_cases_findings_or_both():
    cases = [case(1, is_negative_list=True), case(2)]
    findings = [s.FindingFact(id=3, unit_id=1, found_on=date(2026, 3, 5), label="占道经营", is_negative_list=True)]
    unit = facts(cases=cases, findings=findings)
    assert run([s.RuleSpec(s.NEGATIVE_LIST, D(5))], unit).total == D(95)
    assert run([s.RuleSpec(s.NEGATIVE_LIST, D(5), params={"from": "findings"})], unit).total == D(95)
    assert run([s.RuleSpec(s.NEGATIVE_LIST, D(5), params={"from": "both"})], unit).total == D(90)


def test_commendation_bonus_with_rule_cap():
    items = [
        s.CommendationFact(id=1, unit_id=1, title="省级文明单位", awarded_on=date(2026, 3, 8)),
        s.CommendationFact(id=2, unit_id=1, title="市级先进集体", awarded_on=date(2026, 3, 9)),
    ]
    result = run([s.RuleSpec(s.COMMENDATION, D(2), cap=D(3), label="表彰加分")], facts(commendations=items))
    assert result.total == D(103)  # 2 + 2 = 4, capped at 3
    assert result.bonuses == D(3)
    assert result.lines[-1].kind == s.RULE_CAP and result.lines[-1].points == D(-1)


def test_indicator_grade_adds_or_deducts_by_grade():
    value = s.IndicatorValue("ontime_closure_rate", "按期结案率", 72, 100, D(72), "C")
    rule = s.RuleSpec(s.INDICATOR_GRADE, params={"indicator": "ontime_closure_rate", "grade_points": {"A": 1, "C": -1}})
    result = run([rule], facts(indicators={"ontime_closure_rate": value}))
    assert result.total == D(99)
    assert result.lines[0].indicator_code == "ontime_closure_rate" and "C级" in result.lines[0].explanation


def test_rule_cap_limits_one_rule():
    cases = [case(1), case(2), case(3)]
    result = run([s.RuleSpec(s.OPEN_CASE, D(1), cap=D(2))], facts(cases=cases))
    assert result.total == D(98)  # 3 deducted, capped at 2
    assert result.deductions == D(-2)


def test_normalisation_per_100_cases():
    cases = [case(n) for n in range(1, 7)]  # 6 open cases × 1 = 6 points
    result = run([s.RuleSpec(s.OPEN_CASE, D(1))], facts(cases=cases, workload=300), normalisation=s.NORMALISE_CASES)
    # 6 × 100 / 300 = 2 → normalisation line +4
    assert result.total == D(98)
    assert result.lines[-1].kind == s.NORMALISATION and result.lines[-1].points == D(4)


def test_normalisation_without_population_is_flagged_not_guessed():
    result = run([s.RuleSpec(s.OPEN_CASE, D(1))], facts(cases=[case(1)]), normalisation=s.NORMALISE_POPULATION)
    assert result.total == D(99)
    assert "待核实" in result.lines[-1].explanation


def test_scheme_caps_and_floor():
    cases = [case(n) for n in range(1, 16)]  # 15 points
    capped = run([s.RuleSpec(s.OPEN_CASE, D(1))], facts(cases=cases), max_deduction=D(10))
    assert capped.total == D(90) and capped.lines[-1].kind == s.SCHEME_CAP
    floored = run([s.RuleSpec(s.OPEN_CASE, D(10))], facts(cases=cases), min_score=D(0))
    assert floored.total == D(0) and floored.lines[-1].kind == s.FLOOR


def test_ranking_within_peer_groups_with_ties_and_red_black_lists():
    def result(unit_id, group, total):
        return s.UnitResult(unit_id, f"单位{unit_id}", group, D(100), [], total=D(total))

    results = [
        result(1, "区县", 95),
        result(2, "区县", 98),
        result(3, "区县", 95),
        result(4, "区县", 90),
        result(5, "街道", 80),
        result(6, "街道", 85),
    ]
    s.rank_groups(results, red_count=1, black_count=1)
    ranks = {r.unit_id: (r.rank, r.flag) for r in results}
    assert ranks == {2: (1, "red"), 1: (2, ""), 3: (2, ""), 4: (4, "black"), 6: (1, "red"), 5: (2, "black")}


def test_outcomes_fund_deduction_and_award_ineligibility():
    rules = (
        s.RuleSpec(s.OPEN_CASE, D(5)),
        s.RuleSpec(s.FUND_DEDUCTION, params={"per_point": 1000}),
        s.RuleSpec(s.FUND_DEDUCTION, params={"below_score": 90, "amount": 20000}),
        s.RuleSpec(s.AWARD_INELIGIBLE, params={"black_list": True}),
    )
    scheme = s.SchemeSpec(base_score=D(100), rules=rules, black_count=1)
    units = [facts(cases=[case(1), case(2), case(3)]), s.UnitFacts(unit_id=2, name="西城区")]
    results = {r.unit_id: r for r in s.score_period(scheme, units, START, END)}
    east = results[1]
    assert east.total == D(85)
    assert east.fund_deduction == D(15000) + D(20000)
    assert east.flag == "black" and east.award_ineligible and "黑榜" in east.ineligible_reasons[0]
    assert results[2].fund_deduction == 0 and not results[2].award_ineligible


def test_indicators_hand_worked():
    cases = [
        case(
            1,
            deadline=date(2026, 3, 10),
            closed_on=date(2026, 3, 9),
            dispatched_on=date(2026, 3, 2),
            signed_on=date(2026, 3, 3),
        ),
        case(
            2,
            deadline=date(2026, 3, 10),
            closed_on=date(2026, 3, 12),
            sendback_count=1,
            dispatched_on=date(2026, 3, 2),
            signed_on=date(2026, 3, 6),
        ),
        case(3, deadline=date(2026, 3, 20), misroute_count=1),
        case(4, deadline=date(2026, 4, 20)),
        case(5, status="invalid"),
    ]
    counter = s.WorkdayCounter(s.weekday_is_working, START, date(2026, 4, 30))
    values = compute_indicators(cases, START, END, counter)
    assert values["registered"].value == 4
    # 应结案 = cases 1, 2, 3 (deadline ≤ end); 结案 = 1, 2 → 66.67%; 按期 = case 1 → 33.33%
    assert values["closure_rate"].value == D("66.67") and values["closure_rate"].grade == "C"
    assert values["ontime_closure_rate"].value == D("33.33") and values["ontime_closure_rate"].grade == "E"
    assert values["rework_rate"].value == D(25)  # 1 send-back / 4 dispatched; graded on 75 → B
    assert values["rework_rate"].grade == "B"
    assert values["overdue_closure_rate"].value == D(50)
    assert values["overdue_open"].value == 1  # case 3
    assert values["accurate_dispatch_rate"].value == D(75)
    assert values["ontime_sign_rate"].value == D(25)  # only case 1 signed within one working day
    assert grade_for(BY_CODE["closure_rate"], D(90)) == "A"


def test_deferred_case_stops_the_overdue_clock_while_paused():
    # deadline Tue 10 March, 挂账 approved Thu 12 March → only 11 and 12 March count
    unit = facts(cases=[case(1, deadline=date(2026, 3, 10), paused_on=date(2026, 3, 12), status="deferred")])
    assert run([s.RuleSpec(s.OVERDUE_DAY, D(1))], unit).total == D(98)


def test_finding_attribution_to_territorial_unit_department_or_both():
    findings = [
        s.FindingFact(id=1, unit_id=1, found_on=date(2026, 3, 5), label="市场", count=1, role="territorial"),
        s.FindingFact(id=2, unit_id=1, found_on=date(2026, 3, 6), label="工地", count=1, role="department"),
    ]
    unit = facts(findings=findings)
    assert run([s.RuleSpec(s.FINDING, D(1))], unit).total == D(99)
    assert run([s.RuleSpec(s.FINDING, D(1), params={"attribute_to": "department"})], unit).total == D(99)
    assert run([s.RuleSpec(s.FINDING, D(1), params={"attribute_to": "both"})], unit).total == D(98)
    unknown = s.FindingFact(id=3, unit_id=1, found_on=date(2026, 3, 6), label="公厕", count=2)
    result = run([s.RuleSpec(s.FINDING, D(1), params={"item_points": True})], facts(findings=[unknown]))
    assert result.total == D(98) and "待核实" in result.lines[0].explanation


def test_level_group_gets_no_red_or_black_flags():
    results = [s.UnitResult(n, f"单位{n}", "区县", D(100), [], total=D(100)) for n in (1, 2, 3)]
    s.rank_groups(results, red_count=1, black_count=1)
    assert {r.flag for r in results} == {""} and {r.rank for r in results} == {1}
