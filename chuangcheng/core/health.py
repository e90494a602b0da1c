"""``/healthz``: is the database there, is the cache (Redis) there, is the broker there.

For load balancers and monitoring, so it needs no sign-in and reads no session. The answer is 200 while the
product can serve (the database answers), even with the cache or the broker down (``"status": "degraded"``:
the product carries on without them, see docs/operations.md), and 503 when the database does not answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from chuangcheng.core import cache as safe_cache

OK, DOWN, NOT_USED = "ok", "down", "not_used"


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means: not available
        return {"status": DOWN, "detail": f"数据库不可用（{type(exc).__name__}）"}
    return {"status": OK, "detail": "数据库正常"}


def _cache() -> dict:
    backend = settings.CACHES["default"]["BACKEND"]
    if "redis" not in backend.lower():
        return {"status": NOT_USED, "detail": "未配置 Redis，使用进程内缓存"}
    ok, detail = safe_cache.check()
    if ok:
        return {"status": OK, "detail": "Redis 缓存正常"}
    return {"status": DOWN, "detail": f"Redis 缓存不可用，已降级为进程内缓存（{detail}）"}


def _broker() -> dict:
    url = settings.CELERY_BROKER_URL or ""
    if settings.CELERY_TASK_ALWAYS_EAGER or url.startswith("memory://"):
        return {"status": NOT_USED, "detail": "未配置消息队列，后台任务在进程内执行"}
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=1) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
    except Exception as exc:  # kombu.OperationalError and friends
        return {"status": DOWN, "detail": f"消息队列不可用，后台任务改为在请求中执行（{type(exc).__name__}）"}
    return {"status": OK, "detail": "消息队列正常"}


@never_cache
def healthz(request):
    checks = {"database": _database(), "cache": _cache(), "broker": _broker()}
    if checks["database"]["status"] == DOWN:
        status, code = "down", 503
    elif any(check["status"] == DOWN for check in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code, json_dumps_params={"ensure_ascii": False})
