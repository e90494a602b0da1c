"""GeoReport v2 responses checked field by field against the spec (types, required fields, errors),
in JSON and in XML, including the singular path variants public clients use."""

from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from chuangcheng.cases.models import Case
from chuangcheng.public.models import Report
from chuangcheng.public.services.keys import issue_api_key, revoke_api_key
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.services.reports import submit_report
from chuangcheng.public.tests.factories import photo_upload

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
REQUEST_FIELDS = {
    "service_request_id": str,
    "status": str,
    "status_notes": str,
    "service_name": str,
    "service_code": str,
    "description": str,
    "agency_responsible": str,
    "service_notice": str,
    "requested_datetime": str,
    "updated_datetime": str,
    "expected_datetime": (str, type(None)),
    "address": str,
    "address_id": str,
    "zipcode": str,
    "lat": (float, type(None)),
    "long": (float, type(None)),
    "media_url": (str, type(None)),
}


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def key(world):
    _, secret = issue_api_key(actor=world["admin"], name="市数字城管")
    return secret


@pytest.fixture
def published(world):
    report, _ = submit_report(
        category=world["litter"],
        description="人行道上有暴露垃圾",
        lng=120.005,
        lat=30.005,
        address="东城路 8 号",
        photos=[photo_upload()],
    )
    return accept_report(report=report, actor=world["staff"])


def xml(response):
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


def assert_w3_datetime(value):
    moment = parse_datetime(value)
    assert moment is not None and moment.tzinfo is not None, value


def assert_errors_json(response, status):
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list) and body
    for error in body:
        assert set(error) == {"code", "description"}
        assert isinstance(error["code"], int) and isinstance(error["description"], str) and error["description"]
    return body


def assert_errors_xml(response, status):
    assert response.status_code == status
    root = xml(response)
    assert root.tag == "errors"
    errors = root.findall("error")
    assert errors
    for error in errors:
        assert error.find("code").text.isdigit() and error.find("description").text
    return errors


def test_discovery_json_and_xml(client):
    body = client.get(f"{BASE}/discovery.json").json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    assert_w3_datetime(body["changeset"])
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["type"] == "production" and endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    formats = [f.text for f in root.find("endpoints").find("endpoint").find("formats").findall("format")]
    assert formats == ["text/xml", "application/json"]


def test_services_list_fields_json(client, world):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    services = {s["service_code"]: s for s in response.json()}
    assert set(services) == {"litter", "stall"}
    service = services["litter"]
    assert set(service) == {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
    assert service["service_name"] == "暴露垃圾" and service["metadata"] is True
    assert service["type"] in {"realtime", "batch", "blackbox"}


def test_services_list_xml(client, world):
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    service = root.findall("service")[0]
    assert [child.tag for child in service] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert service.find("metadata").text == "true"


@pytest.mark.parametrize("path", ["services", "service"])
def test_service_definition_json_and_singular_path(client, world, path):
    body = client.get(f"{BASE}/{path}/litter.json").json()
    assert body["service_code"] == "litter"
    for attribute in body["attributes"]:
        assert set(attribute) == {
            "variable",
            "code",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
            "values",
        }
        assert attribute["datatype"] in {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
        assert isinstance(attribute["variable"], bool) and isinstance(attribute["required"], bool)
        assert isinstance(attribute["order"], int)
        if attribute["datatype"].endswith("valuelist"):
            assert attribute["values"] and all(set(v) == {"key", "name"} for v in attribute["values"])


def test_service_definition_xml(client, world):
    root = xml(client.get(f"{BASE}/services/litter.xml"))
    assert root.tag == "service_definition" and root.find("service_code").text == "litter"
    attributes = root.find("attributes").findall("attribute")
    listed = [a for a in attributes if a.find("datatype").text == "singlevaluelist"][0]
    assert [v.find("key").text for v in listed.find("values").findall("value")] == ["yes", "no"]


def test_service_definition_unknown_code_404_in_both_formats(client, world):
    assert_errors_json(client.get(f"{BASE}/services/nope.json"), 404)
    assert_errors_xml(client.get(f"{BASE}/services/nope.xml"), 404)


def test_wrong_jurisdiction_404_and_right_one_accepted(client, world, settings):
    settings.OPEN311_JURISDICTION = "city.example.gov.cn"
    assert_errors_json(client.get(f"{BASE}/services.json", {"jurisdiction_id": "other.gov.cn"}), 404)
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "city.example.gov.cn"}).status_code == 200
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": ""}).status_code == 200


