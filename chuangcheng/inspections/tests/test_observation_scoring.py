"""The pure 得分率 rule (``observation.py``): 分值 × 达标率, 待核实, 不适用, 负面清单 and veto, every scope."""

from decimal import Decimal

from chuangcheng.inspections.observation import (
    GroupRow,
    ItemInfo,
    PointRow,
    Tally,
    delta_text,
    percent,
    rate_delta,
    score_observations,
)

D = Decimal
ITEMS = [
    ItemInfo(1, D("4"), clause="A1", section="A"),
    ItemInfo(2, D("2"), clause="A2", section="A"),
    ItemInfo(3, None, clause="A2", section="A"),  # 分值 待核实
    ItemInfo(4, D("3"), clause="B1", section="B"),
    ItemInfo(8, None, clause="B1", section="B", is_negative_list=True, points=D("1")),
    ItemInfo(9, None, clause="B1", section="B", is_negative_list=True, is_veto=True),
]
POINTS = [PointRow(10, "s1", "road", "east"), PointRow(11, "s2", "road", "west"), PointRow(12, "s3", "market", "east")]


def test_rate_is_points_times_pass_rate_over_known_points():
    groups = [
        GroupRow(10, 1, 2, 3),  # item 1 at s1: 2 of 3
        GroupRow(11, 1, 3, 3),  # item 1 at s2: 3 of 3  → item 1 overall 5/6
        GroupRow(10, 2, 0, 2),  # item 2: 0/2
        GroupRow(10, 3, 0, 1),  # 待核实: observed, not scored
    ]
    score = score_observations(POINTS, ITEMS, groups)
    total = score.total
    # 4 × 5/6 + 2 × 0 = 3.3333…; Σ 分值 = 6
    assert total.full == D("6") and total.rate == D("0.5556")
    assert total.unknown_items == 1 and total.items == 2
    assert total.observed == 9 and total.passed == 5
    assert score.by_point["s1"].rate == D("0.4444")  # (4 × 2/3) / 6
    assert score.by_point["s2"].rate == D("1.0000")
    assert score.by_point["s3"].rate is None and score.by_point["s3"].observed == 0  # visited, nothing scored
    assert score.by_district["east"].rate == D("0.4444") and score.by_district["west"].rate == D("1.0000")
    assert score.by_category["road"].rate == D("0.5556")
    assert score.by_clause["A1"].rate == D("0.8333") and score.by_clause["A2"].rate == D("0.0000")
    assert score.by_clause["A2"].unknown_items == 1
    assert score.by_section["A"].rate == D("0.5556")
    assert score.item_counts == {1: (5, 6), 2: (0, 2), 3: (0, 1)}


def test_not_applicable_only_item_weighs_nothing():
    score = score_observations(POINTS, ITEMS, [GroupRow(10, 1, 0, 0), GroupRow(10, 4, 1, 2)])
    assert score.total.full == D("3") and score.total.rate == D("0.5000")


def test_only_unknown_points_gives_no_rate():
    score = score_observations(POINTS, ITEMS, [GroupRow(10, 3, 1, 1)])
    assert score.total.rate is None and score.total.unknown_items == 1
    assert percent(score.total.rate) == "—"


def test_negative_list_deducts_once_per_point_and_veto_disqualifies():
    groups = [
        GroupRow(10, 1, 3, 3),
        GroupRow(10, 8, 0, 2),  # failed twice at one point: one hit
        GroupRow(11, 8, 1, 1),  # passed: no hit
        GroupRow(12, 9, 0, 1),  # veto
    ]
    score = score_observations(POINTS, ITEMS, groups)
    total = score.total
    assert total.deduction == D("1") and total.negative_hits == 2 and total.veto_hits == 1
    assert total.disqualified and total.full == D("4")
    assert total.rate == D("0.7500")  # (4 − 1) / 4
    assert score.by_point["s1"].deduction == D("1") and not score.by_point["s1"].disqualified
    assert score.by_point["s3"].disqualified and score.by_district["east"].disqualified
    assert not score.by_district["west"].disqualified
    assert score.by_clause["B1"].veto_hits == 1 and score.by_clause["B1"].rate is None


def test_negative_list_with_unknown_points_is_counted_not_deducted():
    items = [ItemInfo(1, D("2"), clause="A1"), ItemInfo(7, None, clause="A1", is_negative_list=True)]
    score = score_observations(POINTS, items, [GroupRow(10, 1, 1, 1), GroupRow(10, 7, 0, 1)])
    assert score.total.unknown_deductions == 1 and score.total.deduction == 0 and score.total.rate == D("1.0000")


def test_unknown_visits_and_items_are_ignored():
    score = score_observations(POINTS, ITEMS, [GroupRow(99, 1, 0, 3), GroupRow(10, 99, 0, 3)])
    assert score.total.observed == 0 and set(score.by_point) == {"s1", "s2", "s3"}


def test_delta_and_texts():
    now, before = Tally(score=D("3"), full=D("4")), Tally(score=D("2"), full=D("4"))
    assert rate_delta(now, before) == D("0.2500")
    assert rate_delta(now, None) is None and rate_delta(now, Tally()) is None
    assert delta_text(D("0.0123")) == "+1.23" and delta_text(D("-0.005")) == "−0.50" and delta_text(None) == "—"
    assert percent(D("0.8512")) == "85.12%"
    assert now.as_dict()["rate"] == "0.7500" and now.pass_rate is None
