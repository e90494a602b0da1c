from decimal import Decimal

import pytest

from chuangcheng.standards.compliance import judge
from chuangcheng.standards.models import Compliance, Indicator

D = Decimal


def ind(**kwargs) -> Indicator:
    return Indicator(code="X", name="测试", **kwargs)


@pytest.mark.parametrize(
    ("operator", "threshold", "value", "expected"),
    [
        (">=", "90", "90", Compliance.PASS),
        (">=", "90", "89.9", Compliance.FAIL),
        (">", "90", "90", Compliance.FAIL),
        ("<=", "5.6", "5.6", Compliance.PASS),
        ("<", "5", "5", Compliance.FAIL),
        ("==", "100", "100", Compliance.PASS),
        ("==", "100", "99", Compliance.FAIL),
    ],
)
def test_judge_threshold_operators(operator, threshold, value, expected):
    assert judge(ind(operator=operator, threshold=D(threshold)), D(value))[0] == expected


def test_judge_unknown_threshold_is_not_judged():
    verdict, reason = judge(ind(operator="", threshold=None), D("50"))
    assert verdict == Compliance.UNKNOWN and "待核实" in reason
    assert judge(ind(operator=">=", threshold=None), D("50"))[0] == Compliance.UNKNOWN


def test_judge_trend_down_needs_earlier_value():
    indicator = ind(operator="trend_down", threshold_text="逐年下降")
    assert judge(indicator, D("30"), history=[])[0] == Compliance.INSUFFICIENT
    assert judge(indicator, D("30"), history=[("2024", D("32"), "")])[0] == Compliance.PASS
    assert judge(indicator, D("32"), history=[("2024", D("32"), "")])[0] == Compliance.FAIL
    assert judge(indicator, D("33"), history=[("2024", D("32"), "")])[0] == Compliance.FAIL


def test_judge_trend_window_requires_continuous_decline():
    indicator = ind(operator="trend_down", trend_window=2)
    history = [("2023", D("30"), ""), ("2024", D("31"), "")]
    assert judge(indicator, D("29"), history=history)[0] == Compliance.FAIL
    history = [("2023", D("32"), ""), ("2024", D("31"), "")]
    assert judge(indicator, D("29"), history=history)[0] == Compliance.PASS


def test_judge_trend_up():
    indicator = ind(operator="trend_up")
    assert judge(indicator, D("78.5"), history=[("2024", D("78.1"), "")])[0] == Compliance.PASS


def test_judge_threshold_or_continuous_decrease():
    infant = ind(operator="<=", threshold=D("5.6"), or_trend="down", unit="‰")
    assert judge(infant, D("5.0"))[0] == Compliance.PASS
    verdict, reason = judge(infant, D("6.0"), history=[("2024", D("6.5"), "")])
    assert verdict == Compliance.PASS and "下降" in reason
    assert judge(infant, D("6.0"), history=[("2024", D("5.9"), "")])[0] == Compliance.FAIL
    assert judge(infant, D("6.0"), history=[])[0] == Compliance.INSUFFICIENT


def test_judge_not_above_five_year_average():
    indicator = ind(operator="lte_recent_avg", trend_window=5, threshold_text="近5年平均水平")
    history = [(str(y), D(v), "") for y, v in zip(range(2020, 2025), ("100", "110", "90", "100", "100"), strict=True)]
    assert judge(indicator, D("100"), history=history)[0] == Compliance.PASS
    assert judge(indicator, D("101"), history=history)[0] == Compliance.FAIL
    assert judge(indicator, D("50"), history=history[:3])[0] == Compliance.INSUFFICIENT


def test_judge_level_c_or_better():
    indicator = ind(operator="level", threshold_text="C")
    assert judge(indicator, None, "B")[0] == Compliance.PASS
    assert judge(indicator, None, "c")[0] == Compliance.PASS
    assert judge(indicator, None, "D")[0] == Compliance.FAIL
    assert judge(indicator, None, "")[0] == Compliance.INSUFFICIENT


def test_judge_manual_and_text_targets():
    assert judge(ind(operator="manual", threshold_text="符合区域卫生规划"), D("6"))[0] == Compliance.MANUAL
    law = ind(operator="==", threshold=None, threshold_text="有")
    assert judge(law, None, "有")[0] == Compliance.PASS
    assert judge(law, None, "无")[0] == Compliance.FAIL


def test_judge_missing_value_is_insufficient():
    assert judge(ind(operator=">=", threshold=D("90")), None)[0] == Compliance.INSUFFICIENT
