"""Working-day arithmetic on the official Chinese calendar plus local overrides.

Conventions (used by every deadline in the product):
- ``add_working_days(start, n)`` returns the n-th working day after ``start``
  (before it when n < 0); ``n == 0`` returns ``start`` itself.
- ``working_days_between(start, end)`` counts working days d with
  start < d <= end (negative when end < start), so
  ``working_days_between(s, add_working_days(s, n)) == n``.
The exceptions table is read once per process and re-read when a change bumps
the version key in the cache, so web processes and workers agree.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.cache import cache

from chuangcheng.core.models import WorkdayOverride

VERSION_KEY = "workdays:version"
_memo: dict = {"version": None, "exceptions": {}, "years": frozenset()}


def invalidate_local() -> None:
    """Forget this process's copy (the writer's own process sees its change at once)."""
    _memo["version"] = None


def bump_version() -> None:
    """Tell every process to re-read the table; services call it on commit."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)
    _memo["version"] = None


def _load() -> dict[date, bool]:
    version = cache.get(VERSION_KEY, 0)
    if _memo["version"] != version:
        rows = list(WorkdayOverride.objects.values_list("date", "is_working_day", "source"))
        _memo["exceptions"] = {day: working for day, working, _ in rows}
        _memo["years"] = frozenset(day.year for day, _, source in rows if source == "official")
        _memo["version"] = version
    return _memo["exceptions"]


def official_years() -> frozenset[int]:
    """Years for which the official holiday arrangement is loaded."""
    _load()
    return _memo["years"]


def is_working_day(day: date) -> bool:
    return _load().get(day, day.weekday() < 5)


def add_working_days(start: date, n: int) -> date:
    exceptions = _load()
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    while remaining:
        day += timedelta(days=step)
        if exceptions.get(day, day.weekday() < 5):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    if end < start:
        return -working_days_between(end, start)
    exceptions = _load()
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if exceptions.get(day, day.weekday() < 5):
            count += 1
    return count


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    return day if is_working_day(day) else add_working_days(day, 1)
