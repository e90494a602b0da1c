"""The case timeline partitioned by month on PostgreSQL: rows land in their month, foreign keys to and from
it still hold, the hash chains still verify, and the partition job is idempotent. SQLite is unchanged."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from chuangcheng.audit.verification import run_verification
from chuangcheng.cases.chain import verify_case_timelines
from chuangcheng.cases.models import CaseStatus, CaseTransition
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.core.partitions import (
    _reference_triggers,
    add_months,
    ensure_partitions,
    existing_partitions,
    partition_name,
    partitioned_tables,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="declarative partitioning is PostgreSQL's"),
]
TABLE = CaseTransition._meta.db_table


def _one(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()


def _partition_of(row_id: int) -> str:
    return _one(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [row_id])[0]


def test_timeline_and_audit_log_are_partitioned_by_time():
    assert (TABLE, "at") in partitioned_tables()
    assert ("audit_auditevent", "at") in partitioned_tables()
    today = timezone.localdate()
    names = existing_partitions(TABLE)
    assert partition_name(TABLE, today.replace(day=1)) in names and f"{TABLE}_default" in names
    assert _one(f"SELECT count(*) FROM pg_inherits WHERE inhparent = '{TABLE}'::regclass")[0] >= 26


def test_workflow_rows_land_in_this_months_partition_and_the_chain_verifies(world):
    case = case_in_state(world, CaseStatus.CLOSED)
    rows = list(case.transitions.order_by("id"))
    assert [row.action for row in rows][-1] == "verify"
    month = timezone.localtime(rows[0].at).date().replace(day=1)
    assert {_partition_of(row.pk) for row in rows} == {partition_name(TABLE, month)}
    assert CaseTransition.objects.get(pk=rows[-1].pk).hash == case.timeline_head  # still addressed by id
    assert verify_case_timelines() == []
    assert run_verification().ok


def test_a_row_outside_every_month_goes_to_default_and_the_job_moves_it(world):
    case = case_in_state(world, CaseStatus.REGISTERED)
    row = case.transitions.order_by("id").first()
    old = dt.datetime(2001, 5, 17, 9, 0, tzinfo=dt.UTC)
    CaseTransition.objects.filter(pk=row.pk).update(at=old)  # an imported historical row (breaks its hash)
    assert _partition_of(row.pk) == f"{TABLE}_default"
    created = ensure_partitions(since=dt.date(2001, 5, 1), today=dt.date(2001, 6, 1), months_ahead=0)
    assert partition_name(TABLE, dt.date(2001, 5, 1)) in created
    assert _partition_of(row.pk) == partition_name(TABLE, dt.date(2001, 5, 1))
    assert CaseTransition.objects.get(pk=row.pk).case_id == case.pk
    assert ensure_partitions(since=dt.date(2001, 5, 1), today=dt.date(2001, 6, 1), months_ahead=0) == []


def test_partition_job_is_idempotent_and_creates_months_ahead():
    today = timezone.localdate()
    first = ensure_partitions(months_ahead=30, today=today)
    assert partition_name(TABLE, add_months(today.replace(day=1), 30)) in existing_partitions(TABLE)
    assert all(name.split("_p")[-1].isdigit() for name in first)
    assert ensure_partitions(months_ahead=30, today=today) == []


def test_foreign_key_from_the_timeline_to_its_case_still_holds(world):
    case = case_in_state(world, CaseStatus.REGISTERED)
    row = case.transitions.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseTransition.objects.filter(pk=row.pk).update(case_id=case.pk + 10_000)
        _one("SET CONSTRAINTS ALL IMMEDIATE")


def test_references_to_the_timeline_are_kept_by_triggers(world):
    names = {
        name for (name,) in _rows("SELECT tgname FROM pg_trigger WHERE tgrelid = 'public_reporternotice'::regclass")
    }
    assert any(name.endswith("_ins") for name in names)
    case = case_in_state(world, CaseStatus.REGISTERED)
    row = case.transitions.first()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE partition_ref (id bigserial PRIMARY KEY, transition_id bigint)")
        _reference_triggers(cursor, "partition_ref_fk", "partition_ref", "transition_id", TABLE, "SET NULL")
        cursor.execute("INSERT INTO partition_ref (transition_id) VALUES (%s)", [row.pk])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("INSERT INTO partition_ref (transition_id) VALUES (%s)", [row.pk + 10_000])
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [row.pk])  # ON DELETE SET NULL
        cursor.execute("SELECT transition_id FROM partition_ref")
        assert cursor.fetchall() == [(None,)]


def test_deleting_a_timeline_row_a_notice_names_is_refused_like_the_foreign_key_did(world):
    case = case_in_state(world, CaseStatus.REGISTERED)
    row = case.transitions.first()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE partition_ref2 (id bigserial PRIMARY KEY, transition_id bigint)")
        _reference_triggers(cursor, "partition_ref2_fk", "partition_ref2", "transition_id", TABLE, "NO ACTION")
        cursor.execute("INSERT INTO partition_ref2 (transition_id) VALUES (%s)", [row.pk])
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [row.pk])
    assert CaseTransition.objects.filter(pk=row.pk).exists()


def _rows(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()
