"""The one place that talks to the cases app: opening a case for an accepted report, and reading a
case's state for the public (status label, open/closed, responsible unit). 12345 orders have their
own bridge, ``services.hotline.bridge``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from chuangcheng.cases import services as case_services
from chuangcheng.cases import workflow
from chuangcheng.cases.models import CaseSource, CaseStatus, CaseTransition
from chuangcheng.cases.models.cases import OPEN_STATUSES
from chuangcheng.core.fetch import Select
from chuangcheng.places.addresses import match_address

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
        return accepted_state(unit_name=unit_name, moderated_at=report.moderated_at)
    return accepted_state(
        unit_name=unit_name,
        moderated_at=report.moderated_at,
        case_status=case.status,
        lead_unit_name=case.lead_unit.name if case.lead_unit_id else "",
        case_updated_at=case.status_changed_at or case.created_at,
        deadline=case.deadline,
        closed_at=case.closed_at,
    )


STATUS_LABELS = dict(CaseStatus.choices)


def accepted_state(
    *,
    unit_name: str | None,
    moderated_at,
    case_status: str | None = None,
    lead_unit_name: str | None = "",
    case_updated_at=None,
    case_created_at=None,
    deadline=None,
    closed_at=None,
) -> PublicState:
    """``state_of`` an accepted report from plain values (lists read them without model instances); no case:
    ``case_status`` None."""
    if case_status is None:
        return PublicState("已受理", True, unit_name or "", moderated_at, None)
    is_open = case_status not in CLOSED_STATUSES
    updated = case_updated_at or case_created_at
    return PublicState(
        STATUS_LABELS.get(case_status, case_status), is_open, lead_unit_name or unit_name or "", updated, deadline,
        closed_at,
    )  # fmt: skip


def _title(category, text: str) -> str:
    text = " ".join((text or "").split())
    head = f"{category.name}：" if category is not None else ""
    return (head + text)[:60] or "市民反映问题"


def _named_site(report):
    """The site an address-only report names (its case is then placed and routed on that site)."""
    if report.lng is not None or not report.address:
        return None
    found = match_address(report.address)
    return found.site if found is not None else None


def open_case_for_report(*, report, actor, save: bool = True):
    """Create, register and route the case of an accepted report (source citizen, original photos).
    ``save`` False: the report gets its case in memory only (the caller saves it with its own changes)."""
    if report.case_id:
        return report.case
    site = _named_site(report)
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
            site=site,
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
    if save:
        report.save(update_fields=["case", "updated_at"])
    return case


# What the public is told for each case action (None: internal, not shown). Notes are never shown:
# they are written for the units and the office.
PUBLIC_ACTIONS = {
    "register": "已立案",
    "invalidate": "不予立案",
    "dispatch": "已派遣至责任单位",
    "reroute": "已改派至责任单位",
    "sign": "责任单位已签收",
    "start": "开始整改",
    "approve_extension": "整改期限已延长",
    "approve_deferral": "已纳入挂账整改计划，分阶段整改",
    "resume": "恢复整改",
    "submit": "整改完成，等待核查",
    "verify": "核查通过，已办结",
    "send_back": "核查未通过，返工整改",
    "merge": "已与同类问题合并办理",
    "supervise": "已督办",
    "escalate": "已提级督办",
}
# Case actions that produce a notice to the reporter: action -> notice event.
NOTICE_ACTIONS = {"dispatch": "dispatched", "reroute": "dispatched", "verify": "closed", "invalidate": "closed"}
DISPATCHES = ("dispatch", "reroute")


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    label: str
    unit: str = ""


def unit_names(unit_ids) -> dict[int, str]:
    from chuangcheng.org.models import Unit

    return dict(Unit.objects.filter(pk__in=[pk for pk in unit_ids if pk]).values_list("pk", "name"))


def lead_units_at(case_ids) -> dict[int, int | None]:
    """For every transition of the given cases, the lead unit the case had right after it (routing
    records the unit on register, assignment or dispatch; later steps inherit it)."""
    units: dict[int, int | None] = {}
    current: dict[int, int | None] = {}
    rows = CaseTransition.objects.filter(case_id__in=list(case_ids)).order_by("case_id", "at", "id")
    for pk, case_id, data in rows.values_list("id", "case_id", "data"):
        if isinstance(data, dict) and "lead_unit" in data:
            current[case_id] = data["lead_unit"]
        units[pk] = current.get(case_id)
    return units


def case_timeline(case_ids: list[int]) -> list[TimelineEntry]:
    """The public steps of the given cases, oldest first (the unit named where the case was sent to one)."""
    rows = list(
        CaseTransition.objects.filter(case_id__in=case_ids, action__in=PUBLIC_ACTIONS)
        .order_by("at", "id")
        .values_list("id", "action", "at")
    )
    units = lead_units_at(case_ids) if any(action in NOTICE_ACTIONS for _, action, _ in rows) else {}
    names = unit_names(set(units.values()))
    return [
        TimelineEntry(at, PUBLIC_ACTIONS[action], names.get(units.get(pk), "") if action in DISPATCHES else "")
        for pk, action, at in rows
    ]


_STEPS = Select(CaseTransition, fields=("action", "data"))  # its SQL written once per process (core.fetch)


def new_case_notice_steps(case_id: int) -> list[tuple[int, str, int | None]]:
    """``(transition id, action, lead unit right after it)`` of a case's notice-worthy transitions, oldest first,
    in one query: what ``notice_transitions`` and ``lead_units_at`` find for a case just taken in."""
    steps, current = [], None
    where, order = f"{_STEPS.col('case')} = %s", f"{_STEPS.col('at')}, {_STEPS.col('id')}"
    rows = [(t.pk, t.action, t.data) for t in _STEPS.fetch(where, [case_id], order=order)]
    for pk, action, data in rows:
        if isinstance(data, dict) and "lead_unit" in data:
            current = data["lead_unit"]
        if action in NOTICE_ACTIONS:
            steps.append((pk, action, current))
    return steps


def notice_transitions(*, since: datetime, report_ids=None):
    """``(report_id, transition)`` pairs for notice-worthy actions on cases linked to reports (the current
    case of a report; a disputed, closed case is no longer followed)."""
    from chuangcheng.public.models import Report

    reports = Report.objects.filter(case__isnull=False)
    if report_ids is not None:
        reports = reports.filter(pk__in=list(report_ids))
    by_case = dict(reports.values_list("case_id", "pk"))
    if not by_case:
        return []
    found = []
    case_ids = list(by_case)
    for start in range(0, len(case_ids), 900):
        chunk = case_ids[start : start + 900]
        transitions = CaseTransition.objects.filter(
            case_id__in=chunk, action__in=NOTICE_ACTIONS, at__gte=since
        ).order_by("at", "id")
        found.extend((by_case[t.case_id], t) for t in transitions)
    return found


def closed_case(report):
    """The report's case when it is closed (办结, after verification); None otherwise."""
    case = _case(report)
    return case if case is not None and case.status == CaseStatus.CLOSED else None


