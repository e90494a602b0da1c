"""Report numbers keep working past 9,999 reports in a day (``SP<date>`` + a counter of any width)."""

import pytest
from django.utils import timezone

from chuangcheng.public.models import Report
from chuangcheng.public.services.reports import submit_report

pytestmark = pytest.mark.django_db


def _report(world, n: int):
    return submit_report(
        category=world["litter"],
        description=f"路边有一堆建筑垃圾（第{n}条）",
        lng=120.005,
        lat=30.005,
        client_address=f"10.0.0.{n}",
    )[0]


def test_numbers_go_on_after_the_ten_thousandth_report_of_a_day(world):
    prefix = "SP" + timezone.localdate().strftime("%Y%m%d")
    first = _report(world, 1)
    assert first.number == f"{prefix}0001"
    Report.objects.filter(pk=first.pk).update(number=f"{prefix}9999")  # as if 9,998 came before it today
    numbers = [_report(world, n).number for n in range(2, 5)]
    assert numbers == [f"{prefix}10000", f"{prefix}10001", f"{prefix}10002"]
    assert Report.objects.filter(number__startswith=prefix).count() == 4
