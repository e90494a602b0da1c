"""Hours credited for a participation (pure).

The time between sign-in and sign-out that falls inside the activity's window (arriving early or leaving
late does not count), capped at the activity's ``hours_cap`` (by default the window's length, editable per
activity), rounded down to a tenth of an hour. No sign-out, no hours: a missing sign-out is fixed by a
manual correction with a reason (audited), which then replaces the computed value.

Sign-in is accepted from ``CHECK_IN_EARLY`` before the start until the end; sign-out after sign-in and
until ``CHECK_OUT_LATE`` after the end. These are product settings, not facts of any standard.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_DOWN, ROUND_UP, Decimal

CHECK_IN_EARLY = timedelta(minutes=60)
CHECK_OUT_LATE = timedelta(hours=2)
MAX_CORRECTED_HOURS = Decimal("24")


def window_hours(starts_at: datetime, ends_at: datetime) -> Decimal:
    """The default cap: the window's length in hours, rounded up to a tenth."""
    seconds = Decimal((ends_at - starts_at).total_seconds())
    return (seconds / Decimal(3600)).quantize(Decimal("0.1"), rounding=ROUND_UP)


def credited_hours(
    *, checked_in_at: datetime | None, checked_out_at: datetime | None, starts_at: datetime, ends_at: datetime, cap
) -> Decimal:
    if checked_in_at is None or checked_out_at is None:
        return Decimal("0.0")
    start, end = max(checked_in_at, starts_at), min(checked_out_at, ends_at)
    if end <= start:
        return Decimal("0.0")
    hours = (Decimal((end - start).total_seconds()) / Decimal(3600)).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return min(hours, Decimal(cap))


def check_in_window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    return starts_at - CHECK_IN_EARLY, ends_at


def check_out_deadline(ends_at: datetime) -> datetime:
    return ends_at + CHECK_OUT_LATE
