"""Sealing after commit, once per short window per process instead of once per transaction.

``record`` leaves its rows pending and asks for a seal after the transaction commits (``services._schedule_seal``).
Sealing one transaction's rows costs a transaction of its own (the chain lock, the pending rows, the chain head,
the hashes, the checkpoint: seven statements), which at a peak of single intakes is a third of each request's
statements. So on PostgreSQL, with ``AUDIT_SEAL_DELAY_MS`` > 0 (settings; 0 in tests), the after-commit call only
wakes this process's sealing thread, which waits the delay (gathering the rows of every request committed
meanwhile) and seals them all in one ``seal_pending``. A row is sealed within about the delay of its commit, as
before in order of id; if the process dies first, ``manage.py seal_audit`` and the beat task ``audit.seal_pending``
(every minute) seal it, as they do for a failed after-commit seal. SQLite (one writer at a time) and a delay of 0
seal in the request, right after its commit.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

_state: dict = {"thread": None, "pid": None, "stop": False}
_wake = threading.Event()
_lock = threading.Lock()


def delay_seconds() -> float:
    if connection.vendor != "postgresql":
        return 0.0
    return max(getattr(settings, "AUDIT_SEAL_DELAY_MS", 0), 0) / 1000


def request_seal() -> None:
    """Seal the committed pending rows: now (no delay), or by this process's sealing thread within the delay."""
    from chuangcheng.audit.services import seal_pending

    delay = delay_seconds()
    if not delay:
        seal_pending()
        return
    with _lock:
        thread = _state["thread"]
        if thread is None or _state["pid"] != os.getpid() or not thread.is_alive():  # a forked worker starts its own
            thread = threading.Thread(target=_run, args=(delay,), name="audit-sealer", daemon=True)
            _state.update(thread=thread, pid=os.getpid(), stop=False)
            thread.start()
            atexit.register(stop)  # a worker that exits seals what is pending first
    _wake.set()


def _run(delay: float) -> None:
    from django.db import close_old_connections

    from chuangcheng.audit.services import seal_pending

    while True:
        _wake.wait()
        if not _state["stop"]:
            time.sleep(delay)  # the requests committing meanwhile are sealed by the same call
        _wake.clear()
        try:
            seal_pending()
        except Exception:  # the periodic seal_audit picks the rows up; the thread carries on
            logger.exception("审计日志：批量封存失败，待定时任务补封")
            close_old_connections()
        if _state["stop"]:
            connection.close()
            return


def stop() -> None:
    """Seal what is pending and end this process's sealing thread, closing its connection (at exit; tests)."""
    with _lock:
        thread = _state["thread"]
        if thread is None or not thread.is_alive():
            return
        _state["stop"] = True
        _wake.set()
    thread.join(timeout=10)
