"""Case numbers: ``WT2026-000123``, unique per year, for one intake or a whole batch."""

from __future__ import annotations

from django.db import IntegrityError, ProgrammingError, connection, transaction

from chuangcheng.cases.models import CaseCounter

NUMBER_PREFIX = "WT"


def next_number(year: int) -> str:
    return next_numbers(year, 1)[0]


def next_numbers(year: int, count: int) -> list[str]:
    """``count`` new numbers of ``year``, ascending.

    PostgreSQL: a per-year sequence, ``count`` values from one ``nextval`` over
    ``generate_series`` (``nextval`` takes no lock held to commit, so concurrent
    intakes do not queue; a rolled-back intake leaves a gap). SQLite serialises
    writers anyway: a per-year counter row, incremented in the transaction.
    """
    if count <= 0:
        return []
    if connection.vendor == "postgresql":
        return [f"{NUMBER_PREFIX}{year}-{serial:06d}" for serial in _sequence_next(year, count)]
    try:
        with transaction.atomic():
            CaseCounter.objects.get_or_create(year=year)
    except IntegrityError:
        pass
    counter = CaseCounter.objects.select_for_update(no_key=True).get(year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [f"{NUMBER_PREFIX}{year}-{serial:06d}" for serial in range(first, counter.last + 1)]


def reserve(year: int, count: int, table: str) -> tuple[list[str], list[int] | None]:
    """``count`` new numbers of ``year`` and, on PostgreSQL, ``count`` ids of ``table`` (its own
    sequence, so rows can be hashed before their INSERT), both ascending, in one statement once the
    year's sequence exists. SQLite: ``(next_numbers(year, count), None)``."""
    if connection.vendor != "postgresql" or count <= 0:
        return next_numbers(year, count), None
    name = _sequence_name(year)
    with connection.cursor() as cursor:
        # The text -> regclass cast runs per row, so a missing sequence gives NULL, not an error.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')),"
            " CASE WHEN to_regclass(%s) IS NOT NULL THEN nextval(%s::text::regclass) END"
            " FROM generate_series(1, %s)",
            [table, name, name, count],
        )
        rows = cursor.fetchall()
    ids = sorted(row[0] for row in rows)
    serials = sorted(row[1] for row in rows if row[1] is not None)
    if len(serials) != count:  # the year's first intake: create the sequence, then draw
        serials = _sequence_next(year, count)
    return [f"{NUMBER_PREFIX}{year}-{serial:06d}" for serial in serials], ids


def _sequence_name(year: int) -> str:
    return f"cases_case_number_{int(year)}"


def _sequence_next(year: int, count: int = 1) -> list[int]:
    name = _sequence_name(year)
    with connection.cursor() as cursor:
        # Checked every time (a catalog lookup): a process-wide "exists" cache went stale when the
        # transaction that created the sequence was rolled back after its on-commit hooks had run
        # (as test harnesses do), or when a database is restored.
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if not cursor.fetchone()[0]:
            _create_sequence(cursor, year)
        if count == 1:
            cursor.execute("SELECT nextval(%s)", [name])
        else:
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [name, count])
        return sorted(row[0] for row in cursor.fetchall())


def _create_sequence(cursor, year: int) -> None:
    """Start after the year's counter row and after any number already issued for that year."""
    prefix = f"{NUMBER_PREFIX}{year}-"
    cursor.execute(
        "SELECT GREATEST("
        " (SELECT last FROM cases_casecounter WHERE year = %s),"
        " (SELECT max(substr(number, %s)::bigint) FROM cases_case"
        "  WHERE left(number, %s) = %s AND substr(number, %s) ~ '^[0-9]+$'), 0)",
        [year, len(prefix) + 1, len(prefix), prefix, len(prefix) + 1],
    )
    start = cursor.fetchone()[0] + 1
    try:
        with transaction.atomic():  # a concurrent first intake of the year may create it first
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {_sequence_name(year)} START WITH {int(start)}")
    except (IntegrityError, ProgrammingError):
        pass
