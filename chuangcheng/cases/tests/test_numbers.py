"""Case numbers never run out: past 999,999 in a year the counter widens and stays unique and ascending."""

import pytest
from django.db import connection

from chuangcheng.cases import numbers
from chuangcheng.cases.models import CaseCounter
from chuangcheng.cases.tests.test_concurrency import fresh_number_sequences  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _serials(values: list[str]) -> list[int]:
    return [int(value.split("-")[1]) for value in values]


def test_ten_thousand_and_one_numbers_in_one_day_are_unique_and_ascending():
    issued = numbers.next_numbers(2031, 10_000) + [numbers.next_number(2031)]
    assert len(set(issued)) == 10_001
    assert _serials(issued) == list(range(_serials(issued)[0], _serials(issued)[0] + 10_001))


@pytest.mark.usefixtures("fresh_number_sequences")
def test_numbers_widen_past_six_digits_on_postgresql():
    CaseCounter.objects.create(year=2032, last=999_998)  # the sequence starts after the counter
    assert numbers.next_numbers(2032, 3) == ["WT2032-999999", "WT2032-1000000", "WT2032-1000001"]


def test_numbers_widen_past_six_digits_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL 使用编号序列（见上一个测试）")
    CaseCounter.objects.create(year=2032, last=999_998)
    assert numbers.next_numbers(2032, 3) == ["WT2032-999999", "WT2032-1000000", "WT2032-1000001"]
