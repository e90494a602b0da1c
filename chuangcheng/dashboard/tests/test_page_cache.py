"""The command centre's figures are cached per reach, day and refresh: a warm page reads no daily flows, a
refresh shows at once, and one reach never gets another's figures."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.dashboard import selectors
from chuangcheng.dashboard.services import refresh_dashboard
from chuangcheng.dashboard.tests.test_dashboard import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def page(user):
    client = Client()
    client.force_login(user)
    return client


def test_warm_page_reads_no_daily_flows_and_shows_the_same_figures(world):  # noqa: F811
    reach = selectors.reach_of(world["office"])
    cold = selectors.dashboard_data(reach)
    with CaptureQueriesContext(connection) as warm_queries:
        warm = selectors.dashboard_data(reach)
    assert warm == cold and warm["summary"]["open"] == 4
    assert len(warm_queries.captured_queries) == 2  # the refresh version, the rankings
    assert not any("dashboard_dailycasestat" in q["sql"] for q in warm_queries.captured_queries)
    client = page(world["office"])
    client.get(reverse("dashboard:index"))
    with assert_max_queries(12) as queries:
        assert client.get(reverse("dashboard:index")).status_code == 200
    assert not any("dashboard_dailycasestat" in q["sql"] for q in queries.captured_queries)


def test_a_refresh_shows_at_once(world):  # noqa: F811
    client = page(world["office"])
    before = client.get(reverse("dashboard:index")).context["data"]["summary"]
    CaseFactory(lead_unit=world["east"], area=world["grid_east"], status=CaseStatus.RECTIFYING)
    again = client.get(reverse("dashboard:index")).context["data"]["summary"]
    assert again == before  # not refreshed yet: the figures are the last refresh's, as before
    refresh_dashboard()
    after = client.get(reverse("dashboard:index")).context["data"]
    assert after["summary"]["open"] == before["open"] + 1 and after["trends"]["reported"][-1] >= 1
    cache.clear()
    assert selectors.dashboard_data(selectors.reach_of(world["office"]))["summary"] == after["summary"]


def test_each_reach_has_its_own_figures(world):  # noqa: F811
    office = page(world["office"]).get(reverse("dashboard:index")).context["data"]["summary"]
    east = page(world["east_head"]).get(reverse("dashboard:index")).context["data"]["summary"]
    west = page(world["west_head"]).get(reverse("dashboard:index")).context["data"]["summary"]
    assert (office["open"], east["open"], west["open"]) == (4, 2, 1)
    narrowed = page(world["office"]).get(reverse("dashboard:index") + f"?unit={world['west'].pk}").context["data"]
    assert narrowed["summary"]["open"] == 1 and narrowed["scope"] == "西城区"
