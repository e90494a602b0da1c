"""Thin tasks: send due outbound messages, queue pushes the listeners could not see, pull Open311.
(The app's default task class is ``core.taskqueue.ResilientTask``, see config/celery.py.)"""

from celery import shared_task

from chuangcheng.exchange.conf import setting
from chuangcheng.exchange.services import open311, outbox, triggers


@shared_task(name="exchange.deliver_due")
def deliver_due_task(limit: int | None = None) -> dict:
    run = outbox.deliver_due(limit=limit or setting("EXCHANGE_BATCH") * 20)
    return {"sent": run.sent, "retrying": run.retrying, "failed": run.failed}


@shared_task(name="exchange.enqueue_matching_cases")
def enqueue_matching_cases_task() -> int:
    return triggers.enqueue_matching_cases()


@shared_task(name="exchange.pull_open311")
def pull_open311_task() -> dict:
    return {code: {"created": r.created, "updated": r.updated} for code, r in open311.pull_due().items()}
