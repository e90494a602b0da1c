"""Numbers from the query string: checked, so a bad one is a 400 with a Chinese message naming it, not a 500.

``BadParameter`` is a ``DomainError`` answering 400: the API's exception handler and the page base class
(``core.views.RoleRequiredMixin``) turn it into a response.
"""

from __future__ import annotations

from django.utils import timezone

from chuangcheng.core.errors import DomainError

# The years the platform can hold data for (a campaign year, an evaluation period, a calendar).
MIN_YEAR, MAX_YEAR = 2000, 2100


class BadParameter(DomainError):
    """A query parameter is not a number in its range (HTTP 400)."""

    status_code = 400
    code = "bad_parameter"


def int_param(params, name: str, *, label: str, default: int, low: int, high: int) -> int:
    """``params[name]`` as an int within ``[low, high]``; ``default`` when absent or empty."""
    raw = params.get(name)
    if raw is None or str(raw).strip() == "":
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise BadParameter(f"{label}须为整数，收到“{str(raw)[:20]}”", field=name) from None
    if not low <= value <= high:
        raise BadParameter(f"{label}须在 {low} 到 {high} 之间", field=name)
    return value


def year_param(params, name: str = "year", *, default: int | None = None) -> int:
    """A year from the query string (this year when absent)."""
    return int_param(
        params, name, label="年份", default=default or timezone.localdate().year, low=MIN_YEAR, high=MAX_YEAR
    )
