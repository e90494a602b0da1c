import datetime

import pytest

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.readiness import services
from chuangcheng.readiness.models import ForecastRun

pytestmark = pytest.mark.django_db


def test_run_forecast_stores_seed_parameters_and_results(city):
    run = services.run_forecast(actor=city["office_user"], runs=2000, seed=123, prior_alpha=0, band="medium")
    assert run.seed == 123 and run.runs == 2000
    assert run.parameters["pass_line_is_example"] is True
    # all 6 sites drawn; open: 2 points at site 0, 2 points at site 1 (the 待核实 item deducts nothing)
    assert run.results["summary"]["mean"] == pytest.approx(100 - 4 / 6)
    assert run.p_pass == 1.0
    assert run.results["unknown_items"] == 1
    assert run.results["unknown_problems"] == pytest.approx(1.0)
    assert run.results["items"][0]["title"] == "垃圾未密闭"
    assert {row["name"] for row in run.results["units"]} == {"东城区", "西城区"}
    assert AuditEvent.objects.filter(verb="readiness.forecast_run", target_id=str(run.pk)).exists()


def test_run_forecast_with_assumed_points_labels_example(city):
    run = services.run_forecast(
        actor=city["office_user"], runs=500, seed=1, prior_alpha=0, band="medium", unknown_points=3
    )
    assert run.results["summary"]["mean"] == pytest.approx(100 - 7 / 6)
    assert any("示例" in note for note in run.results["notes"])


def test_run_forecast_negative_open_case_at_sampled_site_fails(city):
    CaseFactory(site=city["sites"][3], check_item=city["items"][2], status=CaseStatus.SIGNED)
    run = services.run_forecast(actor=city["office_user"], runs=500, seed=1, prior_alpha=0, band="medium")
    assert run.p_pass == 0.0
    assert run.results["summary"]["p_negative"] == 1.0


def test_run_what_if_same_seed_and_not_worse(city):
    base = services.run_forecast(actor=city["leader"], runs=2000, seed=7, band="small")
    what_if = services.run_what_if(actor=city["leader"], baseline=base, case_ids=[city["cases"][0].pk])
    assert what_if.seed == base.seed and what_if.baseline == base
    assert what_if.mean_score > base.mean_score
    assert what_if.p_pass >= base.p_pass
    assert what_if.results["what_if"]["matched_cases"] == 1


def test_run_forecast_by_unit_head_is_refused(city):
    with pytest.raises(NotPermitted):
        services.run_forecast(actor=city["unit_head"], runs=500)
    assert not ForecastRun.objects.exists()


def test_run_forecast_bad_pass_line_is_rejected(city):
    with pytest.raises(DomainError) as error:
        services.run_forecast(actor=city["office_user"], runs=500, pass_line=120)
    assert error.value.field == "pass_line"


def test_create_window_rejects_latest_before_earliest(city):
    with pytest.raises(DomainError):
        services.create_window(
            actor=city["office_user"],
            kind="national_undercover",
            earliest=datetime.date(2027, 5, 1),
            latest=datetime.date(2027, 4, 1),
        )


def test_create_window_by_leader_is_refused(city):
    with pytest.raises(NotPermitted):
        services.create_window(
            actor=city["leader"],
            kind="provincial",
            earliest=datetime.date(2027, 5, 1),
            latest=datetime.date(2027, 6, 1),
        )
