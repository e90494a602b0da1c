"""Periodic work for campaigns: thin wrappers over services."""

from celery import shared_task
from django.utils import timezone

from chuangcheng.campaigns.services import escalate_overdue_notices, escalate_overdue_tasks
from chuangcheng.core.taskqueue import ResilientTask


@shared_task(name="campaigns.escalate_overdue_tasks")
def escalate_overdue_tasks_task() -> int:
    return len(escalate_overdue_tasks(today=timezone.localdate()))


@shared_task(name="campaigns.escalate_overdue_notices", base=ResilientTask)
def escalate_overdue_notices_task() -> int:
    return len(escalate_overdue_notices(today=timezone.localdate()))
