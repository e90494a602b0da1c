"""未成年人思想道德建设测评: results per campaign and year, threshold 85 and weight 20% editable, Chinese errors
naming the field, simulated results from a forecast on the minors standard, the prerequisite on the 创文 page."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.readiness import civil, services
from chuangcheng.readiness.minors_services import record_minors_result, update_minors_result
from chuangcheng.readiness.models import MinorsResult, MinorsSource
from chuangcheng.readiness.tests.civ_world import build_civ_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_civ_world()


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _record(world, **overrides):
    values = {"actor": world["office_user"], "campaign": world["cw"], "year": 2026, "score": Decimal("88.5")}
    return record_minors_result(**(values | overrides))


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"score": Decimal("101")}, "score", "得分须在 0 到 100 分之间"),
        ({"score": Decimal("-1")}, "score", "得分须在 0 到 100 分之间"),
        ({"score": None}, "score", "请填写得分"),
        ({"score": "abc"}, "score", "得分须为数字"),
        ({"weight_percent": Decimal("120")}, "weight_percent", "计入总分权重须在 0 到 100%之间"),
        ({"weight_percent": Decimal("-5")}, "weight_percent", "计入总分权重须在 0 到 100%之间"),
        ({"threshold": Decimal("150")}, "threshold", "申报门槛须在 0 到 100 分之间"),
        ({"year": 1999}, "year", "年度"),
        ({"source": "guess"}, "source", "来源"),
    ],
)
def test_bad_input_names_the_field(world, overrides, field, text):
    with pytest.raises(DomainError) as excinfo:
        _record(world, **overrides)
    assert excinfo.value.field == field and text in excinfo.value.message
    assert not MinorsResult.objects.exists()


def test_only_civilized_campaigns_and_offices_record(world):
    with pytest.raises(DomainError) as excinfo:
        _record(world, campaign=world["gw"])
    assert excinfo.value.field == "campaign" and "文明创建" in excinfo.value.message
    with pytest.raises(NotPermitted):
        _record(world, actor=world["leader"])
    with pytest.raises(DomainError) as excinfo:  # a district office may not record for the city's campaign
        _record(world, actor=world["east_office"])
    assert excinfo.value.field == "campaign"
    with pytest.raises(DomainError) as excinfo:
        _record(world, standard=world["civ"])
    assert excinfo.value.field == "standard"


def test_record_update_and_prerequisite(world):
    result = _record(world)
    assert (result.threshold, result.weight_percent) == (Decimal("85.00"), Decimal("20.00"))
    assert result.meets_threshold
    with pytest.raises(DomainError) as excinfo:
        _record(world, score=Decimal("70"))
    assert excinfo.value.field == "year"
    events = AuditEvent.objects.filter(verb__startswith="readiness.minors").count()
    updated = update_minors_result(result=result, actor=world["office_user"], threshold=Decimal("90"))
    assert updated.threshold == Decimal("90.00") and not updated.meets_threshold
    assert AuditEvent.objects.filter(verb__startswith="readiness.minors").count() == events + 1
    with pytest.raises(DomainError) as excinfo:
        update_minors_result(result=result, actor=world["office_user"], weight_percent=Decimal("100.5"))
    assert excinfo.value.field == "weight_percent"
    result.refresh_from_db()
    assert result.weight_percent == Decimal("20.00")

    run = services.run_forecast(actor=world["office_user"], standard=world["civ"], campaign=world["cw"], runs=300)
    prerequisite = civil.prerequisite(world["office_user"], world["cw"], run=run)
    assert prerequisite.meets is False and not prerequisite.is_default
    rate = run.results["summary"]["rate"]
    assert prerequisite.inferred_total == pytest.approx(rate * 100 * 0.8 + 88.5 * 0.2)


def test_simulated_result_from_a_minors_forecast(world):
    run = services.run_forecast(actor=world["office_user"], standard=world["minors"], campaign=world["cw"], runs=300)
    # M1 60 分 9/10 → 9.5/11; M2 40 分 1/2 → 1.5/3
    expected = (60 * 9.5 / 11 + 40 * 1.5 / 3) / 100
    assert run.results["summary"]["rate"] == pytest.approx(expected)
    result = _record(world, score=None, source=MinorsSource.SIMULATED, run=run)
    assert result.score == Decimal(str(round(expected * 100, 2))) and result.standard == world["minors"]
    civ_run = services.run_forecast(actor=world["office_user"], standard=world["civ"], runs=200)
    with pytest.raises(DomainError) as excinfo:
        _record(world, year=2025, score=None, run=civ_run)
    assert excinfo.value.field == "run"


def test_pages_and_permission_matrix(world):
    result = _record(world)
    office = client_for(world["office_user"])
    assert_permission_matrix(
        client_for,
        reverse("readiness:minors_update", args=[result.pk]),
        in_scope=world["office_user"],
        out_of_scope=world["east_office"],
        no_role=world["nobody"],
    )
    with assert_max_queries(20):
        page = office.get(reverse("readiness:minors_list")).content.decode()
    assert "88.50" in page and "达到门槛" in page
    assert "88.50" not in client_for(world["east_office"]).get(reverse("readiness:minors_list")).content.decode()
    response = office.post(
        reverse("readiness:minors_create"),
        {
            "campaign": world["cw"].pk,
            "year": 2025,
            "source": "official",
            "score": "101",
            "threshold": 85,
            "weight_percent": 20,
        },
    )
    assert response.status_code == 200 and "得分须在 0 到 100 分之间" in response.content.decode()
    response = office.post(
        reverse("readiness:minors_update", args=[result.pk]),
        {"year": 2026, "source": "official", "score": "80", "threshold": 85, "weight_percent": "120"},
    )
    assert "计入总分权重须在 0 到 100%之间" in response.content.decode()
    response = office.post(
        reverse("readiness:minors_update", args=[result.pk]),
        {"year": 2026, "source": "official", "score": "80", "threshold": 85, "weight_percent": "25"},
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.score == Decimal("80.00") and result.weight_percent == Decimal("25.00")


def test_prerequisite_on_the_civilized_forecast_page(world):
    _record(world, score=Decimal("80"), note="演示数据：得分 80 为示例。")
    run = services.run_forecast(actor=world["office_user"], standard=world["civ"], campaign=world["cw"], runs=300)
    client = client_for(world["office_user"])
    with assert_max_queries(40):
        page = client.get(reverse("readiness:index") + f"?run={run.pk}").content.decode()
    assert "前置条件：未成年人思想道德建设测评" in page and "未达到：不能申报" in page
    assert "推断总分（待核实，非官方）" in page and "总分公式待核实" in page
    assert "演示数据：得分 80 为示例。" in page  # the result's note (an illustrative score says so) is shown
    assert "分值待核实" in page and "未观测" in page and "Jeffreys" in page
    assert 'id="observe-expected"' in page and "双迎准备度" in page
