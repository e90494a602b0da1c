"""The values an audit row's ``changes`` hold: what JSON takes as it is, a model's pk, else the value's text; and
rows written by ``record_many`` (``core.inserts``) are stored as built and accepted by sealing."""

import datetime as dt
import json
import zoneinfo
from decimal import Decimal

import pytest
from django.db import models

from chuangcheng.audit.models import AuditEvent
from chuangcheng.audit.services import _jsonable, record_many, seal_pending, verify_audit_chain
from chuangcheng.cases.models import CaseStatus
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 12, 7, 9, 30, 15, 123456, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
SAMPLES = [
    "文本 \"引号\" \\ \n", "", 0, -7, 2**70, 2.5, float("nan"), True, False, None,
    [None, "新"], ("旧", 1), [], [1, [2, 3]], [None, AT], {"键": [1, None]}, {1: "int key"}, {(1, 2): "tuple key"},
    Decimal("1.50"), AT, dt.date(2026, 12, 31), CaseStatus.REPORTED, [CaseStatus.REPORTED, None], {1, 2},
]  # fmt: skip


def trial(value):
    """The rule by trial ``json.dumps``, for every value."""
    if isinstance(value, models.Model):
        return value.pk
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)


@pytest.mark.parametrize("value", SAMPLES, ids=repr)
def test_each_value_is_kept_or_turned_to_text_as_by_trial(value):
    expected, got = trial(value), _jsonable(value)
    assert got is expected or (type(got) is str and got == expected)


def test_rows_written_together_hold_their_changes_and_are_sealed():
    unit = UnitFactory(name="街道")
    entries = [
        {"actor": None, "verb": "test.values", "target": unit, "unit": unit,
         "changes": {"pair": [None, "新"], "unit": unit, "at": AT, "money": Decimal("1.50"), "nested": {"深": [1]}}},
        {"actor": None, "verb": "test.values", "target": None, "target_type": "org.unit", "changes": {"n": [1, 2]}},
    ]  # fmt: skip
    events = record_many(entries)
    stored = {e.pk: e for e in AuditEvent.objects.filter(pk__in=[e.pk for e in events])}
    assert stored[events[0].pk].changes == {
        "pair": [None, "新"], "unit": unit.pk, "at": str(AT), "money": "1.50", "nested": {"深": [1]},
    }  # fmt: skip
    assert stored[events[1].pk].changes == {"n": [1, 2]} and stored[events[1].pk].target_id == ""
    assert [stored[e.pk].mac for e in events] == [e.mac for e in events]
    assert seal_pending() == 2
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in events], refused=True).exists()
    assert verify_audit_chain() == []
