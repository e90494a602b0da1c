"""Open311 lists (hand-written statements in ``open311.selectors``): every filter clause selects what the spec
says, the count header counts it, times are written with each instant's own offset (zones with summer time,
half-hour and negative offsets; on PostgreSQL the database writes them), and XML holds any stored text."""

from datetime import date, datetime, timedelta
from itertools import count
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from chuangcheng.cases import workflow
from chuangcheng.cases.models import Case
from chuangcheng.public.models import Report
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.services.reports import submit_report

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
ADDRESSES = count(1)


def _accepted(world, name: str, *, category: str = "litter", days_ago: float = 0) -> Report:
    report, _ = submit_report(
        category=world[category], description=f"人行道上的问题 {name}", lng=120.005, lat=30.005,
        address=f"东城路 {name}", client_address=f"10.4.{next(ADDRESSES) % 250}.1",
    )  # fmt: skip
    report = accept_report(report=report, actor=world["staff"])
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    report.refresh_from_db()
    return report


@pytest.fixture
def five(world):
    """a: litter, open, 1 day old; b: stall, closed, 2 days; e: litter, merged (closed), 3 days; c: litter, no
    case, 10 days; d: stall, open, 100 days (outside the default window)."""
    made = {
        "a": _accepted(world, "a", days_ago=1),
        "b": _accepted(world, "b", category="stall", days_ago=2),
        "e": _accepted(world, "e", days_ago=3),
        "c": _accepted(world, "c", days_ago=10),
        "d": _accepted(world, "d", category="stall", days_ago=100),
    }
    Case.objects.filter(pk=made["b"].case_id).update(status="closed", closed_at=timezone.now())
    workflow.transition(made["e"].case, workflow.Action.MERGE, actor=world["staff"], note="重复", target=made["a"].case)
    Report.objects.filter(pk=made["c"].pk).update(case=None)
    return made


def _ago(days: float) -> str:
    return (timezone.now() - timedelta(days=days)).isoformat()


