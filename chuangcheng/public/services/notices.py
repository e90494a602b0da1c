"""Status notices to residents who left a mobile number: produced when their report is accepted or
rejected, when its case is dispatched and closed, and when a disputed closure goes back into the
workflow; delivered after commit through the configured SMS backend (``public.sms``).

Case events happen in the cases app, which offers no hook to other apps; ``sync_case_notices`` sweeps
the linked cases' timelines (idempotent by ``ReporterNotice.key``) and runs after every moderation and
dispute, from ``manage.py notify_reporters`` and from the periodic task ``public.sync_reporter_notices``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record, record_many
from chuangcheng.core.inserts import insert
from chuangcheng.public import casebridge, sms
from chuangcheng.public.models import NoticeEvent, NoticeStatus, Report, ReporterNotice
from chuangcheng.public.privacy import is_mobile

SWEEP_DAYS = 7
MESSAGES = {
    NoticeEvent.ACCEPTED: "您反映的问题（编号{number}）已受理，将派遣责任单位处理。",
    NoticeEvent.REJECTED: "您反映的问题（编号{number}）经审核不予受理，原因可凭编号和查询码查看。",
    NoticeEvent.DISPATCHED: "您反映的问题（编号{number}）已派遣至{unit}办理。",
    NoticeEvent.CLOSED: "您反映的问题（编号{number}）已办结。如问题仍存在，可在{days}天内凭编号和查询码提出异议。",
    NoticeEvent.REOPENED: "您对问题（编号{number}）办结结果的异议已收到，问题已重新派遣办理。",
}


def _message(report: Report, event: str, unit: str = "") -> str:
    from chuangcheng.public.services.disputes import dispute_days

    text = MESSAGES[event].format(number=report.number, unit=unit or "责任单位", days=dispute_days())
    return f"{text}查询进度：凭编号和查询码访问“随手拍·查询进度”。"[:300]


def produce_notice(*, report: Report, event: str, key: str, transition=None, unit: str = "") -> ReporterNotice | None:
    """Record a notice once per ``key`` (None when the report has no mobile number to send to)
    and send it after commit."""
    if not is_mobile(report.reporter_phone):
        return None
    notice, created = ReporterNotice.objects.get_or_create(
        key=f"{report.pk}:{key}",
        defaults={
            "report": report,
            "event": event,
            "transition": transition,
            "message": _message(report, event, unit),
            "backend": sms.backend_path().rsplit(".", 1)[-1],
        },
    )
    if created:
        from chuangcheng.public.tasks import deliver_notice as task

        transaction.on_commit(lambda: task.delay(notice.pk))
    return notice


def produce_acceptance_notices(*, report: Report, case) -> list[ReporterNotice]:
    """The notices of an acceptance (``accept_report``, the report's row locked and still waiting, so none exists
    yet): 已受理, and 已派遣 for each dispatch of the case just opened, with the keys ``sync_case_notices`` would
    give them; one INSERT, each sent after commit. None without a mobile number."""
    if not is_mobile(report.reporter_phone):
        return []
    backend = sms.backend_path().rsplit(".", 1)[-1]
    notices = [
        ReporterNotice(
            report=report,
            event=NoticeEvent.ACCEPTED,
            key=f"{report.pk}:accepted",
            message=_message(report, NoticeEvent.ACCEPTED),
            backend=backend,
        )
    ]
    steps = casebridge.new_case_notice_steps(case.pk) if case is not None else []
    units = {case.lead_unit_id: case.lead_unit.name} if steps and case.lead_unit_id else {}
    if any(unit_id not in units for _, action, unit_id in steps if action in casebridge.DISPATCHES):
        units |= casebridge.unit_names({unit_id for _, _, unit_id in steps} - set(units))
    for transition_id, action, unit_id in steps:
        event = casebridge.NOTICE_ACTIONS[action]
        unit = units.get(unit_id, "") if action in casebridge.DISPATCHES else ""
        notices.append(
            ReporterNotice(
                report=report,
                event=event,
                key=f"{report.pk}:t{transition_id}",
                transition_id=transition_id,
                message=_message(report, event, unit),
                backend=backend,
            )
        )
    insert(notices)  # one INSERT, its text kept per process (core.inserts)
    from chuangcheng.public.tasks import deliver_notices as task

    transaction.on_commit(partial(task.delay, [notice.pk for notice in notices]))
    return notices


def sync_case_notices(*, since: datetime | None = None, report_ids=None) -> int:
    """Produce the notices for case events since ``since`` (default: the last week); returns how many
    were new. Safe to run as often as wanted."""
    since = since or timezone.now() - timedelta(days=SWEEP_DAYS)
    pairs = casebridge.notice_transitions(since=since, report_ids=report_ids)
    if not pairs:
        return 0
    reports = Report.objects.in_bulk({report_id for report_id, _ in pairs})
    unit_at = casebridge.lead_units_at({transition.case_id for _, transition in pairs})
    names = casebridge.unit_names(set(unit_at.values()))
    made = 0
    for report_id, transition in pairs:
        event = casebridge.NOTICE_ACTIONS[transition.action]
        unit = names.get(unit_at.get(transition.pk), "") if transition.action in casebridge.DISPATCHES else ""
        before = ReporterNotice.objects.filter(key=f"{report_id}:t{transition.pk}").exists()
        notice = produce_notice(
            report=reports[report_id], event=event, key=f"t{transition.pk}", transition=transition, unit=unit
        )
        made += int(notice is not None and not before)
    return made


DELIVERED = (NoticeStatus.SENT, NoticeStatus.LOGGED)
DELIVERY_FIELDS = ["attempts", "backend", "status", "error", "provider_id", "sent_at"]


def _locked_notices():
    return ReporterNotice.objects.select_for_update(no_key=True, of=("self",)).select_related("report")


def _send(notice: ReporterNotice, backend) -> None:
    """Hand one notice to the SMS backend and note the outcome on it (unsaved); a gateway error is kept."""
    notice.attempts += 1
    notice.backend = getattr(backend, "name", type(backend).__name__)[:40]
    try:
        result = backend.send(phone=notice.report.reporter_phone, message=notice.message)
    except Exception as exc:  # any gateway failure is recorded, not raised into the caller's request
        notice.status, notice.error = NoticeStatus.FAILED, str(exc)[:500]
    else:
        notice.status = NoticeStatus.SENT if result.delivered else NoticeStatus.LOGGED
        notice.provider_id, notice.error = result.provider_id[:100], result.detail[:500]
        notice.sent_at = timezone.now() if result.delivered else None


def _save_outcomes(notices: list[ReporterNotice]) -> None:
    """One UPDATE per distinct outcome: the notices of one event through the log backend, or a failing gateway,
    share theirs; a gateway's receipts differ per message."""
    groups: dict[tuple, list[int]] = {}
    for notice in notices:
        groups.setdefault(tuple(getattr(notice, name) for name in DELIVERY_FIELDS), []).append(notice.pk)
    for values, ids in groups.items():
        ReporterNotice.objects.filter(pk__in=ids).update(**dict(zip(DELIVERY_FIELDS, values, strict=True)))


