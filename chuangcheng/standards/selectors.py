"""Reads over the standards catalog."""

from __future__ import annotations

from django.db.models import QuerySet

from chuangcheng.standards.models import CheckItem, Standard, StandardStatus


def current_standard(kind: str) -> Standard | None:
    """The latest published version of ``kind`` (by effective date, then publication)."""
    return (
        Standard.objects.filter(kind=kind, status=StandardStatus.PUBLISHED)
        .order_by("-effective_date", "-published_at", "-id")
        .first()
    )


def check_items_for_category(standard: Standard, category) -> QuerySet[CheckItem]:
    """Check items of ``standard`` that apply to a ``places.SiteCategory``."""
    return (
        CheckItem.objects.filter(standard=standard, site_categories=category)
        .select_related("clause")
        .order_by("sort_order", "id")
    )
