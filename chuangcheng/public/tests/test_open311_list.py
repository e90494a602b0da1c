"""Open311 request lists read plain values in a fixed number of statements and say exactly what the
single-request endpoint says of each report (state, unit, dates, photo), in JSON and in XML."""

from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from chuangcheng.cases import workflow
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.public.models import Report
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.services.reports import submit_report
from chuangcheng.public.tests.factories import photo_upload

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def _accepted(world, n: int, *, photo: bool) -> Report:
    report, _ = submit_report(
        category=world["litter"],
        description=f"人行道上有暴露垃圾{n}",
        lng=120.005,
        lat=30.005,
        address=f"东城路 {n} 号",
        client_address=f"10.2.0.{n}",
        photos=[photo_upload()] if photo else [],
    )
    return accept_report(report=report, actor=world["staff"], public_description=f"公开描述{n}" if n % 2 else None)


@pytest.fixture
def reports(world):
    """Reports with and without a photo, with a routed case, an invalid (closed) case, and no case."""
    made = [_accepted(world, n, photo=n % 2 == 0) for n in range(4)]
    workflow.transition(made[1].case, workflow.Action.MERGE, actor=world["staff"], note="重复", target=made[0].case)
    Report.objects.filter(pk=made[2].pk).update(case=None)  # a case removed later: the report stays accepted
    return made


def test_list_items_equal_single_requests_json_and_xml(world, reports):
    client = Client()
    listed = client.get(f"{BASE}/requests.json").json()
    assert len(listed) == 4
    for item in listed:
        single = client.get(f"{BASE}/requests/{item['service_request_id']}.json").json()
        assert [item] == single
    assert {item["status"] for item in listed} == {"open", "closed"}
    assert sum(1 for item in listed if item["media_url"]) == 2
    listed_xml = ET.fromstring(client.get(f"{BASE}/requests.xml").content).findall("request")
    for element in listed_xml:
        number = element.find("service_request_id").text
        single = ET.fromstring(client.get(f"{BASE}/requests/{number}.xml").content).find("request")
        assert ET.tostring(element) == ET.tostring(single)


def test_list_statements_do_not_grow_with_the_page(world, reports):
    client = Client()

    def statements() -> int:
        with assert_max_queries(5) as queries:  # count, page, categories (+ session-free public view)
            response = client.get(f"{BASE}/requests.json")
        assert response.status_code == 200
        return len(queries.captured_queries)

    few = statements()
    for n in range(4, 10):
        _accepted(world, n, photo=True)
    assert statements() == few


def test_xml_text_is_escaped(world):
    report, _ = submit_report(
        category=world["litter"], description="a < b & c > d", lng=120.005, lat=30.005, client_address="10.3.0.1"
    )
    accept_report(report=report, actor=world["staff"])
    root = ET.fromstring(Client().get(f"{BASE}/requests.xml").content)
    assert root.find("request/description").text == "a < b & c > d"
