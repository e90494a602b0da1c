"""``core.inserts.insert`` writes the rows ``bulk_create`` writes (every field type of the intake's models), in
one statement whose text is kept per process; on SQLite it is ``bulk_create``."""

import datetime as dt
import zoneinfo

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models.functions import Now
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.accounts.tests.factories import UserFactory
from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import Case, CaseSource, CaseStatus, CaseTransition, Severity
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.core import inserts
from chuangcheng.core.inserts import insert
from chuangcheng.notifications.models import Channel, Delivery, Notification, NotificationKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="the kept statements are PostgreSQL's")

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
AT = dt.datetime(2026, 12, 7, 9, 30, 15, 123456, tzinfo=SHANGHAI)
NASTY = "引号 'single' \"double\" back\\slash \\\\ tab\t newline\n cr\r \x01\x08\x1b\x1f\x7f 表情🙂 末尾空格 "
CHANGES = {
    "标题": [None, "市场门口“垃圾”"],
    "nested": {"列表": [1, 2.5, None, True, False, {"深": ["值", NASTY]}], "空": {}, "零": 0},
    "text": NASTY,
}
COUNTS = [1, 3, inserts.VALUES_ROWS + 4]  # one row, a few (VALUES), many (UNNEST)


@pytest.fixture
def people():
    unit = UnitFactory(name="街道")
    user = UserFactory()
    note = Notification.objects.create(user=user, kind=NotificationKind.CASE_DISPATCHED, title="t")
    return {"user": user, "unit": unit, "case": CaseFactory(), "other_case": CaseFactory(), "note": note}


@pytest.fixture
def no_fallback(monkeypatch):
    """On PostgreSQL the kept statement must be the one used (no silent ``bulk_create``)."""
    if connection.vendor == "postgresql":

        def refuse(model, objs, alias):
            raise AssertionError(f"{model.__name__} fell back to bulk_create")

        monkeypatch.setattr(inserts, "_fallback", refuse)


def audit_rows(count: int, people) -> list:
    return [
        AuditEvent(
            at=AT + dt.timedelta(seconds=i),
            actor=people["user"] if i % 2 else None,
            actor_label=NASTY if i % 3 == 0 else "系统",
            verb=f'cases."created"\\{i}',
            target_type="cases.case",
            target_id=str(i),
            target_repr=NASTY[: 10 + i],
            unit_id=people["unit"].pk if i % 2 == 0 else None,
            changes=CHANGES if i % 2 == 0 else {"i": i, "list": [NASTY, {"x": None}]},
            prev_hash="" if i % 2 else "p" * 64,
            mac="m" * 64,
            refused=bool(i % 2),
        )
        for i in range(count)
    ]


def transition_rows(count: int, people) -> list:
    return [
        CaseTransition(
            case=people["case"] if i % 2 else people["other_case"],
            from_status="" if i == 0 else CaseStatus.REPORTED,
            to_status=CaseStatus.REGISTERED,
            action="register",
            actor=people["user"] if i % 2 else None,
            actor_label=NASTY,
            actor_unit=people["unit"] if i % 3 == 0 else None,
            at=AT + dt.timedelta(microseconds=i),
            note=NASTY * (i % 2),
            data=CHANGES if i % 2 else {},
            prev_hash="p" * 64,
            hash=f"{i:064d}",
        )
        for i in range(count)
    ]


def notification_rows(count: int, people) -> list:
    return [
        Notification(
            user=people["user"],
            kind=NotificationKind.CASE_DISPATCHED if i % 2 else NotificationKind.CASE_RETURNED,
            title=NASTY[:200],
            body=NASTY * 3,
            url=f"/cases/{i}/?a=1&b='2'",
            case=people["case"] if i % 2 else None,
            read_at=None if i % 2 else AT,
            requires_ack=bool(i % 2),
            urgent=i % 3 == 0,
            next_reminder_at=AT.astimezone(dt.UTC) if i % 2 else None,
        )
        for i in range(count)
    ]


def delivery_rows(count: int, people) -> list:
    return [
        Delivery(
            channel=[Channel.EMAIL, Channel.WEBHOOK, Channel.SMS][i % 3],
            notification=people["note"] if i % 2 else None,
            user=people["user"] if i % 2 == 0 else None,
            recipient=f"a{i}@example.com",
            subject=NASTY[:200],
            payload={"body": NASTY, "url": "https://例子.cn/?q=1", "n": [i, {"深": None}]},
            attempts=i,
            last_error=NASTY if i % 2 else "",
            next_attempt_at=AT if i % 2 else None,
            is_test=bool(i % 2),
        )
        for i in range(count)
    ]


