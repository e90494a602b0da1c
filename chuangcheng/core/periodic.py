"""The beat schedule without a broker: the embedded default's periodic jobs.

Production runs ``celery beat`` and workers. ``make run`` has neither (SQLite, no Redis), so
``manage.py run_periodic`` walks ``settings.CELERY_BEAT_SCHEDULE`` itself and runs each due task in
its own process, synchronously (``Task.apply``). Every scheduled task is idempotent, so a job run
twice (two runners, or a restart) does no harm; a file lock keeps a second runner from starting.

The runner is a plain loop over monotonic time: pure scheduling lives in ``Schedule`` (tested without
sleeping), the loop only sleeps until the next due job.
"""

from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    task: str
    every: float
    next_at: float


@dataclass
class Schedule:
    """Due-time bookkeeping for the entries of a Celery beat schedule (intervals in seconds)."""

    jobs: list[Job] = field(default_factory=list)

    @classmethod
    def from_beat(cls, beat: dict, *, now: float, stagger: float = 2.0) -> Schedule:
        jobs = []
        for index, (name, entry) in enumerate(sorted(beat.items())):
            every = entry["schedule"]
            if not isinstance(every, int | float):
                every = every.run_every.total_seconds()  # celery.schedules.schedule
            # Run everything once soon after start (staggered), so a fresh server has current figures.
            jobs.append(Job(name=name, task=entry["task"], every=float(every), next_at=now + index * stagger))
        return cls(jobs=jobs)

    def due(self, now: float) -> list[Job]:
        return [job for job in self.jobs if job.next_at <= now]

    def mark_ran(self, job: Job, now: float) -> None:
        job.next_at = now + job.every

    def seconds_until_next(self, now: float) -> float:
        return max(0.0, min((job.next_at for job in self.jobs), default=60.0) - now)


def run_task(task_name: str) -> bool:
    """Run one registered Celery task here and now; log and return False when it fails."""
    from config.celery import app

    app.loader.import_default_modules()
    task = app.tasks.get(task_name)
    if task is None:
        logger.error("定时任务 %s 未注册，跳过", task_name)
        return False
    result = task.apply()
    if result.failed():
        logger.error("定时任务 %s 失败：%s", task_name, result.result)
        return False
    return True


def acquire_lock(path: Path):
    """An exclusive, non-blocking file lock held for the runner's life; None when another runner holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def run_forever(
    *,
    beat: dict | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    runner: Callable[[str], bool] = run_task,
    max_rounds: int | None = None,
) -> int:
    """Run due jobs until stopped (or ``max_rounds`` loop turns, for tests). Returns the jobs run."""
    schedule = Schedule.from_beat(beat if beat is not None else settings.CELERY_BEAT_SCHEDULE, now=clock())
    ran = 0
    rounds = 0
    while max_rounds is None or rounds < max_rounds:
        rounds += 1
        for job in schedule.due(clock()):
            started = clock()
            ok = runner(job.task)
            ran += 1
            logger.info("定时任务 %s %s（%.1f 秒）", job.name, "完成" if ok else "失败", clock() - started)
            schedule.mark_ran(job, clock())
        sleep(min(schedule.seconds_until_next(clock()), 30.0))
    return ran
