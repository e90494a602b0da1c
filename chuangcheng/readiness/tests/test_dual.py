"""双迎: the campaigns of one unit running at the same time, each title's readiness side by side."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.programs.models import CampaignStatus
from chuangcheng.programs.selectors import concurrent_campaigns
from chuangcheng.programs.tests.factories import CampaignFactory
from chuangcheng.readiness import civil, services
from chuangcheng.readiness.minors_services import record_minors_result
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


def test_concurrent_campaigns_are_the_units_overlapping_running_ones(world):
    gw, cw = world["gw"], world["cw"]
    assert concurrent_campaigns(cw) == [cw, gw]
    assert concurrent_campaigns(world["east_cw"]) == [world["east_cw"]]  # another unit is not part of it
    # periods: one ending before the other starts is not concurrent; an open end overlaps everything
    cw.starts_on, cw.ends_on = date(2027, 1, 1), date(2027, 12, 31)
    gw.ends_on = date(2026, 12, 31)
    gw.save()
    assert concurrent_campaigns(cw) == [cw]
    gw.ends_on = None
    gw.starts_on = date(2027, 6, 1)
    gw.save()
    assert concurrent_campaigns(cw) == [cw, gw]
    gw.status = CampaignStatus.CLOSED
    gw.save()
    assert concurrent_campaigns(cw) == [cw]


def test_dual_page_shows_each_title_side_by_side(world):
    office = world["office_user"]
    today = timezone.localdate()
    services.create_window(
        actor=office,
        kind="civilized_city",
        title="文明城市年度测评",
        earliest=today + timedelta(days=40),
        latest=today + timedelta(days=70),
        campaign=world["cw"],
    )
    services.create_window(
        actor=office,
        kind="national_undercover",
        title="国家卫生城市暗访",
        earliest=today + timedelta(days=20),
        latest=today + timedelta(days=50),
        campaign=world["gw"],
    )
    services.run_forecast(actor=office, standard=world["civ"], campaign=world["cw"], runs=300, seed=1)
    record_minors_result(actor=office, campaign=world["cw"], year=2026, score=90, note="演示数据：得分 90 为示例。")
    CaseFactory(check_item=world["items"]["a"], unit=world["city"], status=CaseStatus.DISPATCHED)
    CaseFactory(check_item=world["items"]["a"], unit=world["city"], status=CaseStatus.CLOSED)
    columns = civil.dual_readiness(office, world["cw"])
    assert [c["campaign"] for c in columns] == [world["cw"], world["gw"]]
    cw, gw = columns
    assert cw["observe"] and cw["run"] is not None and cw["open_problems"] == 1
    assert [g["code"] for g in cw["gaps"]] == ["A", "D"] and cw["prerequisite"].meets is True
    assert gw["run"] is None and gw["prerequisite"] is None and gw["open_problems"] == 0
    assert [c.window.title for c in gw["windows"]] == ["国家卫生城市暗访"]

    client = client_for(world["leader"])
    with assert_max_queries(30):
        page = client.get(reverse("readiness:dual", args=[world["cw"].pk])).content.decode()
    assert "示范市创文" in page and "示范市巩卫" in page and "文明城市年度测评" in page
    assert "观察计分期望得分率" in page and "尚未运行预测" in page and "已达到" in page
    assert "演示数据：得分 90 为示例。" in page  # an illustrative score says so beside it
    detail = client_for(office).get(reverse("programs:detail", args=[world["cw"].pk])).content.decode()
    assert reverse("readiness:dual", args=[world["cw"].pk]) in detail and "双迎准备度" in detail


def test_dual_page_query_count_does_not_grow_with_rows(world):
    office = world["office_user"]
    for n in range(3):
        services.run_forecast(actor=office, standard=world["civ"], campaign=world["cw"], runs=200, seed=n)
    url = reverse("readiness:dual", args=[world["cw"].pk])
    client = client_for(office)
    with assert_max_queries(30):
        client.get(url)
    CampaignFactory(unit=world["city"], code="CITY-X", name="示范市第三项", title="provincial_sanitary_city")
    with assert_max_queries(36):  # one campaign more: a handful of queries for its column
        page = client.get(url).content.decode()
    assert "示范市第三项" in page


def test_dual_page_permission_matrix(world):
    assert_permission_matrix(
        client_for,
        reverse("readiness:dual", args=[world["east_cw"].pk]),
        in_scope=world["office_user"],
        out_of_scope=world["west_office"],
        no_role=world["nobody"],
    )
    # a unit head has a role but none of readiness's: 404 as well, and a district office does not see the
    # city's forecast in the city's columns
    assert client_for(world["unit_head"]).get(reverse("readiness:dual", args=[world["cw"].pk])).status_code == 404
    services.run_forecast(actor=world["office_user"], standard=world["civ"], campaign=world["cw"], runs=200, seed=1)
    columns = civil.dual_readiness(world["east_office"], world["cw"])
    assert all(column["run"] is None for column in columns)


def test_dual_column_shows_the_forecast_on_the_campaigns_own_standard(world):
    """A 创文 campaign also runs forecasts on the minors standard (its prerequisite); the 双迎 column must
    show the latest forecast on the campaign's own 测评手册, not whichever ran last (the demo showed the
    minors run's 0.00 / 0.00 as the 创文 readiness)."""
    office = world["office_user"]
    assert world["cw"].standard == world["civ"]
    own = services.run_forecast(actor=office, standard=world["civ"], campaign=world["cw"], runs=200, seed=1)
    services.run_forecast(actor=office, standard=world["minors"], campaign=world["cw"], runs=200, seed=2)
    column = civil.dual_readiness(office, world["cw"])[0]
    assert column["campaign"] == world["cw"] and column["run"] == own
