"""Working-day arithmetic on the official Chinese calendar plus local overrides.

Conventions (used by every deadline in the product):
- ``add_working_days(start, n)`` returns the n-th working day after ``start``
  (before it when n < 0); ``n == 0`` returns ``start`` itself.
- ``working_days_between(start, end)`` counts working days d with
  start < d <= end (negative when end < start), so
  ``working_days_between(s, add_working_days(s, n)) == n``.
The exceptions table is read once per process and re-read when a change bumps
the version key in the cache, so web processes and workers agree (while the
cache is down, re-read every half minute: see ``core.cache.version_token``).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

from chuangcheng.core.cache import new_version, version_token
from chuangcheng.core.models import WorkdayOverride

VERSION_KEY = "workdays:version"
_memo: dict = {"version": None, "exceptions": {}, "years": frozenset()}


def invalidate_local() -> None:
    """Forget this process's copy (the writer's own process sees its change at once)."""
    _memo["version"] = None


def bump_version() -> None:
    """Tell every process to re-read the table; services call it on commit."""
    new_version(VERSION_KEY)
    _memo["version"] = None


def _load() -> dict[date, bool]:
    version = version_token(VERSION_KEY)
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


class Calendar:
    """One consistent snapshot of the exceptions: list pages compute many clocks from one cache read.

    ``calendar()`` gives the current snapshot; the module functions below use it.
    """

    __slots__ = ("days", "exceptions")

    def __init__(self, exceptions: dict[date, bool]):
        self.exceptions = exceptions
        self.days = _sorted_days(exceptions)

    def is_working_day(self, day: date) -> bool:
        return self.exceptions.get(day, day.weekday() < 5)

    def add_working_days(self, start: date, n: int) -> date:
        exceptions = self.exceptions
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = start
        while remaining:
            day += timedelta(days=step)
            if exceptions.get(day, day.weekday() < 5):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Closed-form weekday count plus the exceptions in range (fast for long spans, e.g. overdue clocks)."""
        if end < start:
            return -self.working_days_between(end, start)
        exceptions = self.exceptions
        full_weeks, rest = divmod((end - start).days, 7)
        count = full_weeks * 5 + sum(1 for i in range(1, rest + 1) if (start + timedelta(days=i)).weekday() < 5)
        days = self.days
        for day in days[bisect_right(days, start) : bisect_right(days, end)]:
            working = exceptions[day]
            if working != (day.weekday() < 5):
                count += 1 if working else -1
        return count


def calendar() -> Calendar:
    return Calendar(_load())


def is_working_day(day: date) -> bool:
    return calendar().is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    return calendar().add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    """Closed-form weekday count plus the exceptions in range (fast for long spans, e.g. overdue clocks)."""
    return calendar().working_days_between(start, end)


_sorted_memo: dict = {"source": None, "days": []}


def _sorted_days(exceptions: dict) -> list[date]:
    if _sorted_memo["source"] is not exceptions:
        _sorted_memo["days"] = sorted(exceptions)
        _sorted_memo["source"] = exceptions
    return _sorted_memo["days"]


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    return day if is_working_day(day) else add_working_days(day, 1)