def case_rows(count: int, people, prefix: str) -> list:
    return [
        Case(
            number=f"{prefix}2026-{i:06d}",
            source=CaseSource.PATROL if i % 2 else CaseSource.CITIZEN,
            title=NASTY[:200],
            description=NASTY * 2,
            unit=people["unit"] if i % 2 else None,
            lead_unit_id=people["unit"].pk if i % 3 == 0 else None,
            lng=None if i % 2 else 116.7536631234567,
            lat=None if i % 2 else -33.99698,
            severity=Severity.SERIOUS,
            route_reason=NASTY[:100],
            status=CaseStatus.DISPATCHED,
            status_changed_at=AT,
            deadline=dt.date(2026, 12, 31) if i % 2 else None,
            deadline_days=5 if i % 2 else None,
            is_rebound=bool(i % 2),
            rebound_of=people["case"] if i % 2 else None,
            reporter_name="张三",
            reporter_phone="13800000000",
            reported_by=people["user"] if i % 3 == 0 else None,
            round_visit_id=i if i % 2 else None,
            timeline_head="h" * 64,
        )
        for i in range(count)
    ]


def stored(model, objs, *, skip=()) -> list[dict]:
    """The rows as Django reads them back, in ``objs`` order, without the id and ``skip``."""
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key and f.attname not in skip]
    by_pk = {row["pk"]: row for row in model.objects.filter(pk__in=[o.pk for o in objs]).values("pk", *names)}
    return [{name: by_pk[o.pk][name] for name in names} for o in objs]


def raw(model, objs, *, skip=()) -> list[str]:
    """PostgreSQL: each row's stored text (``to_jsonb`` of the row, id and ``skip`` removed), in ``objs`` order."""
    drop = "".join(f" - '{name}'" for name in ("id", *skip))
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, (to_jsonb(t){drop})::text FROM {table} t WHERE id = ANY(%s)", [[o.pk for o in objs]]
        )
        by_pk = dict(cursor.fetchall())
    return [by_pk[o.pk] for o in objs]


def assert_same_rows(model, via_bulk, via_insert, *, skip=()) -> None:
    assert all(o.pk is not None and not o._state.adding and o._state.db == "default" for o in via_insert)
    assert len({o.pk for o in via_bulk + via_insert}) == len(via_bulk) * 2
    assert stored(model, via_insert, skip=skip) == stored(model, via_bulk, skip=skip)
    if connection.vendor == "postgresql":
        assert raw(model, via_insert, skip=skip) == raw(model, via_bulk, skip=skip)


@pytest.mark.parametrize("count", COUNTS)
def test_audit_rows_are_those_bulk_create_writes(people, no_fallback, count):
    via_bulk = AuditEvent.objects.bulk_create(audit_rows(count, people))
    via_insert = insert(audit_rows(count, people))
    assert_same_rows(AuditEvent, via_bulk, via_insert)
    assert AuditEvent.objects.get(pk=via_insert[0].pk).changes == CHANGES


@pytest.mark.parametrize("count", COUNTS)
def test_timeline_rows_are_those_bulk_create_writes(people, no_fallback, count):
    via_bulk = CaseTransition.objects.bulk_create(transition_rows(count, people))
    via_insert = insert(transition_rows(count, people))
    assert_same_rows(CaseTransition, via_bulk, via_insert)


@pytest.mark.parametrize("count", COUNTS)
def test_notifications_and_deliveries_are_those_bulk_create_writes(people, no_fallback, count):
    before = timezone.now()
    via_bulk = Notification.objects.bulk_create(notification_rows(count, people))
    via_insert = insert(notification_rows(count, people))
    assert_same_rows(Notification, via_bulk, via_insert, skip=("created_at",))
    # auto_now_add: set on the object by pre_save, and that is what was stored
    created = dict(Notification.objects.filter(pk__in=[n.pk for n in via_insert]).values_list("pk", "created_at"))
    assert all(before <= n.created_at == created[n.pk] for n in via_insert)

    via_bulk = Delivery.objects.bulk_create(delivery_rows(count, people))
    via_insert = insert(delivery_rows(count, people))
    assert_same_rows(Delivery, via_bulk, via_insert, skip=("created_at",))
    assert {d.status for d in Delivery.objects.filter(pk__in=[d.pk for d in via_insert])} == {"pending"}


@pytest.mark.parametrize("count", COUNTS)
def test_cases_are_those_bulk_create_writes_with_and_without_their_ids(people, no_fallback, count):
    via_bulk = Case.objects.bulk_create(case_rows(count, people, "A"))
    via_insert = insert(case_rows(count, people, "B"))
    assert_same_rows(Case, via_bulk, via_insert, skip=("created_at", "number"))

    given = case_rows(count, people, "C")  # the intake's path: ids reserved first, none returned
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    for offset, case in enumerate(given, start=1):
        case.pk = top + 100 + offset
    insert(given)
    assert [c.pk for c in given] == [top + 100 + i for i in range(1, count + 1)]
    assert stored(Case, given, skip=("created_at", "number")) == stored(Case, via_bulk, skip=("created_at", "number"))
    assert list(Case.objects.filter(pk__in=[c.pk for c in given]).order_by("pk").values_list("number", flat=True)) == [
        c.number for c in given
    ]