def test_post_request_without_or_with_bad_key_403(client, world, key):
    data = {"service_code": "litter", "lat": "30.005", "long": "120.005", "description": "垃圾很多很多"}
    assert_errors_json(client.post(f"{BASE}/requests.json", data), 403)
    assert_errors_xml(client.post(f"{BASE}/requests.xml", data | {"api_key": "wrong"}), 403)
    assert not Report.objects.exists()


def test_post_request_revoked_key_403(client, world, key):
    from chuangcheng.public.models import ApiKey

    revoke_api_key(api_key=ApiKey.objects.get(), actor=world["admin"])
    data = {"api_key": key, "service_code": "litter", "lat": "30.005", "long": "120.005"}
    assert_errors_json(client.post(f"{BASE}/requests.json", data), 403)


def test_post_request_missing_service_code_400_unknown_404_no_location_400(client, world, key):
    assert_errors_json(client.post(f"{BASE}/requests.json", {"api_key": key, "lat": "30", "long": "120"}), 400)
    unknown = {"api_key": key, "service_code": "nope", "lat": "30", "long": "120"}
    assert_errors_json(client.post(f"{BASE}/requests.json", unknown), 404)
    no_location = {"api_key": key, "service_code": "litter", "description": "没有位置的问题"}
    assert_errors_xml(client.post(f"{BASE}/requests.xml", no_location), 400)
    bad_attribute = {"api_key": key, "service_code": "litter", "address_string": "人民路", "attribute[recurring]": "x"}
    assert_errors_json(client.post(f"{BASE}/requests.json", bad_attribute), 400)
    long_text = {"api_key": key, "service_code": "litter", "address_string": "人民路", "description": "长" * 4001}
    assert_errors_json(client.post(f"{BASE}/requests.json", long_text), 400)
    assert not Report.objects.exists()


def test_post_request_creates_pending_report_and_token_resolves_after_acceptance(client, world, key):
    data = {
        "api_key": key,
        "service_code": "litter",
        "lat": "30.005",
        "long": "120.005",
        "description": "绿化带里有垃圾",
        "attribute[recurring]": "yes",
        "attribute[place_desc]": "3 号楼后",
        "first_name": "小明",
        "last_name": "王",
        "phone": "13800138000",
    }
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 201
    [item] = response.json()
    assert set(item) == {"token", "service_notice", "account_id"} and item["token"]
    report = Report.objects.get()
    assert report.channel == "open311" and report.status == "pending"
    assert report.attributes == {"recurring": "yes", "place_desc": "3 号楼后"} and report.reporter_name == "王 小明"
    token_url = f"{BASE}/tokens/{item['token']}.json"
    [before] = client.get(token_url).json()
    assert before == {"service_request_id": None, "token": item["token"]}
    accept_report(report=report, actor=world["staff"])
    [after] = client.get(token_url).json()
    assert after["service_request_id"] == report.number
    root = xml(client.get(f"{BASE}/tokens/{item['token']}.xml"))
    assert root.tag == "service_requests" and root.find("request").find("service_request_id").text == report.number
    assert_errors_json(client.get(f"{BASE}/tokens/unknown.json"), 404)


def test_post_request_xml_response(client, world, key):
    data = {"api_key": key, "service_code": "litter", "address_string": "人民路 1 号", "description": "占道堆放杂物"}
    root = xml(client.post(f"{BASE}/requests.xml", data))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.find("token").text and request.find("service_notice").text


def test_request_list_fields_and_types_json(client, world, published):
    [item] = client.get(f"{BASE}/requests.json").json()
    assert set(item) == set(REQUEST_FIELDS)
    for name, kind in REQUEST_FIELDS.items():
        assert isinstance(item[name], kind), (name, item[name])
    assert item["service_request_id"] == published.number
    assert item["status"] == "open" and item["service_code"] == "litter"
    assert item["lat"] == 30.005 and item["long"] == 120.005
    assert_w3_datetime(item["requested_datetime"])
    assert_w3_datetime(item["updated_datetime"])
    assert item["media_url"].startswith("http://testserver/public/photo/")
    assert item["agency_responsible"]
    assert client.get(item["media_url"].replace("http://testserver", "")).status_code == 200


