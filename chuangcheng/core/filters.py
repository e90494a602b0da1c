"""Filter plumbing shared by the API and the list pages: number filters refuse what no column can hold.

A ``NumberFilter`` reads a decimal, so ``?area=1e40`` reached the database as a number beyond any
integer column, and SQLite raised ``OverflowError`` (a 500). Every number filter of every filter set is
bounded to a 64-bit integer's range, giving the usual form error (a 400 in the API, an ignored filter
on a page).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django_filters import NumberFilter
from django_filters.rest_framework import DjangoFilterBackend

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def bound_number_filters(filterset):
    """Add 64-bit bounds to the form fields of ``filterset``'s number filters; return ``filterset``."""
    if filterset is None:
        return filterset
    fields = filterset.form.fields
    for name, declared in filterset.filters.items():
        field = fields.get(name)
        if isinstance(declared, NumberFilter) and field is not None and not getattr(field, "_int64_bounded", False):
            field.validators += [
                MinValueValidator(INT64_MIN, message="数值超出范围"),
                MaxValueValidator(INT64_MAX, message="数值超出范围"),
            ]
            field._int64_bounded = True
    return filterset


def narrows(filterset) -> bool:
    """Whether ``filterset`` filters anything: bound, and some filter has a value (an invalid one counts as
    filtering, to be safe). False: its queryset is the one it was given (a list's scope only)."""
    if filterset is None or not filterset.is_bound:
        return False
    if not filterset.is_valid():
        return True
    return any(value not in (None, "", [], ()) for value in filterset.form.cleaned_data.values())


class BoundedFilterBackend(DjangoFilterBackend):
    """``DjangoFilterBackend`` whose number filters are bounded (``REST_FRAMEWORK['DEFAULT_FILTER_BACKENDS']``)."""

    def get_filterset(self, request, queryset, view):
        return bound_number_filters(super().get_filterset(request, queryset, view))
