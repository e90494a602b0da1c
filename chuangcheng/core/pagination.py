"""Kept apart from core.api: DRF imports this while loading its generic views."""

from __future__ import annotations

from rest_framework import pagination


class StandardPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class KnownCount:
    """A queryset to page through whose exact total is already known, so the paginator (Django's or DRF's, which
    call ``count()``) does not run ``COUNT(*)`` over it: the total came from a cheaper exact count (for example
    ``cases.selectors.visible_count``). Slices and every other attribute are the queryset's."""

    def __init__(self, queryset, total: int):
        self.queryset = queryset
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key):
        return self.queryset[key]

    def __getattr__(self, name):
        return getattr(self.queryset, name)
