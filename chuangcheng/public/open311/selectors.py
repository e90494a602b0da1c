"""Reads of the Open311 lists: one page of accepted reports as plain values.

Model instances for 1,000 reports, their categories, units, cases and lead units cost more than all the rest
of the request, so a list reads values in one query, with the first photo's id by subquery and the time of
the last update (``casebridge.state_of``'s, else the report's) computed by the database: each row converts two
timestamps, not six.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Case, OuterRef, Subquery, When
from django.db.models.functions import Coalesce

from chuangcheng.core.cache import Kept
from chuangcheng.places.models import SiteCategory
from chuangcheng.public.models import ReportPhoto

# The site categories (the lists' service names and codes), kept per process; renewed by signals on
# ``SiteCategory`` (connected in ``public.apps``).
KEPT_CATEGORIES = Kept("open311.categories:version")
categories_changed = KEPT_CATEGORIES.changed

LIST_FIELDS = (
    "number", "category_id", "public_description", "description", "created_at", "address", "lat", "lng",
    "unit__name", "case__status", "case__lead_unit__name", "case__deadline", "first_photo", "last_update",
)  # fmt: skip


def page_values(queryset, start: int, stop: int) -> tuple[list[dict], dict]:
    """``(rows, categories by id)`` of the reports ``queryset[start:stop]`` (accepted reports, in order)."""
    first_photo = ReportPhoto.objects.filter(report=OuterRef("pk")).order_by("sort_order", "id").values("pk")[:1]
    last_update = Case(
        When(case__isnull=True, then=Coalesce("moderated_at", "updated_at")),
        default=Coalesce("case__status_changed_at", "case__created_at", "updated_at"),
    )
    page = (
        queryset.select_related(None)
        .prefetch_related(None)
        .annotate(first_photo=Subquery(first_photo), last_update=last_update)
        .values(*LIST_FIELDS)[start:stop]
    )
    rows = _plain_rows(page)
    categories = KEPT_CATEGORIES.get("all", SiteCategory.objects.in_bulk)
    if any(row["category_id"] not in categories for row in rows):  # not kept yet (a change still uncommitted)
        categories = SiteCategory.objects.in_bulk({row["category_id"] for row in rows})
    return rows, categories


def _plain_rows(page) -> list[dict]:
    """The rows of a ``values()`` queryset read straight from the cursor when no column needs converting (on
    PostgreSQL none does; SQLite converts timestamps, so it goes the usual way): the same dicts as
    ``list(page)`` without Django's per-row iteration layer."""
    compiler = page.query.get_compiler(using=page.db)
    sql, params = compiler.as_sql()
    if compiler.get_converters([column for column, _, _ in compiler.select[: compiler.col_count]]):
        return list(page)
    query = page.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    with connections[page.db].cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
