"""Reads of the Open311 lists: one page of accepted reports as plain values.

Model instances for 1,000 reports, their categories, units, cases and lead units cost more than all the rest
of the request, so a list reads values in one query, with the first photo's id by subquery and the time of
the last update (``casebridge.state_of``'s, else the report's) computed by the database: each row converts two
timestamps, not six.
"""

from __future__ import annotations

from django.db.models import Case, OuterRef, Subquery, When
from django.db.models.functions import Coalesce

from chuangcheng.places.models import SiteCategory
from chuangcheng.public.models import ReportPhoto

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
    rows = list(
        queryset.select_related(None)
        .prefetch_related(None)
        .annotate(first_photo=Subquery(first_photo), last_update=last_update)
        .values(*LIST_FIELDS)[start:stop]
    )
    categories = SiteCategory.objects.in_bulk({row["category_id"] for row in rows})
    return rows, categories
