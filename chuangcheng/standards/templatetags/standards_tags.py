"""Display helpers: 待核实 for unknown values, 示例 for illustrative ones, target texts."""

from django import template
from django.utils.html import format_html

from chuangcheng.standards.models import SAMPLE, UNKNOWN, Compliance, Operator, TrendAlternative, method_labels

register = template.Library()

COLOURS = {
    Compliance.PASS: "green",
    Compliance.FAIL: "red",
    Compliance.UNKNOWN: "gray",
    Compliance.INSUFFICIENT: "yellow",
    Compliance.MANUAL: "yellow",
}


def _num(value) -> str:
    return format(value.normalize(), "f")


def target_text(indicator) -> str:
    op = indicator.operator
    if op == Operator.UNKNOWN:
        return UNKNOWN
    if op in (Operator.TREND_DOWN, Operator.TREND_UP, Operator.MANUAL, Operator.LTE_RECENT_AVG):
        return indicator.threshold_text or indicator.get_operator_display()
    if op == Operator.LEVEL:
        return f"达到{indicator.threshold_text or UNKNOWN}级"
    if indicator.threshold is None:
        return f"{indicator.get_operator_display()} {indicator.threshold_text}" if indicator.threshold_text else UNKNOWN
    text = f"{indicator.get_operator_display()} {_num(indicator.threshold)}{indicator.unit}"
    if indicator.or_trend != TrendAlternative.NONE:
        text += f"，{indicator.get_or_trend_display()}"
    return text


@register.filter
def target(indicator) -> str:
    return target_text(indicator)


@register.simple_tag
def points(value, is_sample=False):
    if value is None:
        return format_html('<span class="badge yellow" title="资料中未找到，待核实">{}</span>', UNKNOWN)
    if is_sample:
        return format_html('{} <span class="badge yellow" title="示例值，可编辑">{}</span>', _num(value), SAMPLE)
    return _num(value)


@register.simple_tag
def maybe(value):
    """A plain value, or 待核实 when NULL."""
    if value is None or value == "":
        return format_html('<span class="badge yellow">{}</span>', UNKNOWN)
    return value


@register.filter
def compliance_colour(value) -> str:
    return COLOURS.get(value, "gray")


@register.filter
def compliance_label(value) -> str:
    try:
        return Compliance(value).label
    except ValueError:
        return "未填报"


@register.filter
def num(value) -> str:
    return "—" if value is None else _num(value)


@register.filter
def methods(value: str) -> str:
    """测评方法 codes as their Chinese names (“实地考察、材料审核”)."""
    return "、".join(method_labels(value))
