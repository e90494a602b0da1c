from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.standards import services
from chuangcheng.standards.models import Compliance, IndicatorReport, StandardStatus
from chuangcheng.standards.selectors import indicator_board
from chuangcheng.standards.tests.factories import IndicatorFactory, StandardFactory

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7V\xbd\xfa\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def standard():
    return StandardFactory(status=StandardStatus.PUBLISHED)


def test_report_indicator_by_unit_judges_and_stores_evidence(standard, units, people):
    indicator = IndicatorFactory(standard=standard, operator=">=", threshold=Decimal("90"))
    upload = SimpleUploadedFile("证明.png", PNG, content_type="image/png")
    report = services.report_indicator(
        actor=people["health"],
        indicator=indicator,
        unit=units["health"],
        period="2025",
        value=Decimal("92"),
        evidence=[upload],
    )
    assert report.compliance == Compliance.PASS
    assert report.evidence.get().kind == "image"


def test_report_indicator_again_same_period_revises(standard, units, people):
    indicator = IndicatorFactory(standard=standard, operator=">=", threshold=Decimal("90"))
    kwargs = {"actor": people["health"], "indicator": indicator, "unit": units["health"], "period": "2025"}
    services.report_indicator(value=Decimal("80"), **kwargs)
    report = services.report_indicator(value=Decimal("95"), **kwargs)
    assert IndicatorReport.objects.count() == 1 and report.compliance == Compliance.PASS


def test_report_indicator_for_other_unit_is_not_permitted(standard, units, people):
    indicator = IndicatorFactory(standard=standard)
    with pytest.raises(NotPermitted):
        services.report_indicator(
            actor=people["health"], indicator=indicator, unit=units["ecology"], period="2025", value=Decimal(1)
        )
    with pytest.raises(NotPermitted):
        services.report_indicator(
            actor=people["inspector"], indicator=indicator, unit=units["health"], period="2025", value=Decimal(1)
        )


def test_report_indicator_bad_period_or_empty_value_refused(standard, units, people):
    indicator = IndicatorFactory(standard=standard, period_kind="quarter")
    with pytest.raises(DomainError, match="2025-Q1"):
        services.report_indicator(
            actor=people["office"], indicator=indicator, unit=units["health"], period="2025", value=Decimal(1)
        )
    with pytest.raises(DomainError, match="数值"):
        services.report_indicator(actor=people["office"], indicator=indicator, unit=units["health"], period="2025-Q1")


def test_report_indicator_evidence_checked_by_content(standard, units, people):
    indicator = IndicatorFactory(standard=standard)
    fake = SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")
    with pytest.raises(DomainError, match="文件类型不符"):
        services.report_indicator(
            actor=people["health"],
            indicator=indicator,
            unit=units["health"],
            period="2025",
            value=Decimal(1),
            evidence=[fake],
        )
    assert not IndicatorReport.objects.exists()


def test_report_indicator_trend_uses_earlier_years_and_rejudges_later(standard, units, people):
    indicator = IndicatorFactory(standard=standard, operator="trend_down", threshold=None, threshold_text="逐年下降")
    kwargs = {"actor": people["health"], "indicator": indicator, "unit": units["health"]}
    later = services.report_indicator(period="2025", value=Decimal("30"), **kwargs)
    assert later.compliance == Compliance.INSUFFICIENT
    services.report_indicator(period="2024", value=Decimal("32"), **kwargs)
    later.refresh_from_db()
    assert later.compliance == Compliance.PASS


def test_report_indicator_unknown_threshold_not_judged(standard, units, people):
    indicator = IndicatorFactory(standard=standard, operator="", threshold=None)
    report = services.report_indicator(
        actor=people["health"], indicator=indicator, unit=units["health"], period="2025", value=Decimal("5")
    )
    assert report.compliance == Compliance.UNKNOWN


def test_indicator_board_scoped_with_history_and_new_version(standard, units, people):
    indicator = IndicatorFactory(standard=standard, code="I-55", operator=">=", threshold=Decimal("95"), is_hard=True)
    for unit, user in ((units["health"], people["health"]), (units["ecology"], people["ecology"])):
        for period, value in (("2024", "90"), ("2025", "96")):
            services.report_indicator(actor=user, indicator=indicator, unit=unit, period=period, value=Decimal(value))
    rows = indicator_board(standard, people["health"], hard_only=True)
    assert [cell.unit for cell in rows[0].cells] == [units["health"]]
    history = rows[0].cells[0].history
    assert [h["compliance"] for h in history] == [Compliance.FAIL, Compliance.PASS]
    assert len(indicator_board(standard, people["office"])[0].cells) == 2
    draft = services.create_draft_from(standard=standard, actor=people["office"])
    services.update_indicator(indicator=draft.indicators.get(), actor=people["office"], threshold=Decimal("97"))
    services.publish_standard(standard=draft, actor=people["office"])
    row = indicator_board(draft, people["office"])[0]
    assert [c.latest["compliance"] for c in row.cells] == [Compliance.FAIL, Compliance.FAIL]
