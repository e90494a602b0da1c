"""End to end over real inspection rows: deductions per finding at the unit's sites, and negative-list events.

Hand-worked, March 2026. The east district's market is visited on 5 March (territorial unit 东城区,
sectoral department 市市场监管局) and found wanting on three items:
  f1 地面积水 0.50 per place × 3 places          → 1.50 (by the item's points)
  f2 无防鼠设施 points 待核实 × 2 places           → 2 × 1 (the rule's points) = 2.00, explained as 待核实
  f3 活禽宰杀 1.00 × 1 place, on the negative list → 1.00, and a negative-list event: 5
The west district's toilet: f4 2.00 × 1 → 2.00. Never counted: a passed item, a finding of February,
one of a secret round not yet published, and a visit not yet done.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from chuangcheng.assessments import services
from chuangcheng.assessments.models import PeriodKind, RuleKind, ScoreLine, UnitScore
from chuangcheng.inspections.models import FindingResult, VisitStatus
from chuangcheng.inspections.tests.factories import FindingFactory, RoundFactory, VisitFactory
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import SiteCategoryFactory, SiteFactory
from chuangcheng.standards.tests.factories import CheckItemFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, month: int = 3) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 15, 0, tzinfo=TZ)


def visit(site, when, *, department=None, status=VisitStatus.DONE, **round_kw):
    return VisitFactory(
        round=RoundFactory(**round_kw), site=site, department=department, status=status, submitted_at=when
    )


@pytest.fixture
def city(tree, users):
    department = UnitFactory(code="B01", name="市市场监管局", kind=UnitKind.DEPARTMENT, parent=tree["city"])
    market = SiteCategoryFactory(code="market", name="农贸市场")
    toilet = SiteCategoryFactory(code="toilet", name="公共厕所")
    east_market = SiteFactory(name="东城农贸市场", category=market, unit=tree["east"])
    west_toilet = SiteFactory(name="西城公厕", category=toilet, unit=tree["west"])
    water = CheckItemFactory(code="M1", title="地面积水", points=Decimal("0.5"))
    rats = CheckItemFactory(code="M2", title="无防鼠设施", points=None)
    poultry = CheckItemFactory(code="M3", title="活禽宰杀", points=Decimal(1), is_negative_list=True)
    soap = CheckItemFactory(code="T1", title="无洗手液", points=Decimal(2))
    march5 = visit(east_market, at(5), department=department)
    f1 = FindingFactory(visit=march5, check_item=water, count=3)
    f2 = FindingFactory(visit=march5, check_item=rats, count=2)
    f3 = FindingFactory(visit=march5, check_item=poultry, count=1, is_negative_list=True)
    FindingFactory(visit=march5, check_item=soap, result=FindingResult.PASS, count=0)
    f4 = FindingFactory(visit=visit(west_toilet, at(20)), check_item=soap, count=1)
    # never counted
    FindingFactory(visit=visit(west_toilet, at(20, 2)), check_item=soap, count=4)
    FindingFactory(visit=visit(west_toilet, at(21), is_secret=True), check_item=soap, count=4)
    FindingFactory(visit=visit(west_toilet, None, status=VisitStatus.ASSIGNED), check_item=soap, count=4)
    return {"department": department, "findings": (f1, f2, f3, f4)}


def scheme_with(users, *, finding_params, negative_params):
    actor = users["office"]
    scheme = services.create_scheme(actor=actor, code="KH", name="督查发现考核")
    services.create_peer_group(actor=actor, scheme=scheme, name="区县", unit_kinds=["district"])
    services.create_peer_group(actor=actor, scheme=scheme, name="部门", unit_kinds=["department"])
    services.create_rule(actor=actor, scheme=scheme, kind=RuleKind.FINDING, points=Decimal(1), params=finding_params)
    services.create_rule(
        actor=actor, scheme=scheme, kind=RuleKind.NEGATIVE_LIST, points=Decimal(5), params=negative_params, sort_order=1
    )
    return services.publish_scheme(scheme=scheme, actor=actor)


def compute(users, scheme, **kw):
    period = services.create_period(
        actor=users["office"],
        scheme=scheme,
        kind=PeriodKind.MONTHLY,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
        **kw,
    )
    return services.compute_period(period=period, actor=users["office"])


def lines_of(period, unit):
    return list(ScoreLine.objects.filter(period=period, unit=unit).order_by("sort"))


def total(period, unit) -> Decimal:
    return UnitScore.objects.get(period=period, unit=unit).total


def test_findings_at_the_units_sites_by_item_points_and_negative_list_events(tree, users, city):
    scheme = scheme_with(
        users, finding_params={"item_points": True, "attribute_to": "both"}, negative_params={"from": "findings"}
    )
    period = compute(users, scheme)
    f1, f2, f3, f4 = city["findings"]
    east = lines_of(period, tree["east"])
    assert [(line.kind, line.finding_ref, line.points) for line in east] == [
        (RuleKind.FINDING, f1.pk, Decimal("-1.50")),
        (RuleKind.FINDING, f2.pk, Decimal("-2.00")),
        (RuleKind.FINDING, f3.pk, Decimal("-1.00")),
        (RuleKind.NEGATIVE_LIST, f3.pk, Decimal("-5.00")),
    ]
    assert east[0].explanation == "2026-03-05督查发现问题：东城农贸市场 M1 地面积水，3处，按检查项分值每处扣0.5分"
    assert "检查项分值待核实，按本规则每处扣1分" in east[1].explanation
    assert east[3].explanation.startswith("2026-03-05负面清单事项：东城农贸市场 M3 活禽宰杀")
    assert total(period, tree["east"]) == Decimal("90.5")  # 100 − 1.5 − 2 − 1 − 5
    # the sectoral department answers for the same findings (attribute_to both), not for the event (territorial)
    department = lines_of(period, city["department"])
    assert [(line.kind, line.finding_ref) for line in department] == [(RuleKind.FINDING, f.pk) for f in (f1, f2, f3)]
    assert all("（行业主管）" in line.explanation for line in department)
    assert total(period, city["department"]) == Decimal("95.5")
    # west: only the done, countable finding of March
    assert [(line.finding_ref, line.points) for line in lines_of(period, tree["west"])] == [(f4.pk, Decimal("-2.00"))]
    assert total(period, tree["west"]) == Decimal(98)


def test_flat_points_territorial_only_and_negative_list_from_both(tree, users, city):
    scheme = scheme_with(users, finding_params={}, negative_params={"from": "both"})
    period = compute(users, scheme)
    # flat 1 point per place: 3 + 2 + 1 places = 6; negative-list event 5
    assert total(period, tree["east"]) == Decimal(89)
    assert lines_of(period, city["department"]) == [] and total(period, city["department"]) == Decimal(100)
    assert total(period, tree["west"]) == Decimal(99)


def test_special_period_counts_findings_at_its_site_categories_only(tree, users, city):
    scheme = scheme_with(users, finding_params={"item_points": True}, negative_params={"from": "findings"})
    period = compute(users, scheme, topic="公厕专项", category_codes=["toilet"])
    assert lines_of(period, tree["east"]) == []
    assert total(period, tree["west"]) == Decimal(98)