def test_request_list_xml(client, world, published):
    root = xml(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert {child.tag for child in request} == set(REQUEST_FIELDS)
    assert request.find("service_request_id").text == published.number
    assert request.find("status").text in {"open", "closed"}
    assert float(request.find("lat").text) == 30.005


@pytest.mark.parametrize("path", ["requests", "request"])
def test_single_request_and_singular_path(client, world, published, path):
    [item] = client.get(f"{BASE}/{path}/{published.number}.json").json()
    assert item["service_request_id"] == published.number
    root = xml(client.get(f"{BASE}/{path}/{published.number}.xml"))
    assert root.find("request").find("service_request_id").text == published.number
    assert_errors_json(client.get(f"{BASE}/{path}/SP000.json"), 404)


def test_request_list_filters(client, world, published):
    other, _ = submit_report(category=world["stall"], description="占道经营摊点", address="西城区西城路")
    other = accept_report(report=other, actor=world["staff"])
    numbers = lambda params: [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", params).json()]  # noqa: E731
    assert set(numbers({})) == {published.number, other.number}
    assert numbers({"service_code": "stall"}) == [other.number]
    assert set(numbers({"service_code": "stall,litter"})) == {published.number, other.number}
    assert numbers({"service_request_id": published.number, "service_code": "stall"}) == [published.number]
    Case.objects.filter(pk=other.case_id).update(status="closed", closed_at=timezone.now())
    assert numbers({"status": "closed"}) == [other.number]
    assert numbers({"status": "open"}) == [published.number]
    assert set(numbers({"status": "open,closed"})) == {published.number, other.number}
    [closed] = client.get(f"{BASE}/requests/{other.number}.json").json()
    assert closed["status"] == "closed" and closed["status_notes"] == "已办结"


def test_request_list_default_window_is_90_days(client, world, published):
    Report.objects.filter(pk=published.pk).update(created_at=timezone.now() - timedelta(days=91))
    assert client.get(f"{BASE}/requests.json").json() == []
    old = (timezone.now() - timedelta(days=95)).isoformat()
    assert len(client.get(f"{BASE}/requests.json", {"start_date": old}).json()) == 1
    assert len(client.get(f"{BASE}/requests.json", {"service_request_id": published.number}).json()) == 1


def test_request_list_bad_dates_and_span_over_90_days_400(client, world):
    assert_errors_json(client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}), 400)
    span = {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-05-01T00:00:00+08:00"}
    assert_errors_xml(client.get(f"{BASE}/requests.xml", span), 400)
    assert_errors_json(client.get(f"{BASE}/requests.json", {"status": "pending"}), 400)
    assert_errors_json(client.get(f"{BASE}/requests.json", {"page": "0"}), 400)


def test_request_list_limit_and_pages(client, world, settings):
    for n in range(5):
        report, _ = submit_report(
            category=world["litter"],
            description=f"第{n}个问题描述",
            address=f"东城区路{n}",
            client_address=f"10.1.0.{n}",
        )
        accept_report(report=report, actor=world["staff"])
    first = client.get(f"{BASE}/requests.json", {"page_size": 2})
    assert len(first.json()) == 2 and first["X-Total-Count"] == "5"
    third = client.get(f"{BASE}/requests.json", {"page_size": 2, "page": 3}).json()
    assert len(third) == 1
    every = client.get(f"{BASE}/requests.json", {"page_size": 5000})
    assert every["X-Page-Size"] == "1000" and len(every.json()) == 5
    # Clients written for FixMyStreet send max_requests: the same as page_size, in JSON and XML.
    peer = client.get(f"{BASE}/requests.json", {"max_requests": 3})
    assert peer["X-Page-Size"] == "3" and len(peer.json()) == 3
    assert len(xml(client.get(f"{BASE}/requests.xml", {"max_requests": 4})).findall("request")) == 4


def test_pending_request_invisible_in_lists(client, world, key):
    client.post(f"{BASE}/requests.json", {"api_key": key, "service_code": "litter", "address_string": "某路"})
    assert client.get(f"{BASE}/requests.json").json() == []
    assert xml(client.get(f"{BASE}/requests.xml")).findall("request") == []


def test_unknown_format_is_404(client, world):
    assert client.get(f"{BASE}/services.html").status_code == 404
