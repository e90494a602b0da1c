"""The audit log partitioned by month on PostgreSQL: rows land in their month, the primary key is
(id, at), sealing and verification work as before, and a repeated chain position (no longer a unique
index across partitions) is still reported by the verification."""

import pytest
from django.db import connection
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.audit.services import record, seal_pending
from chuangcheng.audit.verification import run_verification
from chuangcheng.core.partitions import partition_name
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="declarative partitioning is PostgreSQL's"),
]
TABLE = AuditEvent._meta.db_table


def _fetch(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _events(count=3):
    unit = UnitFactory()
    events = [record(actor=None, verb=f"test.v{i}", target=unit) for i in range(count)]
    seal_pending()
    return events


def test_rows_land_in_their_months_partition_under_a_composite_key():
    events = _events()
    month = timezone.localdate().replace(day=1)
    ids = [event.pk for event in events]
    assert _fetch(f"SELECT DISTINCT tableoid::regclass::text FROM {TABLE} WHERE id = ANY(%s)", [ids]) == [
        (partition_name(TABLE, month),)
    ]
    key = _fetch(
        "SELECT array_agg(a.attname ORDER BY a.attname) FROM pg_index x JOIN pg_attribute a"
        " ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey) WHERE x.indrelid = %s::regclass AND x.indisprimary",
        [TABLE],
    )
    assert key == [(["at", "id"],)]
    assert [event.seq for event in AuditEvent.objects.filter(pk__in=ids).order_by("seq")] == [1, 2, 3]
    assert run_verification().ok


def test_a_repeated_chain_position_inserted_by_sql_is_reported():
    events = _events()
    columns = "at, actor_label, verb, target_type, target_id, target_repr, changes, seq, prev_hash, hash, mac, refused"
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} ({columns}) SELECT {columns} FROM {TABLE} WHERE id = %s", [events[1].pk])
    result = run_verification(seal=False)
    assert not result.ok
    assert any("篡改或链断裂" in problem for problem in result.problems)
