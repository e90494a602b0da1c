"""Periodic work: the safety net that seals audit rows whose after-commit sealing failed."""

from celery import shared_task

from chuangcheng.audit.services import seal_pending


@shared_task(name="audit.seal_pending")
def seal_pending_task() -> int:
    return seal_pending()
