"""Periodic work for campaigns: thin wrappers over services."""

from celery import shared_task
from django.utils import timezone

from chuangcheng.campaigns.services import escalate_overdue_tasks


@shared_task(name="campaigns.escalate_overdue_tasks")
def escalate_overdue_tasks_task() -> int:
    return len(escalate_overdue_tasks(today=timezone.localdate()))
