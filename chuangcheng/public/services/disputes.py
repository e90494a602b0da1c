"""A resident disputes a closure from the tracking page (number + follow code): within the dispute
window, at most a few times per report, rate-limited per address and per report. The problem goes back
into the case workflow (``casebridge.open_followup_case``) and the report follows the new case."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.core.errors import Conflict, DomainError
from chuangcheng.public import casebridge
from chuangcheng.public.models import NoticeEvent, Report, ReportDispute
from chuangcheng.public.privacy import keyed_hash
from chuangcheng.public.ratelimit import check_and_hit
from chuangcheng.public.services.notices import produce_notice, sync_case_notices

DEFAULT_DISPUTE_DAYS = 15
DEFAULT_MAX_DISPUTES = 2
MIN_REASON = 5


def dispute_days() -> int:
    """Days after 办结 during which a resident may dispute it (setting ``PUBLIC_DISPUTE_DAYS``)."""
    return int(getattr(settings, "PUBLIC_DISPUTE_DAYS", DEFAULT_DISPUTE_DAYS))


def max_disputes() -> int:
    return int(getattr(settings, "PUBLIC_DISPUTE_MAX", DEFAULT_MAX_DISPUTES))


def dispute_deadline(report: Report):
    """Until when the report's closure may be disputed (None: not closed, or no disputes left)."""
    case = casebridge.closed_case(report)
    if case is None or case.closed_at is None or report.disputes.count() >= max_disputes():
        return None
    deadline = case.closed_at + timedelta(days=dispute_days())
    return deadline if deadline >= timezone.now() else None


@transaction.atomic
def dispute_closure(*, report: Report, reason: str, client_address: str) -> ReportDispute:
    reason = " ".join((reason or "").split())
    if len(reason) < MIN_REASON:
        raise DomainError(f"请说明问题仍然存在的情况（至少{MIN_REASON}个字）", field="reason")
    if len(reason) > 500:
        raise DomainError("异议理由不能超过500字", field="reason")
    address = keyed_hash("addr", client_address)
    check_and_hit({"dispute:addr": address, "dispute:report": str(report.pk)})
    report = Report.objects.select_for_update(no_key=True).get(pk=report.pk)
    previous = casebridge.closed_case(report)
    if previous is None:
        raise Conflict("只有已办结的问题可以提出异议", field="reason")
    if previous.closed_at and previous.closed_at + timedelta(days=dispute_days()) < timezone.now():
        raise DomainError(f"办结已超过{dispute_days()}天，不能再提出异议；如问题仍然存在，请重新反映", field="reason")
    count = report.disputes.count()
    if count >= max_disputes():
        raise DomainError(f"同一问题最多可提出{max_disputes()}次异议，如问题仍然存在，请重新反映", field="reason")
    dispute = ReportDispute.objects.create(report=report, reason=reason, previous_case=previous, address_hash=address)
    new_case = casebridge.open_followup_case(report=report, previous=previous, reason=reason, attempt=count + 1)
    dispute.new_case = new_case
    dispute.save(update_fields=["new_case"])
    report.case = new_case
    report.save(update_fields=["case", "updated_at"])
    record(
        actor=None,
        verb="public.closure_disputed",
        target=report,
        unit=report.unit,
        changes={"case": [previous.number, new_case.number], "reason": [None, reason]},
    )
    produce_notice(report=report, event=NoticeEvent.REOPENED, key=f"d{dispute.pk}")
    sync_case_notices(since=dispute.created_at - timedelta(seconds=1), report_ids=[report.pk])
    return dispute
