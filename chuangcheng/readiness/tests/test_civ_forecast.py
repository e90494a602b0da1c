"""The observation-scored forecast (创文): known observations give known numbers; 待核实 and 未观测 are counted,
never invented; weights for a composite only when the office enters them all."""

import numpy as np
import pytest

from chuangcheng.core.errors import DomainError
from chuangcheng.readiness import services
from chuangcheng.readiness.models import ForecastRun
from chuangcheng.readiness.observe import ObservedItem, forecast_observed
from chuangcheng.readiness.tests.civ_world import build_civ_world

pytestmark = pytest.mark.django_db

# A: 10 分, 8/10 → (8.5 / 11); D: 4 分, 4/4 → (4.5 / 5); C: 待核实, 3/4; B: 5 分, never observed.
EXPECTED = 10 * 8.5 / 11 + 4 * 4.5 / 5


@pytest.fixture
def world():
    return build_civ_world()


def test_pure_forecast_known_numbers():
    items = [ObservedItem(1, 10.0, 8, 10), ObservedItem(2, 5.0, 0, 0), ObservedItem(3, None, 3, 4)]
    items.append(ObservedItem(4, 4.0, 4, 4))
    result = forecast_observed(items, runs=20_000, seed=7, pass_rate=0.8)
    assert result.expected == pytest.approx(EXPECTED)
    assert result.observed_full == 14 and result.unobserved_full == 5
    assert result.unknown_items == 1 and result.unknown_observed == 1
    assert result.expected_rate == pytest.approx(EXPECTED / 14)
    # the draws' mean converges to the posterior mean; the interval brackets it
    assert result.scores.mean() == pytest.approx(EXPECTED, abs=0.05)
    summary = result.summary()
    assert summary["p05"] < EXPECTED < summary["p95"]
    assert summary["total_low"] == summary["p05"] and summary["total_high"] == pytest.approx(summary["p95"] + 5)
    rows = {row.id: row for row in result.items}
    assert rows[2].rate is None and rows[2].expected_points is None  # 未观测: no 达标率 invented
    assert rows[3].expected_rate == pytest.approx(3.5 / 5) and rows[3].expected_points is None  # 待核实
    assert rows[1].low < 8.5 / 11 < rows[1].high
    # reproducible
    again = forecast_observed(items, runs=20_000, seed=7, pass_rate=0.8)
    assert np.array_equal(result.scores, again.scores) and result.p_pass == again.p_pass


def test_pure_forecast_without_observations_scores_nothing():
    result = forecast_observed([ObservedItem(1, 10.0, 0, 0)], runs=200, seed=1, pass_rate=0.9)
    assert result.expected == 0 and result.expected_rate is None and result.p_pass == 0
    assert result.summary()["total_high"] == 10
    with pytest.raises(ValueError):
        ObservedItem(1, 1.0, 3, 2)


def test_forecast_run_on_the_civilized_standard(world):
    run = services.run_forecast(
        actor=world["office_user"], standard=world["civ"], campaign=world["cw"], runs=5000, seed=11
    )
    assert run.parameters["mode"] == "observe" and run.campaign == world["cw"]
    summary = run.results["summary"]
    assert run.mean_score == pytest.approx(EXPECTED) and summary["mean"] == pytest.approx(EXPECTED)
    assert summary["observed_full"] == 14 and summary["unobserved_full"] == 5 and summary["known_full"] == 19
    observe = run.results["observe"]
    assert observe["unknown_items"] == 1 and observe["unknown_observed"] == 1 and observe["unobserved_items"] == 1
    assert observe["observations"] == 18 and [r["id"] for r in observe["rounds"]] == [world["mock"].pk]
    assert observe["other_items"] == {"达标/不达标": 1}
    rows = {row["code"]: row for row in observe["rows"]}
    assert rows["C"]["points"] is None and rows["C"]["rate"] == 0.75 and rows["C"]["expected_points"] is None
    assert rows["B"]["observed"] == 0 and rows["B"]["expected_rate"] is None
    assert rows["A"]["content"] == "1.1 街道整洁" and rows["A"]["project"] == "公共环境" and rows["A"]["frequency"] == 5
    # the 短板 list: the costliest first (A loses 10 × 2.5/11 ≈ 2.27, D 4 × 0.1 = 0.4)
    assert [row["code"] for row in run.results["items"]] == ["A", "D"]
    assert any("待核实" in note for note in run.results["notes"])
    assert run.results["composite"] is None  # no weights: parts side by side, no composite
    assert run.results["parts"]["survey"]["available"] and run.results["parts"]["material"]["available"]


def test_no_mock_rounds_means_unobserved_not_guessed(world):
    world["mock"].status = "draft"
    world["mock"].save(update_fields=["status"])
    run = services.run_forecast(actor=world["office_user"], standard=world["civ"], runs=200, seed=1)
    assert run.mean_score == 0 and run.results["summary"]["rate"] is None
    assert run.results["summary"]["total_high"] == 19
    assert any("还没有已开展的模拟测评轮次" in note for note in run.results["notes"])


def test_composite_weights_validation_and_label(world):
    actor, civ = world["office_user"], world["civ"]
    with pytest.raises(DomainError) as excinfo:
        services.run_forecast(actor=actor, standard=civ, runs=200, weights={"field": 120})
    assert excinfo.value.field == "weight_field" and "0 到 100%" in excinfo.value.message
    with pytest.raises(DomainError) as excinfo:
        services.run_forecast(actor=actor, standard=civ, runs=200, weights={"field": 50, "survey": 50})
    assert "材料审核" in excinfo.value.message
    with pytest.raises(DomainError) as excinfo:
        services.run_forecast(actor=actor, standard=civ, runs=200, weights={"field": 50, "survey": 30, "material": 30})
    assert "之和须为 100%" in excinfo.value.message
    with pytest.raises(DomainError) as excinfo:
        services.run_forecast(actor=actor, standard=civ, runs=200, observe_rounds=0)
    assert excinfo.value.field == "observe_rounds"
    assert not ForecastRun.objects.exists()
    run = services.run_forecast(
        actor=actor, standard=civ, runs=200, seed=2, weights={"field": 100, "survey": 0, "material": 0}
    )
    assert run.results["composite"]["value"] == pytest.approx(EXPECTED / 14)


def test_what_if_is_refused_on_observe_runs(world):
    run = services.run_forecast(actor=world["office_user"], standard=world["civ"], runs=200, seed=1)
    with pytest.raises(DomainError) as excinfo:
        services.run_what_if(actor=world["office_user"], baseline=run, case_ids=[1])
    assert excinfo.value.field == "case_ids"


def test_api_runs_an_observe_forecast_and_refuses_bad_weights(world):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world["office_user"])
    url = "/api/v1/readiness/runs/"
    response = client.post(
        url,
        {"standard": world["civ"].pk, "campaign": world["cw"].pk, "runs": 300, "seed": 4, "weights": {"field": 150}},
        format="json",
    )
    assert response.status_code == 422 and "0 到 100%" in str(response.data)
    response = client.post(url, {"standard": world["civ"].pk, "runs": 300, "seed": 4}, format="json")
    assert response.status_code == 201 and response.data["results"]["mode"] == "observe"
    assert response.data["mean_score"] == pytest.approx(EXPECTED)
    # the leader sees the city's run, a district office does not
    other = APIClient()
    other.force_authenticate(world["east_office"])
    assert other.get(f"{url}{response.data['id']}/").status_code == 404
