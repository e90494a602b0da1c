"""Periodic work: seal audit rows whose after-commit sealing failed; verify every chain daily."""

from celery import shared_task

from chuangcheng.audit.services import seal_pending
from chuangcheng.audit.verification import run_verification


@shared_task(name="audit.seal_pending")
def seal_pending_task() -> int:
    return seal_pending()


@shared_task(name="audit.verify")
def verify_task() -> bool:
    """The daily verification the office sees on /audit/ (stored like a run started from the page)."""
    return run_verification().ok