def rectifying_unit(case):
    """The unit that rectified a closed case: its lead unit when the evidence was last submitted (after
    any return and reroute, so never a unit that refused it), else its lead unit at closure."""
    from chuangcheng.org.models import Unit

    last_submit = (
        CaseTransition.objects.filter(case_id=case.pk, action=workflow.Action.SUBMIT)
        .order_by("-at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    unit_id = lead_units_at([case.pk]).get(last_submit) if last_submit else None
    unit_id = unit_id or case.lead_unit_id
    return Unit.objects.filter(pk=unit_id).first() if unit_id else None


def open_followup_case(*, report, previous, reason: str, attempt: int):
    """A resident disputes a closure: the problem goes back into the workflow as a new case through the
    cases app's intake, linked to the closed case as a rebound (反弹), registered, and dispatched to the
    unit that rectified the closed case (not to whatever the routing rules pick, which may be a unit
    that refused it), with the same cooperating units. The cases app has no reopen transition for a
    closed case (see the handover notes)."""
    rectifier = rectifying_unit(previous)
    photos = []
    for photo in report.photos.all():
        photo.original.open("rb")
        photos.append(photo.original)
    try:
        case = case_services.create_case(
            actor=None,
            source=CaseSource.CITIZEN,
            title=_title(report.category, f"市民对办结有异议：{report.shown_description}"),
            description=(
                f"原问题 {previous.number} 已于 {timezone.localtime(previous.closed_at):%Y-%m-%d} 办结，"
                "市民反映问题仍然存在。\n"
                f"市民异议：{reason}\n\n原始反映：{report.description}"
            ),
            # The disputed case's place and check item: the new case is the same problem at the same place.
            category=previous.category or report.category,
            check_item=previous.check_item,
            site=previous.site,
            area=previous.area or report.area,
            lng=report.lng if report.lng is not None else previous.lng,
            lat=report.lat if report.lng is not None else previous.lat,
            photos=photos,
            reporter_name=report.reporter_name,
            reporter_phone=report.reporter_phone,
            external_ref=f"{report.number}-异议{attempt}",
            rebound_of=previous,
        )
    finally:
        for photo in photos:
            photo.close()
    case = workflow.transition(case, workflow.Action.REGISTER, actor=None, note="市民对办结有异议，自动立案")
    if rectifier is not None:
        return workflow.transition(
            case,
            workflow.Action.DISPATCH,
            actor=None,
            note=f"市民对办结有异议，派回原整改单位（原案卷 {previous.number}）",
            lead_unit=rectifier,
            cooperating_units=list(previous.cooperating_units.all()),
            reason=f"原整改单位重新整改（{previous.number} 办结后市民异议）",
        )
    if case.lead_unit_id:
        return workflow.transition(case, workflow.Action.DISPATCH, actor=None, note="自动派遣")
    return case


@dataclass(frozen=True)
class PublicClosure:
    """What the exposure board shows of a closed problem: the unit's own reply and its after photos."""

    reply: str
    unit: str
    closed_at: datetime | None
    photo_ids: tuple[int, ...]


def public_closure(report) -> PublicClosure | None:
    """The reply (the rectifying unit's last submission note, never a system note) and the public copies of the
    evidence photos of the accepted attempt, for a report whose case is closed (办结); None otherwise."""
    from chuangcheng.cases.models import CasePhoto
    from chuangcheng.cases.models.timeline import PhotoKind

    case = closed_case(report)
    if case is None or report.status != "accepted":
        return None
    submit = (
        CaseTransition.objects.filter(case_id=case.pk, action=workflow.Action.SUBMIT, actor__isnull=False)
        .order_by("-at", "-id")
        .values_list("note", flat=True)
        .first()
    )
    evidence = CasePhoto.objects.filter(case_id=case.pk, kind=PhotoKind.EVIDENCE).exclude(public_image="")
    last_attempt = evidence.order_by("-attempt").values_list("attempt", flat=True).first()
    photo_ids = tuple(evidence.filter(attempt=last_attempt).order_by("id").values_list("pk", flat=True))
    unit = rectifying_unit(case)
    return PublicClosure(
        reply=(submit or "").strip(), unit=unit.name if unit else "", closed_at=case.closed_at, photo_ids=photo_ids
    )


def public_after_photo(pk: int):
    """An evidence photo's public (EXIF-free) copy when its case is closed and belongs to an accepted report."""
    from chuangcheng.cases.models import CasePhoto
    from chuangcheng.cases.models.timeline import PhotoKind

    return (
        CasePhoto.objects.filter(pk=pk, kind=PhotoKind.EVIDENCE, case__status=CaseStatus.CLOSED)
        .exclude(public_image="")
        .filter(case__citizen_report__status="accepted")
        .first()
    )
