"""The 12345 side of ``casebridge``: the one place hotline orders talk to the cases app (opening an
order's case, adopting the hotline's dates, telling a case what a re-import changed, reading the
unit's own words back for the reply sheet)."""

from __future__ import annotations

from django.utils import timezone

from chuangcheng.cases import external, workflow
from chuangcheng.cases import services as case_services
from chuangcheng.cases.models import CaseSource, CaseStatus, CaseTransition
from chuangcheng.core.errors import DomainError
from chuangcheng.public.casebridge import _case, _title
from chuangcheng.public.models import HotlineOrder


def _order_case_fields(order, place: dict | None = None) -> dict:
    """The case a 12345 order becomes (one definition for the single and the batch path); ``place``:
    the ``site``/``area`` its 事发地址 matched (a point, when the order has one, locates the area)."""
    return {
        "source": CaseSource.HOTLINE,
        "title": _title(order.category, order.title or order.content),
        "description": order.content,
        "category": order.category,
        "lng": order.lng,
        "lat": order.lat,
        "reporter_name": order.caller_name,
        "reporter_phone": order.caller_phone[:20],  # kept as the hotline sent it (masked or not)
        "external_ref": order.number,
        **(place or {}),
    }


def _fall_back_to_hotline_unit(case, order, actor):
    """When the routing rules find no unit, the hotline's 承办单位 takes the case."""
    if case.lead_unit_id is None and order.unit_id:
        try:
            case = case_services.assign_case(actor=actor, case=case, lead_unit=order.unit, reason="12345 承办单位")
            case = workflow.transition(case, workflow.Action.DISPATCH, actor=actor, note="按 12345 承办单位派遣")
        except DomainError:
            pass  # stays in the office's queue
    return case


def open_case_for_order(*, order, actor, place: dict | None = None):
    """Create, register and route the case of a new 12345 order; the hotline's 承办单位 is used
    when the routing rules find no unit."""
    if order.case_id:
        return None
    case = case_services.create_case(actor=actor, auto_register=True, **_order_case_fields(order, place))
    case = _fall_back_to_hotline_unit(case, order, actor)
    order.case = case
    order.case_error = ""
    order.save(update_fields=["case", "case_error", "updated_at"])
    return case


def open_cases_for_orders(*, orders, actor, places: list | None = None) -> int:
    """Open the cases of a batch of new orders through the cases app's batch intake (same outcome as
    ``open_case_for_order`` one by one, a fixed number of statements per batch); all or nothing."""
    places = places or [None] * len(orders)
    pairs = [(order, place) for order, place in zip(orders, places, strict=True) if not order.case_id]
    if not pairs:
        return 0
    items = [_order_case_fields(order, place) for order, place in pairs]
    cases = case_services.create_cases(actor=actor, items=items, auto_register=True)
    for (order, _), case in zip(pairs, cases, strict=True):
        order.case = _fall_back_to_hotline_unit(case, order, actor)
        order.case_error = ""
        order.updated_at = timezone.now()
    HotlineOrder.objects.bulk_update([order for order, _ in pairs], ["case", "case_error", "updated_at"])
    return len(pairs)


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def adopt_order_terms(*, actor, orders) -> None:
    """The hotline's 受理时间 and 办理时限 become the new cases' reported time and deadline (the
    routing's default deadline is replaced, in the open: one timeline entry per case)."""
    updates = []
    for order in orders:
        if not order.case_id:
            continue
        note = f"按 12345 工单 {order.number}：受理时间 {_moment(order.received_at)}"
        if order.deadline:
            note += f"，办理时限 {order.deadline:%Y-%m-%d}"
        updates.append(
            external.ExternalUpdate(
                case_id=order.case_id,
                note=note,
                data={"system": "12345", "order": order.number},
                deadline=order.deadline,
                deadline_reason="12345 办理时限",
                reported_at=order.received_at,
            )
        )
    external.apply_external_updates(actor=actor, updates=updates)


def note_order_changes(*, actor, changes: list[dict]) -> None:
    """A re-import's changed orders reach their cases: ``{"case_id", "number", "notes", "deadline",
    "urged", "order"}`` each becomes one timeline entry; a new deadline is applied, a 催办 alerts the lead
    unit. A new 承办单位 (``order``: the updated order) takes a case still waiting for a unit; a case
    already with a unit keeps it (re-routing goes through 退回 and 改派, decided by the office)."""
    updates = [
        external.ExternalUpdate(
            case_id=change["case_id"],
            note=f"12345 工单 {change['number']} 更新：" + "；".join(change["notes"]),
            data={"system": "12345", "order": change["number"]},
            deadline=change.get("deadline"),
            deadline_reason="12345 办理时限",
            alert="12345 催办，请抓紧办理" if change.get("urged") else "",
        )
        for change in changes
    ]
    cases = {case.pk: case for case in external.apply_external_updates(actor=actor, updates=updates)}
    for change in changes:
        case = cases.get(change["case_id"])
        if change.get("order") is not None and case is not None and case.status == CaseStatus.REGISTERED:
            _fall_back_to_hotline_unit(case, change["order"], actor)


# The rectifying side's own words: what the reply to the hotline carries (never the system's phrases).
UNIT_NOTE_ACTIONS = ("sign", "return", "start", "request_extension", "request_deferral", "resume", "submit")


def order_replies(orders) -> list[dict]:
    """The hotline's reply fields per order (same order as given), reading cases in bulk: 办理结果 is the
    unit's own text (its latest submission note, i.e. what it did), 回复内容 its latest note of any
    kind (a return's reason, a deferral's plan); notes written by the system are never used."""
    orders = list(orders)
    case_ids = [order.case_id for order in orders if order.case_id]
    results: dict[int, str] = {}
    notes: dict[int, str] = {}
    for start in range(0, len(case_ids), 900):
        chunk = case_ids[start : start + 900]
        rows = (
            CaseTransition.objects.filter(case_id__in=chunk, action__in=UNIT_NOTE_ACTIONS, actor__isnull=False)
            .exclude(note="")
            .order_by("case_id", "at", "id")
            .values_list("case_id", "action", "note")
        )
        for case_id, action, note in rows:
            notes[case_id] = note
            if action == "submit":
                results[case_id] = note
    replies = []
    for order in orders:
        case = _case(order)
        if case is None:
            unit = order.unit.name if order.unit_id else ""
            replies.append(
                {"result": "", "finished_at": None, "unit": unit, "reply": "", "status": "待立案", "case": ""}
            )
            continue
        replies.append(
            {
                "result": results.get(case.pk, ""),
                "finished_at": case.closed_at,
                "unit": case.lead_unit.name if case.lead_unit_id else "",
                "reply": notes.get(case.pk, ""),
                "status": case.get_status_display(),
                "case": case.number,
            }
        )
    return replies
