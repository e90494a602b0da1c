"""Reads on the hottest paths (an API token per request, the site of each new case): model instances from a
SELECT whose text is built once per process, with no queryset.

Building and compiling a queryset costs about a millisecond of CPU, several times the query itself: on a path
that runs hundreds of times a second that is most of the request. ``Select`` writes the column list and joins
from the model's ``_meta`` (so a migration that adds a column needs no change here), keeps the SQL per WHERE
clause, applies the same value converters as the ORM (SQLite's text timestamps and integer booleans, JSON
text) and builds the instances with ``Model.from_db``, the related ones cached as ``select_related`` would.
The caller writes only the WHERE clause, with ``%s`` parameters, naming columns through ``col``.
"""

from __future__ import annotations

from django.db import connections, router


class Select:
    """``SELECT`` of ``model``'s columns (``fields``: some of them; the primary key always) and of the forward
    foreign keys ``related`` (each a LEFT JOIN when nullable, else INNER), rows as instances."""

    def __init__(self, model, *, related: tuple[str, ...] = (), fields: tuple[str, ...] | None = None):
        self.model, self.related, self.fields = model, tuple(related), fields
        self._plans: dict = {}  # by database alias: (columns SQL, FROM SQL, column layout)
        self._sql: dict = {}  # by (alias, where, order, limit)
        self._cols: dict = {}  # quoted columns by (field, relation, alias)

    def __deepcopy__(self, memo):
        return self  # one per process, shared (DRF copies a field's arguments for every serializer)

    def using(self) -> str:
        return router.db_for_read(self.model)

    def col(self, name: str, relation: str | None = None, *, using: str | None = None) -> str:
        """The quoted column of field ``name`` of the model (or of the related model ``relation``)."""
        using = using or self.using()
        key = (name, relation, using)
        found = self._cols.get(key)
        if found is None:
            model = self.model if relation is None else self.model._meta.get_field(relation).related_model
            quote = connections[using].ops.quote_name
            table = self._alias(relation) if relation else model._meta.db_table
            found = self._cols[key] = f"{quote(table)}.{quote(model._meta.get_field(name).column)}"
        return found

    def param(self, name: str, value, *, using: str | None = None):
        """``value`` as the database takes it for field ``name`` (SQLite keeps timestamps as UTC text)."""
        return self.model._meta.get_field(name).get_db_prep_value(value, connections[using or self.using()])

    def fetch(self, where: str, params, *, order: str = "", limit: int | None = None, using: str | None = None):
        """The instances of the rows matching ``where`` (``order``: an ORDER BY clause's text)."""
        using = using or self.using()
        key = (using, where, order, limit)
        sql = self._sql.get(key)
        plan = self._plan(using)
        if sql is None:
            sql = f"SELECT {plan[0]} FROM {plan[1]} WHERE {where}"
            sql += f" ORDER BY {order}" if order else ""
            sql += f" LIMIT {int(limit)}" if limit is not None else ""
            self._sql[key] = sql
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [self._build(row, plan[2], using, connection) for row in rows]

    def first(self, where: str, params, *, using: str | None = None):
        found = self.fetch(where, params, limit=1, using=using)
        return found[0] if found else None

    # --- the plan: columns, joins, converters ------------------------------------------------------

    @staticmethod
    def _alias(relation: str) -> str:
        return f"rel_{relation}"

    def _columns(self, model, wanted=None) -> list:
        pk = model._meta.pk  # first: a LEFT JOIN that found nothing has NULL there
        fields = [
            f
            for f in model._meta.concrete_fields
            if f is not pk and (wanted is None or {f.name, f.attname} & set(wanted))
        ]
        return [pk, *fields]

    def _plan(self, using: str):
        plan = self._plans.get(using)
        if plan is not None:
            return plan
        connection = connections[using]
        quote = connection.ops.quote_name
        table = self.model._meta.db_table
        parts = [(None, self.model, table, self._columns(self.model, self.fields))]
        joins = [quote(table)]
        for name in self.related:
            field = self.model._meta.get_field(name)
            alias, related = self._alias(name), field.related_model
            kind = "LEFT OUTER JOIN" if field.null else "INNER JOIN"
            target = field.target_field.column
            joins.append(
                f"{kind} {quote(related._meta.db_table)} {quote(alias)}"
                f" ON ({quote(table)}.{quote(field.column)} = {quote(alias)}.{quote(target)})"
            )
            parts.append((field, related, alias, self._columns(related)))
        select, layout, start = [], [], 0
        for field, model, alias, columns in parts:
            converters = []
            for index, column in enumerate(columns):
                select.append(f"{quote(alias)}.{quote(column.column)}")
                expression = column.get_col(alias)
                found = connection.ops.get_db_converters(expression) + column.get_db_converters(connection)
                if found:
                    converters.append((start + index, found, expression))
            layout.append((field, model, [c.attname for c in columns], start, start + len(columns), converters))
            start += len(columns)
        plan = (", ".join(select), " ".join(joins), layout)
        self._plans[using] = plan
        return plan

    def _build(self, row, layout, using, connection):
        row = list(row)
        for _field, _model, _names, _start, _stop, converters in layout:
            for index, found, expression in converters:
                value = row[index]
                for converter in found:
                    value = converter(value, expression, connection)
                row[index] = value
        (_, model, names, start, stop, _), *relations = layout
        instance = model.from_db(using, names, row[start:stop])
        for field, related, names, start, stop, _ in relations:
            values = row[start:stop]
            other = None if values[0] is None else related.from_db(using, names, values)
            field.set_cached_value(instance, other)
        return instance
