"""Thin tasks: deliver one resident notice; sweep case events into notices (periodic); open the cases
of 12345 orders saved without one (after each import, and periodically)."""

from celery import shared_task

from chuangcheng.public.services import hotline, notices


@shared_task(bind=True, max_retries=3, name="public.deliver_notice")
def deliver_notice(self, notice_id: int) -> str:
    notice = notices.deliver_notice(notice_id=notice_id)
    if notice.status == "failed" and self.request.retries < self.max_retries and not self.request.is_eager:
        raise self.retry(countdown=60 * 2**self.request.retries)
    return notice.status


@shared_task(bind=True, max_retries=3, name="public.deliver_notices")
def deliver_notices(self, notice_ids: list[int]) -> list[str]:
    """The notices of one event in one go; a retry takes only those the gateway failed."""
    delivered = notices.deliver_notices(notice_ids=notice_ids)
    failed = [notice.pk for notice in delivered if notice.status == "failed"]
    if failed and self.request.retries < self.max_retries and not self.request.is_eager:
        raise self.retry(args=[failed], countdown=60 * 2**self.request.retries)
    return [notice.status for notice in delivered]


@shared_task(name="public.sync_reporter_notices")
def sync_reporter_notices() -> int:
    return notices.sync_case_notices()


@shared_task(name="public.open_pending_order_cases")
def open_pending_order_cases_task() -> dict:
    """12345 orders saved without a case (an import interrupted after its commit): open them."""
    result = hotline.open_pending_order_cases()
    return {"opened": result.opened, "placed": result.placed, "routed": result.routed, "failed": len(result.failed)}
