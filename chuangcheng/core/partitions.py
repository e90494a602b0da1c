"""Monthly range partitions of the large append-only tables on PostgreSQL (declarative partitioning).

A table is converted once, by a migration that calls ``partition_by_month`` (a no-op on other
databases): its rows move into one partition per calendar month of the partition column (in
``settings.TIME_ZONE``) plus a DEFAULT partition, so no insert can ever fail for want of a partition.
The primary key becomes ``(id, <column>)`` (PostgreSQL requires the partition key in every unique
key) while Django still addresses rows by ``id``, which a sequence keeps unique. A unique index
without the partition key becomes a plain index (see ``partition_by_month``).

Foreign keys *from* the table stay. Foreign keys *to* it cannot (they would have to reference
``(id, <column>)``); each is replaced by two triggers that keep the same integrity: the referencing
row must name an existing row (checked at commit, like Django's deferred constraints), and deleting
a referenced row applies the constraint's ON DELETE rule (SET NULL, CASCADE, else refused).

``ensure_partitions`` is the periodic job (beat ``core.ensure_partitions``, ``manage.py
ensure_partitions``): it finds every partitioned table by the catalog, not by a list, and creates
the missing monthly partitions from this month up to ``months_ahead``; rows that already fell into
the DEFAULT partition for such a month are moved into it. It is idempotent.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

MONTHS_AHEAD = 24
# Taken by ``ensure_partitions`` so two runners never create the same partition at once.
PARTITION_LOCK = 7_210_101

_FK_ACTIONS = {"n": "SET NULL", "c": "CASCADE"}  # confdeltype; anything else refuses the delete


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of every month from ``first``'s to ``last``'s, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def partition_name(table: str, month: dt.date) -> str:
    return f"{table}_p{month:%Y%m}"


def _bound(month: dt.date) -> str:
    """The partition bound for a month's first instant in the project's time zone, as a literal."""
    moment = dt.datetime(month.year, month.month, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment.isoformat(sep=" ")


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo(settings.TIME_ZONE)).date()


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _fetch(cursor, sql: str, params=()) -> list[tuple]:
    cursor.execute(sql, params)
    return cursor.fetchall()


# -- the one-time conversion (called from migrations) -------------------------------------------


def partition_by_month(table: str, column: str, *, months_ahead: int = MONTHS_AHEAD) -> None:
    """Rebuild ``table`` as a table partitioned by month of ``column``, keeping its rows, indexes,
    constraints, outgoing foreign keys and sequence; incoming foreign keys become triggers.

    Runs inside the migration's transaction; on anything but PostgreSQL it does nothing.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if _fetch(cursor, "SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [table]):
            return
        # Checks deferred earlier in this transaction must run now: a table with pending ones cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        indexes = _fetch(
            cursor,
            "SELECT i.relname, pg_get_indexdef(x.indexrelid), x.indisunique, x.indisprimary"
            " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass",
            [table],
        )
        own_fks = _fetch(
            cursor,
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        inbound = _fetch(
            cursor,
            "SELECT c.conname, c.conrelid::regclass::text, a.attname, c.confdeltype FROM pg_constraint c"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " WHERE c.confrelid = %s::regclass AND c.contype = 'f' AND c.conrelid <> c.confrelid",
            [table],
        )
        (first,) = _fetch(cursor, f"SELECT min({_q(column)}) FROM {_q(table)}")[0]
        old, seq = f"{table}_unpartitioned", f"{table}_pk_seq"
        for name, referencing, _, _ in inbound:
            cursor.execute(f"ALTER TABLE {_q(referencing)} DROP CONSTRAINT {_q(name)}")
        cursor.execute(f"ALTER TABLE {_q(table)} RENAME TO {_q(old)}")
        cursor.execute(
            f"CREATE TABLE {_q(table)} (LIKE {_q(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
            f" INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ({_q(column)})"
        )
        cursor.execute(f"CREATE SEQUENCE {_q(seq)} OWNED BY {_q(table)}.id")
        cursor.execute(f"ALTER TABLE {_q(table)} ALTER COLUMN id SET DEFAULT nextval('{seq}')")
        today = _today()
        start = min(first.astimezone(ZoneInfo(settings.TIME_ZONE)).date(), today) if first else today
        for month in months_between(start, add_months(today, months_ahead)):
            _create_partition(cursor, table, month)
        cursor.execute(f"CREATE TABLE {_q(table + '_default')} PARTITION OF {_q(table)} DEFAULT")
        cursor.execute(f"INSERT INTO {_q(table)} SELECT * FROM {_q(old)}")
        cursor.execute(f"SELECT setval('{seq}', GREATEST((SELECT max(id) FROM {_q(table)}), 1))")
        cursor.execute(f"DROP TABLE {_q(old)}")
        for name, definition, unique, primary in indexes:
            if primary:
                cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} PRIMARY KEY (id, {_q(column)})")
            else:
                if unique:  # PostgreSQL cannot enforce it across partitions: kept as a plain index
                    definition = definition.replace("CREATE UNIQUE INDEX", "CREATE INDEX", 1)
                cursor.execute(definition)
        for name, definition in own_fks:
            cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
        for name, referencing, attname, deltype in inbound:
            _reference_triggers(cursor, name, referencing, attname, table, _FK_ACTIONS.get(deltype, "NO ACTION"))
        cursor.execute(f"ANALYZE {_q(table)}")


