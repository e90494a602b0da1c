"""Telling people about escalated tasks, through the notifications app when it offers a service.

The notifications app is built by another engineer; until it exposes ``services.notify`` the escalation
is recorded in the task timeline and the audit log only.
"""

from __future__ import annotations

import logging
from importlib import import_module
from importlib.util import find_spec

from chuangcheng.campaigns.models import Task

logger = logging.getLogger(__name__)


def _notify_service():
    if find_spec("chuangcheng.notifications.services") is None:
        return None
    return getattr(import_module("chuangcheng.notifications.services"), "notify", None)


def notify_escalations(task_ids: list[int]) -> int:
    """Send one message per escalated task to its lead unit; returns how many were sent."""
    notify = _notify_service()
    if notify is None:
        return 0
    sent = 0
    for task in Task.objects.filter(pk__in=task_ids).select_related("lead_unit"):
        try:
            notify(
                unit=task.lead_unit,
                title=f"任务超期督办：{task.title}",
                body=f"任务“{task.title}”已超过完成时限{task.deadline:%Y-%m-%d}，督办级别{task.escalation_level}。",
                target=task,
            )
            sent += 1
        except TypeError:
            logger.warning("notifications.services.notify has an unexpected signature; escalation not sent")
            return sent
    return sent
