"""Multi-row INSERTs whose SQL is compiled once per process: ``insert(objs)`` writes what ``bulk_create`` would.

Django builds and compiles an ``InsertQuery`` on every ``bulk_create`` (a third of its CPU for the few rows of
one case's intake). ``insert`` keeps the statement's text per (database alias, vendor, model, table, columns,
primary key given or not) and each call only builds the parameters, with the conversions Django applies: each
field's ``pre_save(obj, add=True)`` (``auto_now``/``auto_now_add``) then ``get_db_prep_save`` (JSON, datetimes,
foreign keys by attname). Returned primary keys are set on the objects that had none, as ``bulk_create`` does
on PostgreSQL.

Up to ``VALUES_ROWS`` rows the statement is ``INSERT ... VALUES (%s, ...), ...`` (one kept text per row count):
psycopg binds scalars far faster than it builds array literals. Past that it is Django's own PostgreSQL form,
``INSERT ... SELECT * FROM UNNEST((%s)::type[], ...)``, whose text does not depend on the row count. Either
way one statement, as ``bulk_create`` writes on PostgreSQL whatever the number of rows.

Everything else goes to ``bulk_create`` unchanged: other backends (SQLite in the embedded setup and the default
test run), rows of several models or mixing set and unset primary keys, a value that is an expression
(``Now()``, ``DatabaseDefault``), a column Django itself would not write through ``UNNEST`` (fields with their
own placeholder, array or geometry types), multi-table inheritance.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import (
    AutoField,
    BigAutoField,
    BooleanField,
    CharField,
    Field,
    ForeignKey,
    OneToOneField,
    SmallAutoField,
    TextField,
)

VALUES_ROWS = 8  # measured: VALUES binds 1 to 3 rows in 60 % of UNNEST's CPU; they meet near 10 rows


class _Plan:
    """One model's kept insert: its statements and how to read the returned columns back."""

    __slots__ = ("head", "row", "tail", "unnest", "columns", "returning", "by_rows")

    def __init__(self, *, head: str, row: str, tail: str, unnest: str, fields: list, returning: tuple):
        self.head, self.row, self.tail, self.unnest = head, row, tail, unnest
        # (field, attname, pre_save is a plain read, value types get_db_prep_save passes unchanged) per column
        self.columns = tuple((f, f.attname, type(f).pre_save is Field.pre_save, _unchanged(f)) for f in fields)
        self.returning = returning  # (attname, column expression, converters) per returned column
        self.by_rows: dict[int, str] = {}

    def values_sql(self, count: int) -> str:
        try:
            return self.by_rows[count]
        except KeyError:
            sql = self.by_rows[count] = f"{self.head} VALUES {', '.join([self.row] * count)}{self.tail}"
            return sql


_PLANS: dict[tuple, _Plan | None] = {}  # None: this model and these columns go through bulk_create


def insert(objs: list, *, using: str | None = None) -> list:
    """Insert ``objs`` (unsaved instances of one model) as ``bulk_create(objs)`` would, in one statement.

    Returns ``objs``; each is then saved (``_state.adding`` false, ``_state.db``) and holds its primary key."""
    if not objs:
        return objs
    model = type(objs[0])
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql" or any(type(obj) is not model for obj in objs):
        return _fallback(model, objs, alias)
    opts = model._meta
    has_pk = [_prepare(obj, opts) for obj in objs]
    with_pk = has_pk[0]
    if any(flag is not with_pk for flag in has_pk):
        return _fallback(model, objs, alias)
    plan = _plan(model, connection, with_pk)
    if plan is None:
        return _fallback(model, objs, alias)
    params = []  # row by row
    for obj in objs:
        for field, attname, plain_get, plain_types in plan.columns:
            value = getattr(obj, attname) if plain_get else field.pre_save(obj, True)
            if type(value) not in plain_types:
                if hasattr(value, "resolve_expression"):
                    return _fallback(model, objs, alias)
                value = field.get_db_prep_save(value, connection=connection)
            params.append(value)
    if len(objs) <= VALUES_ROWS:
        sql = plan.values_sql(len(objs))
    else:
        width = len(plan.columns)
        sql, params = plan.unnest, [params[i::width] for i in range(width)]
    with connection.cursor() as cursor:
        try:
            cursor.execute(sql, params)
        except Exception:
            if connection.in_atomic_block:  # as bulk_create's atomic(savepoint=False) leaves it
                connection.needs_rollback = True
            raise
        rows = cursor.fetchall() if plan.returning else [()] * len(objs)
    for obj, row in zip(objs, rows, strict=True):
        for value, (attname, col, converters) in zip(row, plan.returning, strict=True):
            for converter in converters:
                value = converter(value, col, connection)
            setattr(obj, attname, value)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs


