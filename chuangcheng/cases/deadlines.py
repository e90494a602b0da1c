"""Deadlines and clocks in working days (official calendar via ``core.workdays``).

Rectification limit: the check item's ``deadline_days``, else the most specific
``DeadlineRule`` (category + severity, category, severity), else the default per
severity in ``setting("CASE_DEFAULT_DEADLINE_DAYS")``. Each other open state has
its own limit (``setting("CASE_STATE_LIMIT_DAYS")``). Lights: yellow from 80% of the
limit used, red at 100%. During an approved deferral (挂账) the clock is paused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from chuangcheng.cases.conf import setting
from chuangcheng.cases.models import Case, CaseStatus, DeadlineRule
from chuangcheng.core.workdays import Calendar, add_working_days, calendar, working_days_between

YELLOW_AT = 0.8
STAGES = {"reported": "受理", "registered": "派遣", "dispatched": "签收", "returned": "改派", "submitted": "核查"}


def local_date(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def add_days(start: date, days: int) -> date:
    return add_working_days(start, days)


def deadline_from(moment, days: int) -> date:
    return add_working_days(local_date(moment), days)


def paused_working_days(paused_on: date | None, today: date) -> int:
    if paused_on is None:
        return 0
    return max(working_days_between(paused_on, today), 0)


def rectification_days(case: Case, rules: list | None = None) -> tuple[int, str]:
    """``(working days, why)`` for the case's rectification limit.

    ``rules``: every ``DeadlineRule``, loaded once by a batch; else the case's are queried.
    """
    item = case.check_item if case.check_item_id else None
    if item is not None and getattr(item, "deadline_days", None):
        return item.deadline_days, f"检查项“{item.code}”规定 {item.deadline_days} 个工作日"
    if rules is None:
        rules = DeadlineRule.objects.filter(Q(category_id=case.category_id) | Q(category__isnull=True))
    rules = {
        (rule.category_id, rule.severity): rule
        for rule in rules
        if rule.category_id is None or rule.category_id == case.category_id
    }
    for key, label in (
        ((case.category_id, case.severity), "类别与严重程度"),
        ((case.category_id, ""), "类别"),
        ((None, case.severity), "严重程度"),
        ((None, ""), "全局"),
    ):
        rule = rules.get(key)
        if rule is not None:
            return rule.days, f"期限规则（按{label}）：{rule.days} 个工作日"
    days = setting("CASE_DEFAULT_DEADLINE_DAYS").get(case.severity, 5)
    return days, f"默认期限（{case.get_severity_display()}）：{days} 个工作日"


@dataclass(frozen=True)
class Clock:
    """The clock of the current state: limit and used working days, light and due date."""

    limit: int | None
    used: int
    due: date | None
    light: str  # green | yellow | red | "" (no clock)
    paused: bool = False
    stage: str = ""

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else self.limit - self.used

    @property
    def label(self) -> str:
        if self.paused:
            return "挂账暂停计时"
        if self.due is None:
            return ""
        prefix = f"{self.stage}：" if self.stage else ""
        if self.remaining is not None and self.remaining < 0:
            return f"{prefix}已超期 {-self.remaining} 个工作日"
        return f"{prefix}剩余 {self.remaining} 个工作日"


def light_for(used: int, limit: int) -> str:
    if limit <= 0:
        return "red" if used > 0 else "yellow"
    ratio = used / limit
    if ratio >= 1:
        return "red"
    if ratio >= YELLOW_AT:
        return "yellow"
    return "green"


def clock(case: Case, today: date | None = None, cal: Calendar | None = None) -> Clock:
    """The case's clock; lists pass one ``today`` and one calendar snapshot for every row."""
    today = today or timezone.localdate()
    if case.status == CaseStatus.DEFERRED:
        return Clock(limit=case.deadline_days, used=0, due=case.deadline, light="", paused=True)
    if case.status in (CaseStatus.SIGNED, CaseStatus.RECTIFYING) and case.deadline and case.dispatched_at:
        cal = cal or calendar()
        start = local_date(case.dispatched_at)
        limit = max(cal.working_days_between(start, case.deadline), 0)
        used = cal.working_days_between(start, today)
        return Clock(limit=limit, used=used, due=case.deadline, light=light_for(used, limit), stage="整改")
    limit = setting("CASE_STATE_LIMIT_DAYS").get(case.status)
    if limit is None:
        return Clock(limit=None, used=0, due=None, light="")
    cal = cal or calendar()
    start = local_date(case.status_changed_at or case.created_at or timezone.now())
    used = cal.working_days_between(start, today)
    stage = STAGES.get(case.status, "")
    return Clock(
        limit=limit, used=used, due=cal.add_working_days(start, limit), light=light_for(used, limit), stage=stage
    )


def clocks(cases, today: date | None = None) -> list:
    """Set ``case.clock`` on each case from one ``today`` and one calendar snapshot; return the cases."""
    today = today or timezone.localdate()
    cal = calendar()
    cases = list(cases) if not isinstance(cases, list) else cases
    for case in cases:
        case.clock = clock(case, today, cal)
    return cases
