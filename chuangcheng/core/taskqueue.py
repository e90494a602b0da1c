"""The Celery task class of the project: an enqueue never fails a request because the broker is down.

Every ``task.delay(...)``/``apply_async`` goes through ``ResilientTask.apply_async``. When the broker (Redis)
cannot take the message, the task runs here and now instead, as in the embedded default (``Task.apply``:
slower for this request, but the work happens; its own failures are logged, not raised into the caller).
One warning per process; after a failure the broker is not tried again for ``RETRY_SECONDS``, so a batch of
enqueues costs one failed connection, not one each.
"""

from __future__ import annotations

import logging
import time

from celery import Task

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
_state = {"down_until": 0.0, "warned": False}


def broker_available() -> bool:
    return time.monotonic() >= _state["down_until"]


def _broker_failed(task_name: str, exc: Exception) -> None:
    _state["down_until"] = time.monotonic() + RETRY_SECONDS
    if not _state["warned"]:
        _state["warned"] = True
        logger.warning(
            "Broker unavailable (%s: %s) when enqueuing %s; running tasks in-process until it is back",
            type(exc).__name__,
            exc,
            task_name,
        )


def reset() -> None:
    _state.update(down_until=0.0, warned=False)


class ResilientTask(Task):
    def apply_async(self, args=None, kwargs=None, task_id=None, producer=None, link=None, link_error=None, **options):
        if self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, task_id, producer, link, link_error, **options)
        if broker_available():
            try:
                return super().apply_async(args, kwargs, task_id, producer, link, link_error, **options)
            except Exception as exc:  # kombu.OperationalError, OSError, redis errors: the broker is optional
                _broker_failed(self.name, exc)
        return self.apply(args, kwargs, task_id=task_id, link=link, link_error=link_error, throw=False)
