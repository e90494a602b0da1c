"""Open311 lists keep the site categories per process (``open311.selectors.KEPT_CATEGORIES``): once kept, a
list is two statements (count, page), and a committed rename reaches the next list."""

import pytest
from django.test import Client

from chuangcheng.core.testing import assert_max_queries
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.services.reports import submit_report

pytestmark = pytest.mark.django_db(transaction=True)
BASE = "/open311/v2"


def test_kept_categories_two_statements_and_renames_reach_the_list(world):
    for n in range(3):
        report, _ = submit_report(
            category=world["litter"], description=f"暴露垃圾{n}", lng=120.005, lat=30.005, address=f"东城路 {n} 号",
            client_address=f"10.3.0.{n}",
        )  # fmt: skip
        accept_report(report=report, actor=world["staff"])
    client = Client()
    client.get(f"{BASE}/requests.json")
    with assert_max_queries(2):  # count, page
        listed = client.get(f"{BASE}/requests.json").json()
    assert {item["service_name"] for item in listed} == {world["litter"].name}
    world["litter"].name = "暴露垃圾（改名）"
    world["litter"].save()
    for fmt in ("json", "xml"):
        assert "暴露垃圾（改名）" in client.get(f"{BASE}/requests.{fmt}").content.decode()
