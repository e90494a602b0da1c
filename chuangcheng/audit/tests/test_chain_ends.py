"""Both ends of the audit chain: rows deleted from the end or the middle, rows forged by SQL, and the
office's page showing the last verification."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.audit.models import AuditCheckpoint, AuditEvent, AuditVerification
from chuangcheng.audit.services import record, seal_pending
from chuangcheng.core.hashchain import chain_hash
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
TABLE = AuditEvent._meta.db_table


def _events(count=5):
    unit = UnitFactory()
    for i in range(count):
        record(actor=None, verb=f"test.v{i}", target=unit, changes={"n": [i, i + 1]})
    seal_pending()
    return list(AuditEvent.objects.order_by("seq"))


def _verify() -> str:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=StringIO(), stderr=err)
    return err.getvalue()


def _sql(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_clean_chain_verifies_and_the_run_is_stored():
    _events()
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "校验通过" in out.getvalue()
    run = AuditVerification.objects.get()
    assert run.ok and run.checked == 5 and run.problems == []


def test_deleting_the_last_rows_by_sql_fails_naming_them():
    rows = _events()
    _sql(f"DELETE FROM {TABLE} WHERE seq >= %s", [rows[3].seq])
    message = _verify()
    assert f"链序号第 {rows[3].seq}–{rows[4].seq} 条缺失" in message and "链尾" in message
    assert not AuditVerification.objects.get().ok


def test_forged_pending_row_inserted_by_sql_is_not_sealed_and_is_reported():
    _events()
    _sql(
        f"INSERT INTO {TABLE} (at, actor_label, verb, target_type, target_id, target_repr, changes, prev_hash, mac,"
        " refused) VALUES (%s, '系统', 'cases.closed', 'cases.case', '1', '伪造', '{}', '', '', %s)",
        [timezone.now(), False],
    )
    forged = AuditEvent.objects.get(target_repr="伪造")
    message = _verify()
    forged.refresh_from_db()
    assert forged.seq is None and forged.hash is None and forged.refused
    assert f"第 {forged.pk} 条待封存记录没有应用的有效签名" in message
    assert AuditCheckpoint.objects.get().seq == 5  # the head did not move


def test_forged_row_with_a_copied_mac_of_other_content_is_refused():
    rows = _events(1)
    record(actor=None, verb="test.real", target=UnitFactory())
    real = AuditEvent.objects.get(verb="test.real")
    AuditEvent.objects.filter(pk=real.pk).update(verb="test.forged")  # content changed, MAC kept
    assert seal_pending() == 0
    assert AuditEvent.objects.get(pk=real.pk).seq is None and rows[0].seq == 1


def test_deleting_a_middle_row_is_reported_by_its_own_position():
    rows = _events()
    _sql(f"DELETE FROM {TABLE} WHERE seq = %s", [rows[2].seq])
    message = _verify()
    assert f"链序号第 {rows[2].seq} 条缺失" in message
    assert f"第 {rows[3].pk} 条记录被篡改" not in message  # its successor is intact


def test_rows_appended_by_sql_with_a_valid_hash_chain_are_reported():
    rows = _events(2)
    at = timezone.now()
    payload = AuditEvent.payload(at, None, "系统", "test.appended", "cases.case", "1", "追加", None, {})
    digest = chain_hash(rows[1].hash, payload)  # anyone can compute the hashes; not the signed head
    _sql(
        f"INSERT INTO {TABLE} (at, actor_label, verb, target_type, target_id, target_repr, changes, seq, prev_hash,"
        " hash, mac, refused) VALUES (%s, '系统', 'test.appended', 'cases.case', '1', '追加', '{}', 3, %s, %s, '', %s)",
        [at, rows[1].hash, digest, False],
    )
    assert "链序号第 3 条不是应用封存的" in _verify()


def test_checkpoint_changed_by_sql_is_reported():
    rows = _events(2)
    AuditCheckpoint.objects.update(seq=1, hash=rows[0].hash)
    assert "检查点的签名无效" in _verify()


def test_office_page_shows_the_last_verification_and_runs_one():
    _events(2)
    office = UnitFactory(kind=UnitKind.OFFICE)
    client = Client()
    client.force_login(user_with_role(Role.OFFICE_ADMIN, office))
    page = client.get("/audit/")
    assert page.status_code == 200 and "尚未校验过" in page.content.decode()
    assert client.post("/audit/").status_code == 302
    page = client.get("/audit/").content.decode()
    assert "通过" in page and "已校验 2 条" in page
    _sql(f"DELETE FROM {TABLE} WHERE seq = 2")
    client.post("/audit/")
    page = client.get("/audit/").content.decode()
    assert "失败" in page and "链序号第 2 条缺失" in page
    handler = Client()
    handler.force_login(user_with_role(Role.UNIT_HANDLER, UnitFactory(kind=UnitKind.DISTRICT)))
    assert handler.get("/audit/").status_code == 403


def test_daily_task_stores_a_verification_the_page_shows():
    from chuangcheng.audit.tasks import verify_task

    rows = _events()
    assert verify_task.apply().result is True
    _sql(f"DELETE FROM {TABLE} WHERE seq = %s", [rows[2].seq])
    assert verify_task.apply().result is False
    latest = AuditVerification.objects.first()
    assert not latest.ok and latest.actor_label == "系统" and AuditVerification.objects.count() == 2
