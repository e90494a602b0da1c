"""Thin tasks over the outbox and the reminders (every one idempotent)."""

from celery import shared_task

from chuangcheng.core.taskqueue import ResilientTask
from chuangcheng.notifications import outbox, reminders


@shared_task(base=ResilientTask)
def deliver(delivery_id: int) -> bool:
    """The first attempt right after commit; retries are ``send_due`` (backoff per delivery)."""
    return outbox.send_delivery(delivery_id)


@shared_task(base=ResilientTask, name="notifications.send_due")
def send_due() -> int:
    return outbox.send_due_deliveries()


@shared_task(base=ResilientTask, name="notifications.remind")
def remind() -> int:
    return reminders.send_due_reminders()
