"""Redis stopped: sign-in, case lists, case creation and the health endpoint go on (issue 14, item 1).

The cache is the real ``RedisCache`` pointed at a closed port (``REDIS_DOWN_CACHES``); before the fix every
request below answered 500 (``redis.exceptions.ConnectionError`` from an unguarded ``cache.get``).
"""

import logging
import socket
from datetime import date

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from chuangcheng.accounts.tests.factories import UserFactory
from chuangcheng.assessments.models import PeriodStatus
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.tests.conftest import world  # noqa: F401 (fixture)
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.core import cache as safe_cache
from chuangcheng.core import taskqueue, workdays
from chuangcheng.core.models import WorkdayOverride
from chuangcheng.core.testing import REDIS_DOWN_CACHES
from chuangcheng.places import lookup
from config.celery import app as celery_app

pytestmark = pytest.mark.django_db
PASSWORD = "Test-pass-2026"


@pytest.fixture
def redis_down():
    with override_settings(CACHES=REDIS_DOWN_CACHES):
        yield
    safe_cache.reset()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_login_works_and_still_throttles_with_redis_down(redis_down, settings):
    settings.LOGIN_MAX_FAILURES = 3
    user = UserFactory()
    response = Client().post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    client = Client()
    for _ in range(3):
        assert client.post("/login/", {"username": user.username, "password": "wrong"}).status_code == 400
    # counted in this process while Redis is away: the lock still holds
    assert client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 429


def test_case_list_and_creation_work_with_redis_down(redis_down, world):  # noqa: F811
    lookup.invalidate_index()
    case_in_state(world, CaseStatus.DISPATCHED)
    assert Client().get("/login/").status_code == 200
    page = Client()
    page.force_login(world.office)
    assert page.get("/cases/").status_code == 200
    response = api(world.office).get("/api/v1/cases/")
    assert response.status_code == 200 and response.json()["count"] == 1
    response = api(world.grid).post(
        "/api/v1/cases/", {"source": "patrol", "title": "路边垃圾", "lng": 120.005, "lat": 30.005}, format="json"
    )
    assert response.status_code == 201, response.content
    created = Case.objects.get(pk=response.json()["id"])
    assert created.area == world.area  # the point → area lookup still answered


def test_warning_is_logged_once_per_process_not_per_call(redis_down, caplog):
    caplog.set_level(logging.WARNING, logger="chuangcheng.core.cache")
    for _ in range(20):
        safe_cache.safe_get("x")
        safe_cache.safe_count("y", 60)
    safe_cache._state["down_until"] = 0.0  # the retry pause is over: Redis is tried again, still down
    safe_cache.safe_get("x")
    warnings = [r for r in caplog.records if r.name == "chuangcheng.core.cache" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert safe_cache.safe_count("y", 60) == 21  # counted in the process fallback meanwhile


def test_workday_calendar_rereads_the_database_while_redis_is_down(redis_down, monkeypatch):
    saturday = date(2026, 10, 10)
    assert not workdays.is_working_day(saturday)
    WorkdayOverride.objects.create(date=saturday, is_working_day=True, source="local")
    workdays.invalidate_local()
    assert workdays.is_working_day(saturday)
    # another process changed the table: seen once the down-token moves on (every DOWN_REFRESH_SECONDS)
    WorkdayOverride.objects.filter(date=saturday).delete()
    assert workdays.is_working_day(saturday)
    monkeypatch.setattr(safe_cache.time, "time", lambda: 10**10)
    assert not workdays.is_working_day(saturday)


def test_area_index_version_works_with_redis_down(redis_down, world):  # noqa: F811
    lookup.invalidate_index()  # the factories made areas without the services: this process rebuilds
    version = lookup.current_version()
    assert version.startswith("cache-down:")
    assert lookup.locate(120.005, 30.005)[0] == world.area


def test_health_says_redis_is_down(redis_down, settings):
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "down" and "Redis" in body["checks"]["cache"]["detail"]


def test_health_says_the_database_is_down(monkeypatch):
    from django.db import connection
    from django.db.utils import OperationalError

    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down" and response.json()["checks"]["database"]["status"] == "down"


def test_health_all_ok_in_the_embedded_default():
    body = Client().get("/healthz").json()
    assert body["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "not_used" and body["checks"]["broker"]["status"] == "not_used"


@pytest.fixture
def broker_down(settings):
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager, conf.broker_url = False, "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL = False, "redis://127.0.0.1:1/0"
    # Forget connections and producers made for an earlier broker (memory:// in other tests), or the
    # message would "succeed" into them and the task would never run.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    taskqueue.reset()
    yield
    conf.task_always_eager, conf.broker_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    taskqueue.reset()


def test_enqueue_with_the_broker_down_runs_the_task_in_process(broker_down, world, django_capture_on_commit_callbacks):  # noqa: F811
    from chuangcheng.assessments import services
    from chuangcheng.assessments.tests.factories import PeriodFactory

    period = PeriodFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_period_computation(period=period, actor=world.office)
    period.refresh_from_db()
    assert period.status == PeriodStatus.COMPUTED  # computed here and now, not lost with the message


def test_health_says_the_broker_is_down(broker_down):
    body = Client().get("/healthz").json()
    assert body["status"] == "degraded" and body["checks"]["broker"]["status"] == "down"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.3):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")
def test_with_the_real_redis_counts_are_shared_and_health_is_ok(settings):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"test-helperF-{socket.gethostname()}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        cache.delete("shared")
        assert safe_cache.safe_count("shared", 60) == 1
        assert cache.get("shared") == 1  # in Redis, not the process fallback
        first = safe_cache.version_token("ver")
        assert first == safe_cache.version_token("ver") and not first.startswith("cache-down")
        safe_cache.new_version("ver")
        assert safe_cache.version_token("ver") != first
        body = Client().get("/healthz").json()
        assert body["checks"]["cache"]["status"] == "ok"
        cache.delete_many(["shared", "ver"])
    safe_cache.reset()


def test_product_code_reaches_the_cache_only_through_core_cache():
    """A direct ``django.core.cache`` call would 500 again when Redis stops."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR) / "chuangcheng"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and str(path.relative_to(root)) not in ("core/cache.py", "core/testing.py")
        and "django.core.cache import" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