def _create_partition(cursor, table: str, month: dt.date) -> str:
    name = partition_name(table, month)
    cursor.execute(
        f"CREATE TABLE {_q(name)} PARTITION OF {_q(table)} FOR VALUES FROM (%s) TO (%s)",
        [_bound(month), _bound(add_months(month, 1))],
    )
    return name


_CHECK_FN = """
CREATE OR REPLACE FUNCTION cc_reference_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ref text := to_jsonb(NEW) ->> TG_ARGV[1]; hit int;
BEGIN
    IF ref IS NOT NULL THEN
        EXECUTE format('SELECT 1 FROM %I WHERE id = $1', TG_ARGV[0]) INTO hit USING ref::bigint;
        IF hit IS NULL THEN
            RAISE foreign_key_violation USING MESSAGE = format(
                '%s.%s = %s names no row of %s (%s)', TG_TABLE_NAME, TG_ARGV[1], ref, TG_ARGV[0], TG_NAME);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION cc_reference_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE hit int;
BEGIN
    IF current_setting('cc.moving_partition_rows', true) = 'on' THEN
        RETURN NULL;  -- a row moved between partitions by ensure_partitions, not deleted
    END IF;
    IF TG_ARGV[2] = 'SET NULL' THEN
        EXECUTE format('UPDATE %I SET %I = NULL WHERE %I = $1', TG_ARGV[0], TG_ARGV[1], TG_ARGV[1]) USING OLD.id;
    ELSIF TG_ARGV[2] = 'CASCADE' THEN
        EXECUTE format('DELETE FROM %I WHERE %I = $1', TG_ARGV[0], TG_ARGV[1]) USING OLD.id;
    ELSE
        EXECUTE format('SELECT 1 FROM %I WHERE %I = $1 LIMIT 1', TG_ARGV[0], TG_ARGV[1]) INTO hit USING OLD.id;
        IF hit IS NOT NULL THEN
            RAISE foreign_key_violation USING MESSAGE = format(
                '%s row %s is still referenced from %s.%s', TG_TABLE_NAME, OLD.id, TG_ARGV[0], TG_ARGV[1]);
        END IF;
    END IF;
    RETURN NULL;
END $$;
"""


def _reference_triggers(cursor, name: str, referencing: str, column: str, target: str, on_delete: str) -> None:
    """The foreign key ``referencing.column -> target.id`` kept by triggers (named after the constraint)."""
    cursor.execute(_CHECK_FN)
    cursor.execute(
        f"CREATE CONSTRAINT TRIGGER {_q(name[:55] + '_ins')} AFTER INSERT OR UPDATE OF {_q(column)}"
        f" ON {_q(referencing)} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
        f" EXECUTE FUNCTION cc_reference_check('{target}', '{column}')"
    )
    cursor.execute(
        f"CREATE TRIGGER {_q(name[:55] + '_del')} AFTER DELETE ON {_q(target)} FOR EACH ROW"
        f" EXECUTE FUNCTION cc_reference_on_delete('{referencing}', '{column}', '{on_delete}')"
    )


# -- the periodic job ---------------------------------------------------------------------------


def partitioned_tables() -> list[tuple[str, str]]:
    """``(table, column)`` of every table partitioned by range of one time column (empty on other databases)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        return _fetch(
            cursor,
            "SELECT p.partrelid::regclass::text, a.attname FROM pg_partitioned_table p"
            " JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]"
            " WHERE p.partstrat = 'r' AND p.partnatts = 1"
            " AND a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype) ORDER BY 1",
        )


def existing_partitions(table: str) -> list[str]:
    with connection.cursor() as cursor:
        rows = _fetch(
            cursor,
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = %s::regclass ORDER BY 1",
            [table],
        )
    return [name for (name,) in rows]


@transaction.atomic
def ensure_partitions(
    *, months_ahead: int = MONTHS_AHEAD, today: dt.date | None = None, since: dt.date | None = None
) -> list[str]:
    """Create the monthly partitions missing from this month (or ``since``'s, to load history) to
    ``months_ahead`` months on; return their names.

    A row already in the DEFAULT partition for such a month is moved into the new partition (in this
    transaction), so attaching it never fails. Running it again creates nothing.
    """
    tables = partitioned_tables()
    if not tables:
        return []
    created: list[str] = []
    today = today or _today()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PARTITION_LOCK])
        for table, column in tables:
            have = set(existing_partitions(table))
            for month in months_between(min(since or today, today), add_months(today, months_ahead)):
                name = partition_name(table, month)
                if name not in have:
                    created.append(_create_filled_partition(cursor, table, column, month, f"{table}_default" in have))
    return created


def _create_filled_partition(cursor, table: str, column: str, month: dt.date, has_default: bool) -> str:
    if not has_default:
        return _create_partition(cursor, table, month)
    name, low, high = partition_name(table, month), _bound(month), _bound(add_months(month, 1))
    cursor.execute(f"CREATE TABLE {_q(name)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    cursor.execute("SELECT set_config('cc.moving_partition_rows', 'on', true)")
    cursor.execute(
        f"WITH moved AS (DELETE FROM {_q(table + '_default')} WHERE {_q(column)} >= %s AND {_q(column)} < %s"
        f" RETURNING *) INSERT INTO {_q(name)} SELECT * FROM moved",
        [low, high],
    )
    cursor.execute("SELECT set_config('cc.moving_partition_rows', 'off', true)")
    cursor.execute(f"ALTER TABLE {_q(table)} ATTACH PARTITION {_q(name)} FOR VALUES FROM (%s) TO (%s)", [low, high])
    return name
