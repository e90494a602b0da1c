"""Concurrent writers on PostgreSQL: nobody waits on the audit chain, and the chain stays valid."""

import threading

import pytest
from django.db import connection, connections, transaction

from chuangcheng.audit.models import AuditEvent
from chuangcheng.audit.services import pending_count, record, seal_pending, verify_audit_chain
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL（跨连接的并发事务）")


def _run(threads):
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)


def test_concurrent_transactions_produce_one_valid_chain():
    unit = UnitFactory()
    workers, per_transaction, rounds = 8, 3, 5
    barrier = threading.Barrier(workers)
    errors = []

    def work(n):
        try:
            barrier.wait(timeout=20)
            for r in range(rounds):
                with transaction.atomic():
                    for i in range(per_transaction):
                        record(actor=None, verb="test.concurrent", target=unit, changes={"w": [n, r * 10 + i]})
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    _run([threading.Thread(target=work, args=(n,)) for n in range(workers)])
    assert errors == []
    seal_pending()  # nothing should be left, but make the assertion independent of thread timing
    rows = list(AuditEvent.objects.filter(verb="test.concurrent").order_by("seq"))
    assert len(rows) == workers * per_transaction * rounds
    assert pending_count() == 0
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == len(set(seqs))
    assert verify_audit_chain() == []


def test_an_open_transaction_does_not_block_others_and_is_sealed_after_its_commit():
    unit = UnitFactory()
    recorded, release = threading.Event(), threading.Event()
    ids = {}

    def slow():
        try:
            with transaction.atomic():
                ids["slow"] = record(actor=None, verb="test.slow", target=unit).pk
                recorded.set()
                assert release.wait(timeout=30)
        finally:
            connections.close_all()

    def fast():
        try:
            with transaction.atomic():
                ids["fast"] = record(actor=None, verb="test.fast", target=unit).pk
        finally:
            connections.close_all()

    slow_thread = threading.Thread(target=slow)
    slow_thread.start()
    assert recorded.wait(timeout=30)
    fast_thread = threading.Thread(target=fast)
    fast_thread.start()
    fast_thread.join(timeout=10)
    assert not fast_thread.is_alive(), "a second writer waited for the first writer's open transaction"
    fast_row = AuditEvent.objects.get(pk=ids["fast"])
    assert fast_row.is_sealed  # sealed right after its own commit
    assert not AuditEvent.objects.filter(pk=ids["slow"]).exists()  # not committed yet: invisible
    release.set()
    slow_thread.join(timeout=30)
    slow_row = AuditEvent.objects.get(pk=ids["slow"])
    assert slow_row.pk < fast_row.pk and slow_row.seq > fast_row.seq  # chain order is commit order
    assert slow_row.prev_hash == fast_row.hash
    assert verify_audit_chain() == []
