"""Number formats for probabilities and differences on the readiness and dashboard pages."""

from django import template

register = template.Library()


@register.filter
def pct(value, digits: int = 1) -> str:
    """0.0123 → "1.2%"; None → "—"."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def pp(value) -> str:
    """A difference of probabilities in percentage points, signed: 0.034 → "+3.4 个百分点"."""
    if value is None:
        return "—"
    return f"{float(value) * 100:+.1f} 个百分点"


@register.filter
def signed(value, digits: int = 3) -> str:
    if value is None:
        return "—"
    return f"{float(value):+.{int(digits)}f}"