def test_cooperating_units_through_rows(people, no_fallback):
    through = Case.cooperating_units.through
    rows = insert([through(case_id=people["case"].pk, unit_id=UnitFactory().pk) for _ in range(3)])
    assert sorted(people["case"].cooperating_units.values_list("pk", flat=True)) == sorted(r.unit_id for r in rows)


@pytest.mark.parametrize("count", COUNTS)
def test_one_statement_as_bulk_create(people, count):
    """No more statements than ``bulk_create``: one on PostgreSQL whatever the count; on SQLite it is bulk_create."""
    with CaptureQueriesContext(connection) as via_bulk:
        AuditEvent.objects.bulk_create(audit_rows(count, people))
    with CaptureQueriesContext(connection) as via_insert:
        insert(audit_rows(count, people))
    assert len(via_insert) <= len(via_bulk)
    if connection.vendor == "postgresql":
        assert len(via_insert) == 1 and via_insert[0]["sql"].startswith('INSERT INTO "audit_auditevent"')
    with CaptureQueriesContext(connection) as nothing:
        assert insert([]) == []
    assert len(nothing) == 0


@on_postgres
def test_statements_are_kept_per_alias_vendor_model_and_columns(people):
    inserts.clear()
    insert(audit_rows(3, people))
    insert(audit_rows(4, people))
    insert(audit_rows(inserts.VALUES_ROWS + 1, people))
    (key,) = [key for key in inserts._PLANS if key[2] is AuditEvent]
    alias, vendor, _, table, columns, with_pk = key
    assert (alias, vendor, table, with_pk) == ("default", "postgresql", "audit_auditevent", False)
    assert columns == tuple(f.column for f in AuditEvent._meta.concrete_fields if not f.primary_key)
    plan = inserts._PLANS[key]
    assert sorted(plan.by_rows) == [3, 4]  # one VALUES text per row count, and the UNNEST text for more rows
    assert "UNNEST((%s)::timestamp with time zone[]" in plan.unnest and plan.unnest.endswith('."id"')

    other = connections.create_connection("default")  # a second alias to the same kind of database
    other.alias = "second"
    assert inserts._plan(AuditEvent, other, False) is not plan
    assert {key[0] for key in inserts._PLANS if key[2] is AuditEvent} == {"default", "second"}


@on_postgres
def test_a_historical_model_of_the_same_table_gets_its_own_statement(people):
    """Migrations build model classes of their own (possibly with other columns): each is its own key."""
    historical = MigrationLoader(connection).project_state().apps.get_model("audit", "AuditEvent")
    old = historical(at=AT, actor_label="迁移", verb="x", changes={"a": "旧"}, mac="m")
    insert([old])
    new = insert(audit_rows(1, people))
    assert AuditEvent.objects.get(pk=old.pk).changes == {"a": "旧"}
    assert AuditEvent.objects.get(pk=new[0].pk).changes == CHANGES
    assert {key[2] for key in inserts._PLANS if key[3] == "audit_auditevent"} >= {historical, AuditEvent}


@on_postgres
def test_a_changed_table_name_is_a_new_statement(people, monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE audit_copy (LIKE audit_auditevent INCLUDING DEFAULTS INCLUDING IDENTITY)")
    insert(audit_rows(1, people))
    with monkeypatch.context() as patched:
        patched.setattr(AuditEvent._meta, "db_table", "audit_copy")
        insert(audit_rows(2, people))
    before = AuditEvent.objects.count()
    insert(audit_rows(1, people))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_copy")
        assert cursor.fetchone() == (2,)
    assert AuditEvent.objects.count() == before + 1


def test_what_the_kept_statement_cannot_write_goes_to_bulk_create(people):
    """An expression value, rows mixing given and missing ids: written by bulk_create, with the same result."""
    rows = notification_rows(2, people)
    rows[1].read_at = Now()
    insert(rows)
    assert Notification.objects.get(pk=rows[0].pk).read_at == AT
    assert Notification.objects.get(pk=rows[1].pk).read_at is not None

    mixed = audit_rows(2, people)
    mixed[0].pk = (AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 50
    insert(mixed)
    assert mixed[1].pk is not None and AuditEvent.objects.filter(pk__in=[e.pk for e in mixed]).count() == 2


def test_an_unsaved_related_object_is_refused_as_bulk_create_refuses_it(people):
    rows = notification_rows(1, people)
    rows[0].case = Case(number="unsaved")
    with pytest.raises(ValueError, match="unsaved related object 'case'"):
        insert(rows)


def test_a_failed_insert_fails_the_callers_transaction(people):
    """As with bulk_create (its ``atomic(savepoint=False)``), the enclosing block is marked for rollback."""
    duplicate = case_rows(1, people, "D")[0]
    insert([duplicate])
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert(case_rows(1, people, "D"))
        assert connection.needs_rollback
    assert Case.objects.filter(number=duplicate.number).count() == 1