FILTERS = [
    ({}, "abec"),
    ({"service_code": "stall"}, "b"),
    ({"service_code": "stall, litter"}, "abec"),
    ({"service_code": "nothing"}, ""),
    ({"status": "open"}, "ac"),
    ({"status": "closed"}, "be"),
    ({"status": "open,closed"}, "abec"),
    ({"service_code": "litter", "status": "closed"}, "e"),
    ({"service_code": "stall", "status": "open"}, ""),
    ({"start_date": 5}, "abe"),
    ({"start_date": 120}, "d"),
    ({"end_date": 5}, "c"),
    ({"end_date": 97}, "d"),
    ({"start_date": 11, "end_date": 2.5}, "ec"),
    ({"service_request_id": "d,a", "status": "closed", "service_code": "litter"}, "ad"),
    ({"service_request_id": "x, c"}, "c"),
    ({"page_size": 2, "page": 2}, "ec"),
    ({"max_requests": 3}, "abe"),
    ({"page_size": 3, "page": 3}, ""),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_each_clause_selects_orders_and_counts(world, five, params, expected):
    query = {
        key: _ago(value) if key.endswith("_date") else value for key, value in params.items() if key != "page_size"
    }
    if "service_request_id" in params:
        query["service_request_id"] = ",".join(
            five[part.strip()].number if part.strip() in five else part
            for part in params["service_request_id"].split(",")
        )
    if "page_size" in params:
        query["page_size"] = params["page_size"]
    client = Client()
    response = client.get(f"{BASE}/requests.json", query)
    assert response.status_code == 200
    assert [item["service_request_id"] for item in response.json()] == [five[key].number for key in expected]
    everything = {key: value for key, value in query.items() if key not in ("page", "page_size", "max_requests")}
    assert response["X-Total-Count"] == str(len(client.get(f"{BASE}/requests.json", everything).json()))
    root = ET.fromstring(client.get(f"{BASE}/requests.xml", query).content)
    assert [e.text for e in root.findall("request/service_request_id")] == [five[key].number for key in expected]


def test_count_is_the_whole_selection_not_the_page(world, five):
    response = Client().get(f"{BASE}/requests.json", {"page_size": 1, "page": 2})
    assert response["X-Total-Count"] == "4"
    assert response["X-Page"] == "2" and response["X-Page-Size"] == "1"
    assert [item["service_request_id"] for item in response.json()] == [five["b"].number]


def _at(world, name: str, moment: datetime, deadline: date) -> Report:
    report = _accepted(world, name)
    Report.objects.filter(pk=report.pk).update(created_at=moment, moderated_at=moment, case=None)
    if name.endswith("case"):
        case = Case.objects.create(
            number=f"WB-{name}", source="citizen", title=name, category=world["litter"], status="dispatched",
            status_changed_at=moment, deadline=deadline,
        )  # fmt: skip
        Report.objects.filter(pk=report.pk).update(case=case)
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(
    ("zone", "winter", "summer"),
    [
        ("America/New_York", "-05:00", "-04:00"),
        ("America/St_Johns", "-03:30", "-02:30"),
        ("Europe/Berlin", "+01:00", "+02:00"),
        ("Asia/Kolkata", "+05:30", "+05:30"),
        ("Asia/Shanghai", "+08:00", "+08:00"),
    ],
)
def test_times_carry_each_instants_offset_in_the_configured_zone(world, zone, winter, summer):
    utc = ZoneInfo("UTC")
    made = [
        _at(world, "jan", datetime(2026, 1, 15, 12, 0, 5, tzinfo=utc), date(2026, 1, 20)),
        _at(world, "jul-case", datetime(2026, 7, 15, 3, 30, 0, tzinfo=utc), date(2026, 7, 20)),
        _at(world, "feb-case", datetime(2026, 2, 1, 23, 59, 59, tzinfo=utc), date(2026, 2, 3)),
    ]
    numbers = ",".join(report.number for report in made)
    with override_settings(TIME_ZONE=zone):
        client = Client()
        listed = client.get(f"{BASE}/requests.json", {"service_request_id": numbers}).json()
        by_number = {item["service_request_id"]: item for item in listed}
        for report in made:  # the list says what the single request says
            [single] = client.get(f"{BASE}/requests/{report.number}.json").json()
            assert by_number[report.number] == single
        tz = ZoneInfo(zone)
        for report in made:
            item = by_number[report.number]
            assert item["requested_datetime"] == report.created_at.astimezone(tz).isoformat(timespec="seconds")
        jan, jul, feb = (by_number[report.number] for report in made)
        assert jan["requested_datetime"].endswith(winter) and jan["expected_datetime"] is None
        assert jul["requested_datetime"].endswith(summer) and jul["updated_datetime"].endswith(summer)
        assert jul["expected_datetime"] == f"2026-07-20T23:59:59{summer}"
        assert feb["expected_datetime"] == f"2026-02-03T23:59:59{winter}"
        root = ET.fromstring(client.get(f"{BASE}/requests.xml", {"service_request_id": numbers}).content)
        assert {e.text for e in root.findall("request/requested_datetime")} == {
            item["requested_datetime"] for item in listed
        }


def test_xml_holds_markup_and_control_characters_of_stored_text(world):
    report = _accepted(world, "x")
    stored = 'a < b & c > d "q" \x01\x0b\x1f end'
    Report.objects.filter(pk=report.pk).update(public_description=stored, address="<script>&amp;")
    client = Client()
    root = ET.fromstring(client.get(f"{BASE}/requests.xml").content)
    assert root.find("request/description").text == 'a < b & c > d "q"  end'
    assert root.find("request/address").text == "<script>&amp;"
    single = ET.fromstring(client.get(f"{BASE}/requests/{report.number}.xml").content).find("request")
    assert ET.tostring(root.find("request")) == ET.tostring(single)
    assert client.get(f"{BASE}/requests.json").json()[0]["description"] == stored