def _delivery_audit(notice: ReporterNotice) -> dict:
    return {
        "actor": None,
        "verb": f"public.notice_{notice.status}",
        "target": notice,
        "unit": notice.report.unit_id,
        "changes": {"status": [None, notice.status], "event": [None, notice.event], "backend": [None, notice.backend]},
    }


@transaction.atomic
def deliver_notice(*, notice_id: int) -> ReporterNotice:
    """Hand one notice to the SMS backend; a gateway error is kept on the notice (the task retries)."""
    notice = _locked_notices().get(pk=notice_id)
    if notice.status in DELIVERED:
        return notice
    _send(notice, sms.get_backend())
    notice.save(update_fields=DELIVERY_FIELDS)
    record(**_delivery_audit(notice))
    return notice


@transaction.atomic
def deliver_notices(*, notice_ids) -> list[ReporterNotice]:
    """``deliver_notice`` for the notices of one event (an acceptance's 已受理 and 已派遣) in one transaction: one
    read under lock, one UPDATE per distinct outcome, one audit INSERT. Returns the notices found, in id order."""
    notices = list(_locked_notices().filter(pk__in=list(notice_ids)).order_by("id"))
    waiting = [notice for notice in notices if notice.status not in DELIVERED]
    if waiting:
        backend = sms.get_backend()
        for notice in waiting:
            _send(notice, backend)
        _save_outcomes(waiting)
        record_many([_delivery_audit(notice) for notice in waiting])
    return notices
