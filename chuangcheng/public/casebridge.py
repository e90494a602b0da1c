"""The one place that talks to the cases app: opening a case for an accepted report or a 12345
order, and reading a case's state for the public (status label, open/closed, responsible unit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q

from chuangcheng.cases import services as case_services
from chuangcheng.cases import workflow
from chuangcheng.cases.models import CaseSource, CaseStatus, CaseTransition
from chuangcheng.cases.models.cases import OPEN_STATUSES
from chuangcheng.core.errors import DomainError

REPORT_RELATED = ("category", "area", "unit", "case", "case__lead_unit")
CLOSED_STATUSES = {CaseStatus.CLOSED, CaseStatus.INVALID, CaseStatus.MERGED}
REPLY_RESULTS = {CaseStatus.CLOSED: "已办结", CaseStatus.INVALID: "不予立案", CaseStatus.MERGED: "已合并办理"}


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
    return Q(case__isnull=True) | Q(case__status__in=OPEN_STATUSES)


def _case(obj):
    return obj.case if getattr(obj, "case_id", None) else None


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
    updated = case.status_changed_at or case.created_at
    return PublicState(case.get_status_display(), is_open, lead, updated, case.deadline, case.closed_at)


def _title(category, text: str) -> str:
    text = " ".join((text or "").split())
    head = f"{category.name}：" if category is not None else ""
    return (head + text)[:60] or "市民反映问题"


def open_case_for_report(*, report, actor):
    """Create, register and route the case of an accepted report (source citizen, original photos)."""
    if report.case_id:
        return report.case
    photos = []
    for photo in report.photos.all():
        photo.original.open("rb")
        photos.append(photo.original)
    try:
        case = case_services.create_case(
            actor=actor,
            source=CaseSource.CITIZEN,
            title=_title(report.category, report.shown_description),
            description=report.description,
            category=report.category,
            area=report.area,
            lng=report.lng,
            lat=report.lat,
            photos=photos,
            reporter_name=report.reporter_name,
            reporter_phone=report.reporter_phone,
            external_ref=report.number,
            auto_register=True,
        )
    finally:
        for photo in photos:
            photo.close()
    report.case = case
    report.save(update_fields=["case", "updated_at"])
    return case


def open_case_for_order(*, order, actor):
    """Create, register and route the case of a new 12345 order; the hotline's 承办单位 is used
    when the routing rules find no unit."""
    if order.case_id:
        return None
    case = case_services.create_case(
        actor=actor,
        source=CaseSource.HOTLINE,
        title=_title(order.category, order.title or order.content),
        description=order.content,
        category=order.category,
        lng=order.lng,
        lat=order.lat,
        reporter_name=order.caller_name,
        reporter_phone=order.caller_phone[:20],
        external_ref=order.number,
        auto_register=True,
    )
    if case.lead_unit_id is None and order.unit_id:
        try:
            case = case_services.assign_case(actor=actor, case=case, lead_unit=order.unit, reason="12345 承办单位")
            case = workflow.transition(case, workflow.Action.DISPATCH, actor=actor, note="按 12345 承办单位派遣")
        except DomainError:
            pass  # stays in the office's queue
    order.case = case
    order.save(update_fields=["case", "updated_at"])
    return case


def order_replies(orders) -> list[dict]:
    """The hotline's reply fields per order (same order as given), reading cases in bulk."""
    orders = list(orders)
    case_ids = [order.case_id for order in orders if order.case_id]
    notes: dict[int, str] = {}
    for start in range(0, len(case_ids), 900):
        chunk = case_ids[start : start + 900]
        rows = (
            CaseTransition.objects.filter(case_id__in=chunk)
            .exclude(note="")
            .order_by("case_id", "at", "id")
            .values_list("case_id", "note")
        )
        for case_id, note in rows:
            notes[case_id] = note
    replies = []
    for order in orders:
        case = _case(order)
        if case is None:
            unit = order.unit.name if order.unit_id else ""
            replies.append(
                {"result": "待处理", "finished_at": None, "unit": unit, "reply": "", "status": "", "case": ""}
            )
            continue
        replies.append(
            {
                "result": REPLY_RESULTS.get(case.status, "办理中"),
                "finished_at": case.closed_at,
                "unit": case.lead_unit.name if case.lead_unit_id else "",
                "reply": notes.get(case.pk, ""),
                "status": case.get_status_display(),
                "case": case.number,
            }
        )
    return replies
