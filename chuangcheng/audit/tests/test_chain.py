from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chuangcheng.audit.models import AuditEvent
from chuangcheng.audit.services import record, verify_audit_chain
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _three_events():
    unit = UnitFactory()
    return [record(actor=None, verb=f"test.v{i}", target=unit, changes={"n": [i, i + 1]}) for i in range(3)]


def test_chain_links_each_event_to_the_previous():
    first, second, third = _three_events()
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert verify_audit_chain() == []
    call_command("verify_audit")


def test_altered_row_is_named():
    _, second, _ = _three_events()
    AuditEvent.objects.filter(pk=second.pk).update(changes={"n": [0, 99]})
    assert verify_audit_chain() == [second.pk]
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_deleted_row_breaks_the_chain_at_its_successor():
    _, second, third = _three_events()
    AuditEvent.objects.filter(pk=second.pk).delete()
    assert verify_audit_chain() == [third.pk]


def test_event_written_at_a_local_time_verifies_after_reading_back():
    local = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    with mock.patch("django.utils.timezone.now", return_value=local):
        record(actor=None, verb="test.local_time", target=UnitFactory())
    assert verify_audit_chain() == []
