"""Kept apart from core.api: DRF imports this while loading its generic views."""

from rest_framework import pagination


class StandardPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
