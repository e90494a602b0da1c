"""Sealing after commit by each process's sealing thread (``audit.sealer``): on PostgreSQL with a delay, the
rows of many transactions are sealed together shortly after their commit; with no delay (tests, SQLite) each
transaction's rows are sealed right after it commits."""

import time

import pytest
from django.db import connection, transaction

from chuangcheng.audit import sealer
from chuangcheng.audit.models import AuditEvent
from chuangcheng.audit.services import record, verify_audit_chain

pytestmark = pytest.mark.django_db(transaction=True)


def _record(n: int) -> None:
    with transaction.atomic():
        record(actor=None, verb="test.sealed", target_type="test", changes={"n": [None, n]})


def test_no_delay_seals_right_after_commit(settings):
    settings.AUDIT_SEAL_DELAY_MS = 0
    _record(1)
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the sealing thread runs on PostgreSQL only")
def test_sealing_thread_seals_many_commits_together(settings, request):
    settings.AUDIT_SEAL_DELAY_MS = 300
    request.addfinalizer(sealer.stop)
    started = time.monotonic()
    for n in range(5):
        _record(n)
    assert sealer.delay_seconds() == 0.3
    if time.monotonic() - started < 0.25:  # the five commits came within the delay: nothing sealed yet
        assert AuditEvent.objects.filter(seq__isnull=True).count() == 5
    deadline = time.monotonic() + 10
    while AuditEvent.objects.filter(seq__isnull=True).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(AuditEvent.objects.order_by("id").values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    assert verify_audit_chain() == []
