"""Scoring on hand-computed examples: caps, negative list, unknown points, ranking, comparison."""

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chuangcheng.inspections.scoring import FindingRow, VisitRow, compare, score_round, site_tally


def test_points_times_count_capped_per_site_and_item():
    # item 1: 2 points × 4 = 8, capped at 5 → 5; item 2: 1.5 × 2 = 3 (no cap) → total 8, 3 capped away
    tally = site_tally(
        [
            FindingRow(visit_id=1, check_item_id=1, count=3, points=D("2"), cap_per_site=D("5")),
            FindingRow(visit_id=1, check_item_id=1, count=1, points=D("2"), cap_per_site=D("5")),
            FindingRow(visit_id=1, check_item_id=2, count=2, points=D("1.5")),
        ]
    )
    assert tally.lost == D("8")
    assert tally.capped == D("3")
    assert tally.findings == 3


def test_negative_list_is_never_capped_and_is_counted():
    tally = site_tally(
        [FindingRow(visit_id=1, check_item_id=9, count=4, points=D("3"), cap_per_site=D("5"), is_negative_list=True)]
    )
    assert tally.lost == D("12")
    assert tally.negative_hits == 1
    assert tally.has_red_line


def test_unknown_points_are_not_invented():
    tally = site_tally(
        [
            FindingRow(visit_id=1, check_item_id=1, count=2, points=None),
            FindingRow(visit_id=1, check_item_id=2, count=1, points=D("1")),
        ]
    )
    assert tally.lost == D("1")
    assert tally.unknown_findings == 1
    assert tally.unknown_count == 2


def test_round_totals_by_category_area_and_ranking():
    visits = [
        VisitRow(1, site_id=11, category_id="road", area_id="east"),
        VisitRow(2, site_id=12, category_id="market", area_id="east"),
        VisitRow(3, site_id=13, category_id="road", area_id="west"),
        VisitRow(4, site_id=14, category_id="road", area_id="north"),
        VisitRow(5, site_id=15, category_id="market", area_id="south"),
    ]
    findings = [
        FindingRow(1, check_item_id=1, count=2, points=D("2"), cap_per_site=D("3")),  # 4 → 3
        FindingRow(2, check_item_id=2, count=1, points=D("1")),  # 1
        FindingRow(3, check_item_id=1, count=1, points=D("2"), cap_per_site=D("3")),  # 2
        FindingRow(4, check_item_id=3, count=1, points=D("0.5"), is_negative_list=True),  # 0.5, red line
        FindingRow(5, check_item_id=4, count=1, points=None),  # unknown
    ]
    score = score_round(visits, findings)
    assert score.total.lost == D("6.5")
    assert score.total.visits == 5
    assert score.by_category["road"].lost == D("5.5")
    assert score.by_category["market"].lost == D("1")
    assert score.by_area["east"].lost == D("4")
    assert score.by_area["east"].lost_per_visit == D("2.00")
    ranking = [(r, key) for r, key, _ in score.ranking()]
    # south 0/visit but 1 unknown; west 2; east 2 per visit → tie; north has a negative-list hit → last
    assert ranking == [(1, "south"), (2, "east"), (2, "west"), (4, "north")]


def test_compare_with_earlier_round():
    before = score_round([VisitRow(1, 1, "c", "east")], [FindingRow(1, 1, 2, D("2"))]).by_area
    now = score_round([VisitRow(1, 1, "c", "east"), VisitRow(2, 2, "c", "west")], [FindingRow(1, 1, 1, D("2"))]).by_area
    changes = {c.key: c for c in compare(now, before)}
    assert changes["east"].delta == D("-2.00")
    assert changes["east"].trend == "改善"
    assert changes["west"].trend == "新增"


findings_st = st.lists(
    st.builds(
        FindingRow,
        visit_id=st.just(1),
        check_item_id=st.integers(1, 4),
        count=st.integers(0, 5),
        points=st.one_of(st.none(), st.decimals(min_value=0, max_value=10, places=1)),
        cap_per_site=st.one_of(st.none(), st.decimals(min_value=0, max_value=10, places=1)),
        is_negative_list=st.booleans(),
    ),
    max_size=12,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(findings=findings_st)
def test_loss_never_exceeds_uncapped_and_respects_caps(findings):
    tally = site_tally(findings)
    uncapped = sum((f.points * f.count for f in findings if f.points is not None and f.count > 0), D("0"))
    assert tally.lost + tally.capped == uncapped
    assert tally.lost >= 0


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(findings=findings_st)
def test_order_of_findings_does_not_matter(findings):
    assert site_tally(findings).as_dict() == site_tally(list(reversed(findings))).as_dict()