def _fallback(model, objs: list, alias: str) -> list:
    return model._base_manager.db_manager(alias).bulk_create(objs)


def _prepare(obj, opts) -> bool:
    """``bulk_create``'s preparation of one row (a default primary key, checks of related objects); whether
    the row holds its primary key."""
    if not obj._is_pk_set():
        obj.pk = opts.pk.get_pk_value_on_save(obj)
    obj._prepare_related_fields_for_save(operation_name="bulk_create")
    return obj._is_pk_set()


def _plan(model, connection, with_pk: bool) -> _Plan | None:
    """The kept statements for ``model``'s rows, with or without their primary keys (compiled on first use)."""
    opts = model._meta
    fields = _columns(opts, with_pk)
    key = (connection.alias, connection.vendor, model, opts.db_table, fields[1], with_pk)
    try:
        return _PLANS[key]
    except KeyError:
        plan = _PLANS[key] = _compile(model, connection, fields[0], with_pk)
        return plan


_COLUMNS: dict[tuple, tuple] = {}


def _columns(opts, with_pk: bool) -> tuple:
    """``(fields, their column names)`` that ``bulk_create`` writes, kept while the model's field list is the
    same object (``Options`` makes a new one when its fields change)."""
    source = opts.concrete_fields
    kept = _COLUMNS.get((opts, with_pk))
    if kept is None or kept[0] is not source:
        fields = [f for f in source if not f.generated and (with_pk or not isinstance(f, AutoField))]
        kept = _COLUMNS[(opts, with_pk)] = (source, fields, tuple(f.column for f in fields))
    return kept[1:]


def _compile(model, connection, fields: list, with_pk: bool) -> _Plan | None:
    """What Django's ``SQLInsertCompiler.as_sql`` writes for these columns on PostgreSQL, once."""
    opts = model._meta
    if not fields or any(p._meta.concrete_model is not opts.concrete_model for p in opts.all_parents):
        return None
    for field in fields:  # the columns Django's UNNEST form refuses (postgresql/compiler.py)
        target = field.target_field if field.is_relation else field
        if hasattr(field, "get_placeholder") or target.get_internal_type() not in connection.data_types:
            return None
    returning = list(opts.db_returning_fields)
    if with_pk:  # the keys are known: only other returned columns (database defaults) come back
        returning = [f for f in returning if f is not opts.pk]
    tail, returned = "", ()
    if returning:
        r_sql, r_params = connection.ops.return_insert_columns(returning)
        if r_params:
            return None
        tail = f" {r_sql}"
        cols = [(f.attname, f.get_col(opts.db_table)) for f in returning]
        returned = tuple((attname, col, _converters(connection, col)) for attname, col in cols)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    head = f"{connection.ops.insert_statement(on_conflict=None)} {qn(opts.db_table)} ({columns})"
    # the type without its parameters, so nothing is truncated (varchar[], not varchar(50)[]), as Django does
    arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)
    return _Plan(
        head=head,
        row=f"({', '.join(['%s'] * len(fields))})",
        tail=tail,
        unnest=f"{head} SELECT * FROM UNNEST({arrays}){tail}",
        fields=fields,
        returning=returned,
    )


def _unchanged(field) -> frozenset:
    """The value types that ``field.get_db_prep_save`` returns as they are, on PostgreSQL (Django 5.2): text for a
    plain ``CharField``/``TextField`` (``to_python`` keeps a ``str``), booleans for a plain ``BooleanField``,
    ints for a foreign key to an auto id (``AutoFieldMixin.get_db_prep_value``: ``int()``, no adaptation);
    ``None`` for each of them. Subclasses, other fields and other types go through ``get_db_prep_save``."""
    kind = type(field)
    if kind in (CharField, TextField):
        return frozenset((str, type(None)))
    if kind is BooleanField:
        return frozenset((bool, type(None)))
    if kind in (ForeignKey, OneToOneField) and type(field.target_field) in (AutoField, BigAutoField, SmallAutoField):
        return frozenset((int, type(None)))
    return frozenset()


def _converters(connection, col) -> tuple:
    """The converters ``SQLCompiler.get_converters`` applies to a returned column."""
    return tuple(connection.ops.get_db_converters(col) + col.get_db_converters(connection))


def clear() -> None:
    """Forget the kept statements (tests)."""
    _PLANS.clear()
    _COLUMNS.clear()
