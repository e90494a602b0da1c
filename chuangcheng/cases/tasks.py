"""Periodic work: a thin task over the escalation service."""

from celery import shared_task

from chuangcheng.cases.services import escalate_overdue_cases


@shared_task
def escalate_overdue_cases_task() -> dict:
    report = escalate_overdue_cases()
    return {"reminded": len(report.reminded), "supervised": len(report.supervised), "escalated": len(report.escalated)}
