from datetime import datetime
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from chuangcheng.audit.models import AuditEvent
from chuangcheng.audit.services import pending_count, record, seal_pending, verify_audit_chain
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _three_events():
    unit = UnitFactory()
    events = [record(actor=None, verb=f"test.v{i}", target=unit, changes={"n": [i, i + 1]}) for i in range(3)]
    seal_pending()
    return [AuditEvent.objects.get(pk=e.pk) for e in events]


def test_record_writes_a_pending_row_without_hash():
    event = record(actor=None, verb="test.pending", target=UnitFactory())
    event.refresh_from_db()
    assert event.seq is None and event.hash is None and event.prev_hash == ""
    assert not event.is_sealed and pending_count() == 1


def test_row_is_sealed_right_after_its_transaction_commits(django_capture_on_commit_callbacks):
    unit = UnitFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            first = record(actor=None, verb="test.a", target=unit)
            second = record(actor=None, verb="test.b", target=unit)
    assert len(callbacks) == 1  # one sealing per transaction, however many rows it recorded
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_sealed and second.is_sealed and second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    assert pending_count() == 0 and verify_audit_chain() == []


def test_rolled_back_transaction_leaves_nothing_to_seal(django_capture_on_commit_callbacks):
    unit = UnitFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            record(actor=None, verb="test.rolled_back", target=unit)
            raise RuntimeError
    assert callbacks == [] and not AuditEvent.objects.filter(verb="test.rolled_back").exists()


def test_failed_sealing_does_not_fail_the_committed_work(django_capture_on_commit_callbacks):
    unit = UnitFactory()
    with mock.patch("chuangcheng.audit.services.seal_pending", side_effect=RuntimeError("db gone")):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                event = record(actor=None, verb="test.unsealed", target=unit)
    assert AuditEvent.objects.get(pk=event.pk).seq is None  # left for the safety net
    out = StringIO()
    call_command("seal_audit", stdout=out)
    assert "已封存 1 条" in out.getvalue()
    assert AuditEvent.objects.get(pk=event.pk).is_sealed and verify_audit_chain() == []


def test_chain_links_each_event_to_the_previous():
    first, second, third = _three_events()
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert verify_audit_chain() == []
    call_command("verify_audit", stdout=StringIO())


def test_sealing_continues_the_chain_in_batches():
    first, _, third = _three_events()
    unit = UnitFactory()
    later = [record(actor=None, verb="test.later", target=unit) for _ in range(5)]
    assert seal_pending(batch=2) == 5
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.pk for r in rows][:3] == [first.pk, AuditEvent.objects.get(seq=first.seq + 1).pk, third.pk]
    assert rows[3].prev_hash == third.hash and {r.pk for r in rows[3:]} == {e.pk for e in later}
    assert verify_audit_chain() == []


def test_verify_audit_seals_pending_rows_before_checking():
    _three_events()
    pending = record(actor=None, verb="test.pending", target=UnitFactory())
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "已先封存 1 条" in out.getvalue() and "校验通过" in out.getvalue()
    assert AuditEvent.objects.get(pk=pending.pk).is_sealed


def test_verify_audit_without_sealing_reports_pending_rows():
    _three_events()
    record(actor=None, verb="test.pending", target=UnitFactory())
    out = StringIO()
    call_command("verify_audit", "--no-seal", stdout=out)
    assert "1 条审计记录待封存" in out.getvalue() and pending_count() == 1


def test_altered_row_is_named():
    _, second, _ = _three_events()
    AuditEvent.objects.filter(pk=second.pk).update(changes={"n": [0, 99]})
    assert verify_audit_chain() == [second.pk]
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert f"审计日志第 {second.pk} 条记录被篡改" in err.getvalue()


def test_altered_row_is_named_after_later_rows_were_sealed():
    _, second, _ = _three_events()
    record(actor=None, verb="test.after", target=UnitFactory())
    AuditEvent.objects.filter(pk=second.pk).update(verb="test.forged")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    assert f"审计日志第 {second.pk} 条记录被篡改" in err.getvalue()
    assert verify_audit_chain() == [second.pk]


def test_deleted_row_breaks_the_chain_at_its_successor():
    _, second, third = _three_events()
    AuditEvent.objects.filter(pk=second.pk).delete()
    assert verify_audit_chain() == [third.pk]


def test_row_taken_out_of_the_chain_is_named_with_its_successor():
    _, second, third = _three_events()
    AuditEvent.objects.filter(pk=second.pk).update(seq=None, changes={"n": [0, 99]})
    assert verify_audit_chain() == [third.pk, second.pk]


def test_event_written_at_a_local_time_verifies_after_reading_back():
    local = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    with mock.patch("django.utils.timezone.now", return_value=local):
        record(actor=None, verb="test.local_time", target=UnitFactory())
    seal_pending()
    assert verify_audit_chain() == []
