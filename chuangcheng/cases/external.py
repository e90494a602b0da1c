"""Terms another system sets on the cases it sent us: a 12345 order's 受理时间 and 办理时限 when its
case opens, and what a re-import changes later (催办, a new 承办单位, a new deadline).

Each update lands on the case's timeline as one ``external_update`` row (never silently): the
note says what the other system changed, ``data`` carries old and new values. Applied in bulk
(one locking read, one UPDATE batch, one INSERT of timeline rows and one of audit rows), so a
batch intake can adopt the hotline's terms for hundreds of cases in a fixed number of statements.
Status is never touched here (``workflow.transition`` stays the only code that sets it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record_many
from chuangcheng.cases import chain
from chuangcheng.cases.models import Case, CaseTransition
from chuangcheng.cases.notify import UNIT_ROLES, case_url, unit_members
from chuangcheng.notifications.models import NotificationKind
from chuangcheng.notifications.services import notify

ACTION = "external_update"


@dataclass(frozen=True)
class ExternalUpdate:
    """``deadline``/``reported_at`` None: unchanged. ``alert``: a message for the lead unit's
    handlers and heads (e.g. a 催办), empty for none."""

    case_id: int
    note: str
    data: dict = field(default_factory=dict)
    deadline: date | None = None
    deadline_reason: str = ""
    reported_at: datetime | None = None
    alert: str = ""


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def apply_external_updates(*, actor, updates: list[ExternalUpdate]) -> list[Case]:
    """Apply each update to its case (locked), append its timeline row and audit it; returns the cases."""
    if not updates:
        return []
    ids = sorted({update.case_id for update in updates})
    cases = {c.pk: c for c in Case.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")}
    now = timezone.now()
    rows, audits, alerts, touched = [], [], [], {}
    for update in updates:
        case = cases.get(update.case_id)
        if case is None:
            continue
        changes = {}
        if update.deadline is not None and update.deadline != case.deadline:
            changes["deadline"] = [_plain(case.deadline), update.deadline.isoformat()]
            case.deadline = update.deadline
            case.deadline_days = None  # the other system set a date, not a number of working days
            case.deadline_reason = (update.deadline_reason or "来源系统规定的期限")[:200]
        if update.reported_at is not None and update.reported_at != case.created_at:
            changes["created_at"] = [_plain(case.created_at), update.reported_at.isoformat()]
            case.created_at = update.reported_at
        case.version += 1
        data = {**update.data, **{name: values[1] for name, values in changes.items()}}
        rows.append(
            chain.build(
                case,
                action=ACTION,
                from_status=case.status,
                to_status=case.status,
                actor=actor,
                note=update.note,
                data=data,
                at=now,
            )
        )
        audits.append(
            {"actor": actor, "verb": "cases.external_update", "target": case, "unit": case.lead_unit_id,
             "changes": changes or {"note": [None, update.note]}}
        )  # fmt: skip
        if update.alert and case.lead_unit_id:
            alerts.append((case, update.alert))
        touched[case.pk] = case
    fields = ["deadline", "deadline_days", "deadline_reason", "created_at", "version", "timeline_head"]
    Case.objects.bulk_update(list(touched.values()), fields, batch_size=500)
    CaseTransition.objects.bulk_create(rows)
    record_many(audits)
    if alerts:
        members = unit_members({case.lead_unit_id for case, _ in alerts})
        for case, message in alerts:
            users = [user for user, role in members.get(case.lead_unit_id, ()) if role in UNIT_ROLES]
            notify(
                actor=actor,
                users=users,
                kind=NotificationKind.CASE_ESCALATED,
                title=f"{case.number} {message}"[:200],
                body=case.title,
                url=case_url(case),
                case=case,
            )
    return list(touched.values())
