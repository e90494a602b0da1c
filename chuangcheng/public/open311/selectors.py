"""Reads of the Open311 lists: the count and one page of accepted reports, each one hand-written statement.

A list is the endpoint open data clients poll, so it is written for the database rather than through the ORM
(building and compiling two querysets cost half of a 100-row request):

- the page reads plain values in one statement, with the first photo's id by subquery and the time of the last
  update (``casebridge.state_of``'s, else the report's) computed by the database;
- on PostgreSQL the database writes the W3C timestamps itself, in the current time zone with each instant's own
  offset (zones with summer time stay right), so no row parses or formats a timestamp in Python; the two
  statements are prepared once per connection (``_prepared_cursor``), so they are not planned per request;
- on other databases (SQLite) the same statement reads the timestamps and Python writes them (``render.w3c``).

The optional clauses (numbers, service codes, open/closed, the date window) are appended as needed; their values
are parameters taken from the models' constants. ``public_report_listed_idx`` (status, created_at, id) serves
the count and the page's order.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import psycopg
from django.conf import settings
from django.db import connections, router
from django.utils.dateparse import parse_date, parse_datetime

from chuangcheng.core.cache import Kept
from chuangcheng.places.models import SiteCategory
from chuangcheng.public.casebridge import OPEN_STATUSES  # the cases app is reached through casebridge
from chuangcheng.public.models import Report, ReportStatus
from chuangcheng.public.open311.render import w3c

# The site categories (the lists' service names and codes), kept per process; renewed by signals on
# ``SiteCategory`` (connected in ``public.apps``).
KEPT_CATEGORIES = Kept("open311.categories:version")
categories_changed = KEPT_CATEGORIES.changed

# The columns of a page row, in order (``list_page``); the three times are W3C text.
PAGE_COLUMNS = (
    "number", "category_id", "public_description", "description", "requested", "address", "lat", "lng",
    "unit_name", "case_status", "lead_unit_name", "expected", "first_photo", "updated",
)  # fmt: skip
LAST_UPDATE = (
    "CASE WHEN r.case_id IS NULL THEN COALESCE(r.moderated_at, r.updated_at)"
    " ELSE COALESCE(c.status_changed_at, c.created_at, r.updated_at) END"
)
FIRST_PHOTO = "(SELECT p.id FROM public_reportphoto p WHERE p.report_id = r.id ORDER BY p.sort_order, p.id LIMIT 1)"
# The units' names by subquery: a prepared statement's plan is generic (it cannot know how many rows the window
# holds), and with joins it scanned the units table once per row.
UNIT_NAME = "(SELECT u.name FROM org_unit u WHERE u.id = r.unit_id)"
LEAD_UNIT_NAME = "(SELECT u.name FROM org_unit u WHERE u.id = c.lead_unit_id)"
# The page's reports are found first, then joined and written: the rows skipped by OFFSET (page 50 of a list)
# are neither joined nor written.
PAGE_REPORT = (
    "SELECT r.id, r.number, r.category_id, r.public_description, r.description, r.created_at, r.address, r.lat,"
    " r.lng, r.unit_id, r.case_id, r.moderated_at, r.updated_at FROM public_report r"
)
ORDER = " ORDER BY r.created_at DESC, r.id DESC"
PAGE_SLICE = ORDER + " LIMIT %(limit)s OFFSET %(offset)s"
CASE_JOIN = " LEFT JOIN cases_case c ON c.id = r.case_id"


def _pg_local(local: str, instant: str) -> str:
    """W3C text of a local time ``local`` (a timestamp expression) whose instant is ``instant`` (a timestamptz
    expression): the text, then the offset of that instant in the zone (``+08:00``, ``-04:00``)."""
    offset = f"({local} - ({instant} AT TIME ZONE 'UTC'))"
    sign = f"CASE WHEN {offset} < interval '0' THEN '-' || to_char(-{offset}, 'HH24:MI')"
    return f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || {sign} ELSE '+' || to_char({offset}, 'HH24:MI') END"


def _pg_w3c(instant: str) -> str:
    """SQL writing the timestamptz ``instant`` as ``render.w3c`` does, in the zone of the ``%(tz)s`` parameter."""
    return _pg_local(f"({instant} AT TIME ZONE %(tz)s)", instant)


def _pg_w3c_day_end(day: str) -> str:
    """SQL writing the date ``day`` as ``render.w3c`` does (its 23:59:59 in the zone of ``%(tz)s``)."""
    local = f"({day} + time '23:59:59')"
    return _pg_local(local, f"({local} AT TIME ZONE %(tz)s)")


def _page_select(postgres: bool) -> str:
    if postgres:
        requested, expected, updated = _pg_w3c("r.created_at"), _pg_w3c_day_end("c.deadline"), _pg_w3c(LAST_UPDATE)
    else:
        requested, expected, updated = "r.created_at", "c.deadline", LAST_UPDATE
    return (
        "SELECT r.number, r.category_id, r.public_description, r.description, "
        f"{requested}, r.address, r.lat, r.lng, {UNIT_NAME}, c.status, {LEAD_UNIT_NAME}, {expected}, {FIRST_PHOTO}, "
        f"{updated}"
    )


PAGE_SELECT = {True: _page_select(True), False: _page_select(False)}


class _Statement:
    """A statement's text and named parameters built clause by clause (``%(name)s``, the same on every
    database; a list is one array parameter on PostgreSQL, one parameter per item elsewhere)."""

    def __init__(self, postgres: bool):
        self.postgres = postgres
        self.where: list[str] = ["r.status = %(accepted)s"]
        self.params: dict = {"accepted": str(ReportStatus.ACCEPTED)}

    def one_of(self, column: str, name: str, values) -> str:
        values = [str(value) for value in values]
        if self.postgres:
            self.params[name] = values
            return f"{column} = ANY(%({name})s)"
        names = [f"{name}_{n}" for n in range(len(values))]
        self.params.update(zip(names, values, strict=True))
        return f"{column} IN ({', '.join(f'%({n})s' for n in names)})"


def _where(statement: _Statement, *, numbers, start, end, codes, is_open) -> bool:
    """Append the list's clauses; True when they need the report's case (``c``) joined."""
    where = statement.where
    if numbers:
        where.append(statement.one_of("r.number", "numbers", numbers))
        return False
    where.append("r.created_at >= %(start)s AND r.created_at <= %(end)s")
    statement.params.update(start=start, end=end)
    if codes:
        codes_in = statement.one_of("k.code", "codes", codes)
        where.append(f"r.category_id IN (SELECT k.id FROM places_sitecategory k WHERE {codes_in})")
    if is_open is None:
        return False
    open_case = statement.one_of("c.status", "open", OPEN_STATUSES)  # casebridge.open_q()
    where.append(f"(r.case_id IS NULL OR {open_case})" if is_open else f"r.case_id IS NOT NULL AND NOT {open_case}")
    return True


def list_page(*, numbers=(), start=None, end=None, codes=(), is_open=None, offset: int, limit: int, tz):
    """``(total, rows, categories by id)``: the number of accepted reports the filters select and the rows
    ``[offset:offset + limit]`` of them, newest first (tuples in ``PAGE_COLUMNS`` order, the times as
    ``render.w3c`` writes them in ``tz``). ``numbers``: those reports only (the other filters are ignored);
    else created between ``start`` and ``end``, of the service ``codes`` if any, open (True) or closed (False)
    if asked."""
    connection = connections[router.db_for_read(Report)]
    postgres = connection.vendor == "postgresql" and isinstance(tz, ZoneInfo) and tz.key is not None
    statement = _Statement(postgres)
    if not numbers:  # as the ORM passes them (SQLite: naive UTC text)
        start, end = connection.ops.adapt_datetimefield_value(start), connection.ops.adapt_datetimefield_value(end)
    needs_case = _where(statement, numbers=numbers, start=start, end=end, codes=codes, is_open=is_open)
    where = " WHERE " + " AND ".join(statement.where)
    case_join = CASE_JOIN if needs_case else ""
    count_sql = f"SELECT count(*) FROM public_report r{case_join}{where}"
    page_sql = f"{PAGE_SELECT[postgres]} FROM ({PAGE_REPORT}{case_join}{where}{PAGE_SLICE}) r{CASE_JOIN}{ORDER}"
    params = statement.params | {"limit": limit, "offset": offset}
    if postgres:
        params["tz"] = tz.key
    prepared = postgres and getattr(settings, "OPEN311_PREPARED_STATEMENTS", True)
    with _prepared_cursor(connection) if prepared else connection.cursor() as cursor:
        cursor.execute(count_sql, statement.params)
        total = cursor.fetchone()[0]
        cursor.execute(page_sql, params)
        rows = cursor.fetchall()
    if not postgres:
        rows = [_written(row, tz) for row in rows]
    categories = KEPT_CATEGORIES.get("all", SiteCategory.objects.in_bulk)
    listed = {row[1] for row in rows}
    if not listed <= categories.keys():  # not kept yet (a change still uncommitted)
        categories = SiteCategory.objects.in_bulk(listed)
    return total, rows, categories


def _written(row: tuple, tz) -> tuple:
    """A row read without the database writing its times: the three times written by ``render.w3c``."""
    row = list(row)
    for index in (4, 13):
        row[index] = w3c(_aware(row[index]), tz)
    row[11] = w3c(parse_date(row[11]) if isinstance(row[11], str) else row[11], tz)
    return tuple(row)


def _aware(value):
    """A timestamp as the database returned it (SQLite: text, naive UTC) as an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


class _PreparingCursor(psycopg.Cursor):
    """A server-binding cursor whose statements are prepared on first use (psycopg keeps them per connection,
    so a new connection prepares them again)."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)

    def _send_query_prepared(self, name, pgq, *, binary=None):
        # psycopg leaves ``_query`` unset when it runs an already prepared statement, and Django's query log
        # (``last_executed_query``) reads the statement's text from it.
        self._query = pgq
        return super()._send_query_prepared(name, pgq, binary=binary)


def _prepared_cursor(connection):
    """A Django cursor (queries logged, errors wrapped, execute wrappers run) over ``_PreparingCursor``.

    Django's PostgreSQL cursors bind parameters on the client, so each statement's text is new and PostgreSQL
    plans it again; a list's two statements planned cost as much as they ran. Django also turns psycopg's
    preparing off (``prepare_threshold`` None, for transaction-mode poolers older than PgBouncer 1.21): on
    each new connection this sets a threshold no statement reaches, so only these two are prepared
    (``OPEN311_PREPARED_STATEMENTS = False`` turns it off)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        connection.connection.prepare_threshold = sys.maxsize
    with connection.wrap_database_errors:
        cursor = _PreparingCursor(connection.connection)
    return connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)
