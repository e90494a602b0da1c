"""End to end over real case rows: every case rule type, indicators per unit and per area."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from chuangcheng.assessments import services
from chuangcheng.assessments.models import IndicatorResult, PeriodKind, RuleKind, ScoreLine, UnitScore
from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 10, 0, tzinfo=TZ)


def make_case(unit, **kw):
    kw.setdefault("status", CaseStatus.RECTIFYING)
    kw.setdefault("registered_at", at(2))
    kw.setdefault("dispatched_at", kw["registered_at"])
    return CaseFactory(lead_unit=unit, **kw)


@pytest.fixture
def scheme(users):
    actor = users["office"]
    scheme = services.create_scheme(actor=actor, code="KH", name="示范市创建工作考核办法", max_deduction=Decimal(30))
    services.create_peer_group(actor=actor, scheme=scheme, name="区县", unit_kinds=["district"])
    rules = [
        (RuleKind.OPEN_CASE, "1", {}),
        (RuleKind.OVERDUE_CASE, "2", {}),
        (RuleKind.OVERDUE_DAY, "0.1", {}),
        (RuleKind.SENDBACK, "1", {}),
        (RuleKind.REBOUND, "3", {}),
        (RuleKind.UNJUSTIFIED_RETURN, "0.5", {}),
        (RuleKind.NEGATIVE_LIST, "5", {}),
        (RuleKind.FINDING, "1", {}),
        (RuleKind.INDICATOR_GRADE, "0", {"indicator": "ontime_closure_rate", "grade_points": {"A": 1, "E": -2}}),
        (RuleKind.FUND_DEDUCTION, "0", {"per_point": 1000}),
    ]
    for order, (kind, points, params) in enumerate(rules):
        services.create_rule(
            actor=actor, scheme=scheme, kind=kind, points=Decimal(points), params=params, sort_order=order
        )
    return services.publish_scheme(scheme=scheme, actor=actor)


def test_compute_period_over_cases_hand_worked(tree, users, scheme):
    east, west = tree["east"], tree["west"]
    district_area = AreaFactory(level=AreaLevel.DISTRICT, unit=east, population=200000)
    grid = AreaFactory(level=AreaLevel.GRID, parent=district_area, unit=east)
    # A: open, deadline Fri 27 March → open 1 + overdue 2 + 2 working days (30, 31 March) × 0.1
    a = make_case(east, deadline=datetime.date(2026, 3, 27), area=grid)
    # B: closed Fri 13 March, deadline Tue 10 March, two send-backs → overdue 2 + 3 days × 0.1 + send-back 2
    b = make_case(
        east,
        deadline=datetime.date(2026, 3, 10),
        closed_at=at(13),
        status=CaseStatus.CLOSED,
        sendback_count=2,
        area=grid,
    )
    # C: closed on time after 3 returns of which 1 was a misroute → 2 unjustified × 0.5; a rebound → 3
    c = make_case(
        east,
        deadline=datetime.date(2026, 3, 20),
        closed_at=at(19),
        status=CaseStatus.CLOSED,
        return_count=3,
        misroute_count=1,
        is_rebound=True,
    )
    # D: invalid (不予立案) and E: closed in February → never counted
    make_case(east, status=CaseStatus.INVALID)
    make_case(east, registered_at=at(2, 2), closed_at=at(20, 2), status=CaseStatus.CLOSED)
    # West: a single case closed on time
    make_case(west, deadline=datetime.date(2026, 3, 20), closed_at=at(5), status=CaseStatus.CLOSED)

    period = services.create_period(
        actor=users["office"],
        scheme=scheme,
        kind=PeriodKind.MONTHLY,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
    )
    services.compute_period(period=period, actor=users["office"])
    score = UnitScore.objects.get(period=period, unit=east)
    lines = list(ScoreLine.objects.filter(score=score).order_by("sort"))
    by_kind = {}
    for line in lines:
        by_kind[line.kind] = by_kind.get(line.kind, Decimal(0)) + line.points
    # A open 1; A overdue (deadline 27 March, Fri) → 30, 31 March = 2 working days; B overdue 3 days
    assert by_kind[RuleKind.OPEN_CASE] == Decimal(-1)
    assert by_kind[RuleKind.OVERDUE_CASE] == Decimal(-4)  # A and B
    assert by_kind[RuleKind.OVERDUE_DAY] == Decimal("-0.5")  # (2 + 3) × 0.1
    assert by_kind[RuleKind.SENDBACK] == Decimal(-2)
    assert by_kind[RuleKind.UNJUSTIFIED_RETURN] == Decimal(-1)
    assert by_kind[RuleKind.REBOUND] == Decimal(-3)
    # 应结案 = A, B, C (deadlines ≤ 31 March); 按期 = C → 33.33% → E → −2
    assert by_kind[RuleKind.INDICATOR_GRADE] == Decimal(-2)
    assert RuleKind.FINDING not in by_kind  # no inspection findings recorded in this test
    assert score.total == Decimal("86.5")
    assert score.fund_deduction == Decimal("13500.00")
    # one line per rule, listing every case behind it: [id, number, quantity, points, note]
    items = {line.kind: [item[:4] for item in line.items] for line in lines if line.items}
    assert items == {
        RuleKind.OPEN_CASE: [[a.pk, a.number, 1, "-1"]],
        RuleKind.OVERDUE_CASE: [[a.pk, a.number, 1, "-2"], [b.pk, b.number, 1, "-2"]],
        RuleKind.OVERDUE_DAY: [[a.pk, a.number, 2, "-0.2"], [b.pk, b.number, 3, "-0.3"]],
        RuleKind.SENDBACK: [[b.pk, b.number, 2, "-2"]],
        RuleKind.UNJUSTIFIED_RETURN: [[c.pk, c.number, 2, "-1"]],
        RuleKind.REBOUND: [[c.pk, c.number, 1, "-3"]],
    }
    days = next(line for line in lines if line.kind == RuleKind.OVERDUE_DAY)
    assert days.explanation == "案件本期累计超期5个工作日，涉及案件2件，每日扣0.1分，共扣0.5分"
    assert [item[4] for item in days.items] == ["一般，网格巡查；03-28至03-31", "一般，网格巡查；03-11至03-13"]
    sendback = next(line for line in lines if line.kind == RuleKind.SENDBACK)
    assert "返工2次" in sendback.explanation and sendback.case_ref is None
    west_score = UnitScore.objects.get(period=period, unit=west)
    assert west_score.total == Decimal(101) and west_score.rank == 1 and score.rank == 3
    unit_rate = IndicatorResult.objects.get(period=period, unit=east, code="ontime_closure_rate")
    assert (unit_rate.numerator, unit_rate.denominator, unit_rate.grade) == (1, 3, "E")
    area_count = IndicatorResult.objects.get(period=period, area=district_area, code="registered")
    assert area_count.value == 2  # A and B lie in the district's grid


def test_special_period_filters_cases_by_site_category(tree, users, scheme):
    from chuangcheng.places.tests.factories import SiteCategoryFactory

    market = SiteCategoryFactory(code="market", name="农贸市场")
    make_case(tree["east"], category=market)
    make_case(tree["east"])
    period = services.create_period(
        actor=users["office"],
        scheme=scheme,
        kind=PeriodKind.MONTHLY,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
        topic="农贸市场专项整治",
        category_codes=["market"],
    )
    services.compute_period(period=period, actor=users["office"])
    lines = ScoreLine.objects.filter(period=period, unit=tree["east"], kind=RuleKind.OPEN_CASE)
    assert lines.count() == 1
