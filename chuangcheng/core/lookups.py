"""``AnyOfSubquery``: ``lhs = ANY(ARRAY(subquery))`` on PostgreSQL, a plain ``IN (subquery)`` elsewhere.

Inside an OR, PostgreSQL runs ``EXISTS``/``IN (subquery)`` once per row (a SubPlan), so the whole OR can only be
a sequential scan. The array is computed once (an InitPlan) and ``= ANY`` of it is an index condition, so an OR
of it with other indexed conditions stays a BitmapOr of index scans (a unit's case ledger at 10 million cases:
``bench/levels.py``).
"""

from __future__ import annotations

from django.db.models import F, Lookup, Subquery


class AnyOfSubquery(Lookup):
    lookup_name = "any_of_subquery"
    prepare_rhs = False

    def __init__(self, field: str, queryset):
        super().__init__(F(field), Subquery(queryset))

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]
