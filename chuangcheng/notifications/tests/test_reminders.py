"""Reminders until acknowledged: interval, quiet period, urgent, idempotence, acknowledgement stops them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.notifications import reminders, services
from chuangcheng.notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo("Asia/Shanghai")


def at(day, hour, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=LOCAL)


@pytest.fixture
def head(world):
    world.head.phone = "13900001111"
    world.head.save()
    return world.head


def overdue(head, **kwargs):
    [note] = services.notify(actor=None, users=[head], kind="case_escalated", title="督办：问题已超期", **kwargs)
    return note


def due_at(note, moment):
    Notification.objects.filter(pk=note.pk).update(next_reminder_at=moment)


def test_kinds_of_the_policy_require_acknowledgement_others_do_not(head):
    note = overdue(head)
    assert note.requires_ack and note.next_reminder_at is not None
    [plain] = services.notify(actor=None, users=[head], kind="case_closed", title="问题已办结")
    assert not plain.requires_ack and plain.next_reminder_at is None
    [notice] = services.notify(actor=None, users=[head], kind="general", title="抄告单", requires_ack=True)
    assert notice.requires_ack


def test_due_reminder_is_resent_by_sms_and_the_job_is_idempotent(head):
    note = overdue(head)
    due_at(note, at(7, 9))
    assert reminders.send_due_reminders(now=at(7, 10)) == 1
    assert reminders.send_due_reminders(now=at(7, 10)) == 0
    note.refresh_from_db()
    assert note.reminders_sent == 1 and note.read_at is None and note.next_reminder_at == at(7, 14)
    sms = Delivery.objects.filter(channel="sms", notification=note).order_by("id").last()
    assert "第1次" in sms.payload["body"] and sms.recipient == head.phone
    assert AuditEvent.objects.filter(verb="notifications.reminded").count() == 1


def test_reminder_due_in_the_quiet_period_waits_until_it_ends(head):
    note = overdue(head)
    due_at(note, at(7, 22, 30))
    assert reminders.send_due_reminders(now=at(7, 23)) == 0
    note.refresh_from_db()
    assert note.next_reminder_at == at(8, 7, 30) and note.reminders_sent == 0
    assert reminders.send_due_reminders(now=at(8, 7, 29)) == 0
    assert reminders.send_due_reminders(now=at(8, 7, 31)) == 1


def test_quiet_period_after_midnight_ends_the_same_morning(head):
    note = overdue(head)
    due_at(note, at(8, 1))
    reminders.send_due_reminders(now=at(8, 2))
    note.refresh_from_db()
    assert note.next_reminder_at == at(8, 7, 30)


def test_urgent_reminders_pass_the_quiet_period_only_when_allowed(head, world):
    note = overdue(head, urgent=True)
    due_at(note, at(7, 23))
    assert reminders.send_due_reminders(now=at(7, 23, 5)) == 0
    reminders.update_policy(actor=world.office, urgent_in_quiet=True)
    due_at(note, at(7, 23))
    assert reminders.send_due_reminders(now=at(7, 23, 5)) == 1


def test_acknowledgement_stops_reminders(head):
    note = overdue(head)
    client = APIClient()
    client.force_authenticate(head)
    response = client.post(f"/api/v1/notifications/{note.pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    note.refresh_from_db()
    assert note.next_reminder_at is None
    due_at(note, at(7, 9))  # even if a reminder time were left behind
    assert reminders.send_due_reminders(now=at(7, 10)) == 0
    assert AuditEvent.objects.filter(verb="notifications.acknowledged").count() == 1


def test_only_the_named_person_acknowledges(head, world):
    note = overdue(head)
    with pytest.raises(NotPermitted):
        reminders.acknowledge(actor=world.handler, notification=note)
    client = APIClient()
    client.force_authenticate(world.handler)
    assert client.post(f"/api/v1/notifications/{note.pk}/acknowledge/").status_code == 404


def test_reminders_stop_after_the_maximum(head, world):
    reminders.update_policy(actor=world.office, max_reminders=1)
    note = overdue(head)
    due_at(note, at(7, 9))
    assert reminders.send_due_reminders(now=at(7, 10)) == 1
    assert reminders.send_due_reminders(now=at(7, 15)) == 0
    note.refresh_from_db()
    assert note.next_reminder_at is None and note.reminders_sent == 1


def test_policy_is_validated_and_kept_by_the_office(world):
    with pytest.raises(NotPermitted):
        reminders.update_policy(actor=world.handler, reminder_hours=2)
    with pytest.raises(DomainError) as bad:
        reminders.update_policy(actor=world.office, reminder_hours=0)
    assert bad.value.field == "reminder_hours"
    with pytest.raises(DomainError) as kinds:
        reminders.update_policy(actor=world.office, ack_kinds=["nope"])
    assert kinds.value.field == "ack_kinds"
    reminders.update_policy(actor=world.office, reminder_hours=2, ack_kinds=["case_escalated", "case_returned"])
    assert reminders.policy().reminder_hours == 2
    assert reminders.cached_policy().ack_kinds == ["case_escalated", "case_returned"]


def test_next_reminder_uses_the_interval(head, world):
    reminders.update_policy(actor=world.office, reminder_hours=2)
    before = overdue(head)
    assert before.next_reminder_at - before.created_at < timedelta(hours=2, seconds=5)
