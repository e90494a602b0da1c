"""The embedded beat runner: every schedule entry runs, on time, and a real task changes the database."""

import pytest
from django.conf import settings
from django.core.management import call_command

from chuangcheng.core import periodic


def test_schedule_runs_every_job_once_at_start_then_at_its_interval():
    beat = {"fast": {"task": "a", "schedule": 60.0}, "slow": {"task": "b", "schedule": 600.0}}
    schedule = periodic.Schedule.from_beat(beat, now=1000.0, stagger=2.0)
    assert [job.task for job in schedule.due(1000.0)] == ["a"]
    assert [job.task for job in schedule.due(1002.0)] == ["a", "b"]
    for job in schedule.due(1002.0):
        schedule.mark_ran(job, 1002.0)
    assert schedule.due(1061.0) == []
    assert [job.task for job in schedule.due(1062.0)] == ["a"]
    assert schedule.seconds_until_next(1002.0) == 60.0


def test_run_forever_runs_due_jobs_and_keeps_going_after_a_failure():
    now = [0.0]
    ran = []

    def runner(task):
        ran.append(task)
        return task != "bad"

    def sleep(seconds):
        now[0] += max(seconds, 1.0)

    beat = {"bad": {"task": "bad", "schedule": 10.0}, "good": {"task": "good", "schedule": 10.0}}
    count = periodic.run_forever(beat=beat, clock=lambda: now[0], sleep=sleep, runner=runner, max_rounds=6)
    assert ran.count("bad") >= 2 and ran.count("good") >= 2
    assert count == len(ran)


def test_every_beat_entry_names_a_registered_task():
    from config.celery import app

    app.loader.import_default_modules()
    missing = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] not in app.tasks]
    assert missing == []


@pytest.mark.django_db(transaction=True)
def test_run_periodic_once_runs_the_dashboard_refresh():
    from chuangcheng.cases.tests.factories import CaseFactory
    from chuangcheng.dashboard.models import UnitCaseStat

    CaseFactory()
    assert not UnitCaseStat.objects.exists()
    call_command("run_periodic", "--once")
    assert sum(UnitCaseStat.objects.values_list("open", flat=True)) == 1


def test_second_runner_does_not_start(tmp_path):
    first = periodic.acquire_lock(tmp_path / "lock")
    assert first is not None
    assert periodic.acquire_lock(tmp_path / "lock") is None
    first.close()
    again = periodic.acquire_lock(tmp_path / "lock")
    assert again is not None
    again.close()
