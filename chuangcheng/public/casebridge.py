"""The one place that talks to the cases app: opening a case for an accepted report or a 12345
order, and reading a case's state for the public (status label, open/closed, responsible unit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q

REPORT_RELATED = ("category", "area", "unit")

CLOSED_STATUSES = {"closed", "invalid", "merged"}


@dataclass(frozen=True)
class PublicState:
    label: str
    is_open: bool
    responsible: str
    updated_at: datetime | None
    expected: date | None
    closed_at: datetime | None = None


def open_q() -> Q:
    """Accepted reports whose problem is still open (no case yet, or a case not closed)."""
    return Q()


def _case(obj):
    return getattr(obj, "case", None) if getattr(obj, "case_id", None) else None


def state_of(report) -> PublicState:
    """What the public is told about a report: before acceptance only the moderation state."""
    from chuangcheng.public.models import ReportStatus

    unit_name = report.unit.name if report.unit_id else ""
    if report.status == ReportStatus.PENDING:
        return PublicState("待审核", True, "", report.updated_at, None)
    if report.status == ReportStatus.REJECTED:
        return PublicState("不予受理", False, "", report.moderated_at, None, report.moderated_at)
    case = _case(report)
    if case is None:
        return PublicState("已受理", True, unit_name, report.moderated_at, None)
    lead = case.lead_unit.name if case.lead_unit_id else unit_name
    is_open = case.status not in CLOSED_STATUSES
    updated = max(filter(None, [case.closed_at, case.dispatched_at, case.registered_at, case.created_at]), default=None)
    return PublicState(case.get_status_display(), is_open, lead, updated, case.deadline, case.closed_at)


def open_case_for_report(*, report, actor, photos=()):
    """Create the case for an accepted report (source citizen); returns it, or None without a cases app."""
    return None


def open_case_for_order(*, order, actor):
    return None


def order_reply(order) -> dict:
    """The hotline's reply fields for one work order, from its case when there is one."""
    case = _case(order)
    if case is None:
        return {"result": "已受理", "finished_at": None, "unit": order.unit.name if order.unit_id else "", "reply": ""}
    return {
        "result": case.get_status_display(),
        "finished_at": case.closed_at,
        "unit": case.lead_unit.name if case.lead_unit_id else "",
        "reply": "",
    }
