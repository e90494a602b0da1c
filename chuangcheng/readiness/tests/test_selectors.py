import datetime

import pytest

from chuangcheng.readiness import selectors, services
from chuangcheng.readiness.tests.factories import InspectionWindowFactory
from chuangcheng.standards.models import Compliance, IndicatorReport, Standard, StandardStatus
from chuangcheng.standards.tests.factories import IndicatorFactory, StandardFactory

pytestmark = pytest.mark.django_db


def test_countdown_counts_to_earliest_then_to_latest(city):
    today = datetime.date(2027, 3, 1)
    InspectionWindowFactory(earliest=datetime.date(2027, 3, 11), latest=datetime.date(2027, 4, 30), title="暗访")
    InspectionWindowFactory(earliest=datetime.date(2027, 2, 1), latest=datetime.date(2027, 3, 5), title="省级")
    InspectionWindowFactory(earliest=datetime.date(2026, 1, 1), latest=datetime.date(2026, 2, 1), title="已过")
    countdowns = selectors.upcoming_windows(city["unit_head"], today=today)
    assert [str(c.window) for c in countdowns] == ["省级", "暗访"]
    assert countdowns[0].inside and countdowns[0].days_to_latest == 4 and countdowns[0].level == "red"
    assert countdowns[1].days_to_earliest == 10 and "10 天" in countdowns[1].label


def test_readiness_parts_show_each_available_part(city):
    assert selectors.readiness_parts(city["leader"]) == []
    services.run_forecast(actor=city["office_user"], runs=200, seed=1, prior_alpha=0)
    standard = StandardFactory(kind="sanitary_city")
    hard = [IndicatorFactory(standard=standard, is_hard=True) for _ in range(2)]
    IndicatorFactory(standard=standard, is_hard=False)
    Standard.objects.filter(pk=standard.pk).update(status=StandardStatus.PUBLISHED)
    IndicatorReport.objects.create(indicator=hard[0], unit=city["root"], period="2026", compliance=Compliance.PASS)
    parts = {part["key"]: part for part in selectors.readiness_parts(city["leader"])}
    assert parts["forecast"]["value"] == 1.0
    assert parts["indicators"]["value"] == 0.5 and parts["indicators"]["display"] == "1/2"
    assert selectors.combined_readiness(list(parts.values())) == pytest.approx(
        sum(p["value"] for p in parts.values()) / len(parts)
    )
