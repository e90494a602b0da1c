"""Indicators judged by a person (operator "manual"): the office records 达标/未达标 with a reason."""

from decimal import Decimal

import pytest
from django.test import Client

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.standards import services
from chuangcheng.standards.models import Compliance, IndicatorReport, StandardStatus
from chuangcheng.standards.selectors import indicator_board
from chuangcheng.standards.tests.factories import IndicatorFactory, StandardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manual_report(units, people):
    standard = StandardFactory(status=StandardStatus.PUBLISHED)
    indicator = IndicatorFactory(standard=standard, operator="manual", threshold_text="建成健康社区")
    return services.report_indicator(
        actor=people["health"], indicator=indicator, unit=units["health"], period="2025", value_text="已建成12个"
    )


def test_manual_indicator_waits_for_a_person(manual_report):
    assert manual_report.compliance == Compliance.MANUAL
    assert "需人工判定" in manual_report.compliance_reason


def test_office_judges_and_board_shows_the_verdict(manual_report, people):
    report = services.judge_manually(
        actor=people["office"], report=manual_report, verdict="fail", reason="材料不全，缺少验收文件"
    )
    assert report.compliance == Compliance.FAIL
    assert report.compliance_reason == "人工判定：材料不全，缺少验收文件"
    assert report.judged_by == people["office"] and report.judged_at is not None
    row = next(
        r for r in indicator_board(report.indicator.standard, people["office"]) if r.indicator == report.indicator
    )
    assert row.cells[0].history[0]["compliance"] == Compliance.FAIL
    event = AuditEvent.objects.get(verb="standards.judge_indicator")
    assert event.changes["manual_verdict"] == ["", "fail"]


def test_revised_value_clears_the_verdict(manual_report, people, units):
    services.judge_manually(actor=people["office"], report=manual_report, verdict="pass", reason="现场核查属实")
    revised = services.report_indicator(
        actor=people["health"],
        indicator=manual_report.indicator,
        unit=units["health"],
        period="2025",
        value_text="已建成15个",
    )
    assert revised.compliance == Compliance.MANUAL and revised.manual_verdict == ""


@pytest.mark.parametrize(
    ("verdict", "reason", "field"),
    [("maybe", "依据", "verdict"), ("pass", "   ", "reason"), ("pass", "长" * 281, "reason")],
)
def test_bad_judgement_is_refused_and_changes_nothing(manual_report, people, verdict, reason, field):
    with pytest.raises(DomainError) as error:
        services.judge_manually(actor=people["office"], report=manual_report, verdict=verdict, reason=reason)
    assert error.value.field == field
    manual_report.refresh_from_db()
    assert manual_report.manual_verdict == "" and manual_report.compliance == Compliance.MANUAL
    assert not AuditEvent.objects.filter(verb="standards.judge_indicator").exists()


def test_only_the_office_judges(manual_report, people):
    for who in ("health", "inspector", "no_role"):
        with pytest.raises(NotPermitted):
            services.judge_manually(actor=people[who], report=manual_report, verdict="pass", reason="属实")


def test_threshold_indicator_cannot_be_judged_by_hand(units, people):
    indicator = IndicatorFactory(operator=">=", threshold=Decimal("90"))
    report = services.report_indicator(
        actor=people["health"], indicator=indicator, unit=units["health"], period="2025", value=Decimal("80")
    )
    with pytest.raises(DomainError) as error:
        services.judge_manually(actor=people["office"], report=report, verdict="pass", reason="特批")
    assert error.value.field == "verdict"


def test_judge_api(manual_report, people, client_for):
    url = f"/api/v1/indicator-reports/{manual_report.pk}/judge/"
    response = client_for(people["office"]).post(url, {"verdict": "pass", "reason": "现场核查属实"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["compliance"] == "pass" and response.json()["manual_verdict"] == "pass"
    refused = client_for(people["office"]).post(url, {"verdict": "pass", "reason": ""}, format="json")
    assert refused.status_code == 422 and refused.json()["field"] == "reason"
    assert client_for(people["health"]).post(url, {"verdict": "fail", "reason": "x"}, format="json").status_code == 403
    assert client_for(people["ecology"]).post(url, {"verdict": "fail", "reason": "x"}, format="json").status_code == 404


def test_judge_page(manual_report, people):
    client = Client()
    client.force_login(people["office"])
    detail = client.get(f"/standards/indicators/{manual_report.indicator_id}/")
    assert "人工判定" in detail.content.decode()
    url = f"/standards/reports/{manual_report.pk}/judge/"
    page = client.get(url)
    assert page.status_code == 200 and "已建成12个" in page.content.decode()
    invalid = client.post(url, {"verdict": "pass", "reason": ""})
    assert invalid.status_code == 200 and "该字段是必填项" in invalid.content.decode()
    done = client.post(url, {"verdict": "pass", "reason": "现场核查属实"})
    assert done.status_code == 302
    assert IndicatorReport.objects.get(pk=manual_report.pk).compliance == Compliance.PASS
    health = Client()
    health.force_login(people["health"])
    assert health.get(url).status_code == 403
