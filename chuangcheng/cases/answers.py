"""The answer to a single intake (``POST /api/v1/cases/``): ``CaseDetailSerializer``'s fields of the case just
taken in, built from the case object in memory.

The serializer builds its thirty-odd field objects anew for every request (about a fifth of an intake's CPU);
this module converts each field the way the serializer's field would, with field converters built once per
process. The related rows the answer shows (cooperating units, photos) are the ones intake just wrote and left
on the case (``intake.remember``), so the answer runs no query. ``test_answers.py`` holds it equal to the
serializer's output for cases of every shape.
"""

from __future__ import annotations

from functools import cache

from django.db import models
from django.utils import timezone
from rest_framework.fields import DateField, DateTimeField

from chuangcheng.cases import deadlines, selectors
from chuangcheng.cases.models import Case
from chuangcheng.cases.serializers import (
    SOURCE_LABELS,
    STATUS_LABELS,
    CaseDetailSerializer,
    CasePhotoSerializer,
)
from chuangcheng.cases.workflow import allowed_actions
from chuangcheng.core.workdays import calendar

_DATETIME = DateTimeField()
_DATE = DateField()


def _datetime(value):
    return _DATETIME.to_representation(value) if value else None


def _date(value):
    return _DATE.to_representation(value) if value else None


def _text(value):
    return value if value is None or type(value) is str else str(value)


def _number(value):
    return value if value is None else float(value)


def _plain(value):
    return value


def _converter(field: models.Field):
    if isinstance(field, models.DateTimeField):
        return _datetime
    if isinstance(field, models.DateField):
        return _date
    if isinstance(field, models.FloatField):
        return _number
    if isinstance(field, models.CharField | models.TextField):
        return _text
    return _plain


SPECIAL = frozenset(
    {
        "source_display",
        "status_display",
        "lead_unit_name",
        "category_name",
        "light",
        "cooperating_units",
        "allowed_actions",
        "clock",
        "photos",
    }
)


@cache
def _plain_fields() -> tuple:
    """``(name, attribute, converter)`` of each model field of the answer (a relation: its id)."""
    fields = []
    for name in CaseDetailSerializer.Meta.fields:
        if name in SPECIAL:
            continue
        field = Case._meta.get_field(name)
        fields.append((name, field.attname, _converter(field)))
    return tuple(fields)


def _related_name(case: Case, name: str) -> str:
    related = getattr(case, name) if getattr(case, f"{name}_id") is not None else None
    return related.name if related is not None else ""


def created_answer(case: Case, *, request) -> dict:
    """``CaseDetailSerializer(case, context={"request": request}).data`` of a case just taken in."""
    data = {name: convert(getattr(case, attname)) for name, attname, convert in _plain_fields()}
    clock = deadlines.clock(case, timezone.localdate(), calendar())
    photos = list(case.photos.all())
    data.update(
        source_display=SOURCE_LABELS.get(case.source, case.source),
        status_display=STATUS_LABELS.get(case.status, case.status),
        lead_unit_name=_related_name(case, "lead_unit"),
        category_name=_related_name(case, "category"),
        light=clock.light,
        cooperating_units=[unit.pk for unit in case.cooperating_units.all()],
        allowed_actions=allowed_actions(request.user, case),
        clock={
            "limit": clock.limit,
            "used": clock.used,
            "due": clock.due,
            "light": clock.light,
            "paused": clock.paused,
            "label": clock.label,
        },
        photos=CasePhotoSerializer(photos, many=True, context={"request": request}).data if photos else [],
    )
    return {name: data[name] for name in CaseDetailSerializer.Meta.fields}


def duplicates_of(case: Case, *, user) -> list[dict]:
    """The answer's ``duplicates``: open cases of the same category near the new one, nearest first."""
    found = selectors.duplicate_candidates(
        category_id=case.category_id, lng=case.lng, lat=case.lat, exclude_pk=case.pk, user=user
    )
    return [{"id": c.pk, "number": c.number, "title": c.title, "distance_m": c.distance_m} for c in found]
