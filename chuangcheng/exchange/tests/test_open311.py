"""Open311 client mode: pull requests.json page by page; one case per remote request; status changes noted."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.core.management import call_command

from chuangcheng.cases.models import Case
from chuangcheng.exchange.models import EndpointKind, Exchange, RemoteRequest
from chuangcheng.exchange.services import endpoints, open311


def _remote(count: int, closed: set[int] = frozenset()) -> list[dict]:
    return [
        {
            "service_request_id": f"R{i:04d}",
            "status": "closed" if i in closed else "open",
            "service_code": "market",
            "service_name": "农贸市场",
            "description": f"远端问题 {i}",
            "lat": 30.005,
            "long": 120.005,
            "address": "东城农贸市场",
            "updated_datetime": "2026-12-06T08:00:00+08:00",
        }
        for i in range(count)
    ]


def _serve(stub, items: list[dict]):
    def respond(request):
        query = parse_qs(urlsplit(request["path"]).query)
        page, size = int(query["page"][0]), int(query["page_size"][0])
        assert "start_date" in query and "end_date" in query and query["jurisdiction_id"] == ["demo.city"]
        return 200, items[(page - 1) * size : page * size], {"X-Total-Count": str(len(items))}

    stub.respond = respond


def _endpoint(world, stub):
    endpoint, _ = endpoints.create_endpoint(
        actor=world.admin, code="o311", name="邻市平台", kind=EndpointKind.OPEN311, url=stub.url + "/open311/v2/",
        open311_jurisdiction="demo.city",
    )  # fmt: skip
    return endpoint


def test_pull_pages_through_and_creates_one_case_per_remote_request(world, stub, fast_retries):
    endpoint = _endpoint(world, stub)
    _serve(stub, _remote(250))
    result = open311.pull_endpoint(endpoint=endpoint, page_size=100)
    assert (result.pages, result.seen, result.created, result.errors) == (3, 250, 250, [])
    assert [urlsplit(r["path"]).path for r in stub.requests] == ["/open311/v2/requests.json"] * 3
    assert Case.objects.filter(external_ref__startswith="o311:").count() == 250
    endpoint.refresh_from_db()
    assert endpoint.pulled_until is not None
    log = Exchange.objects.get(kind="pull")
    assert log.status == "accepted" and log.payload["created"] == 250

    _serve(stub, _remote(250, closed={7}))
    again = open311.pull_endpoint(endpoint=endpoint, page_size=100)
    assert (again.created, again.updated) == (0, 1)
    assert Case.objects.filter(external_ref__startswith="o311:").count() == 250
    remote = RemoteRequest.objects.get(service_request_id="R0007")
    assert remote.remote_status == "closed"
    assert remote.case.transitions.filter(action="external_update", note__contains="已办结").exists()
    second_start = parse_qs(urlsplit(stub.requests[-1]["path"]).query)["start_date"][0]
    first_start = parse_qs(urlsplit(stub.requests[0]["path"]).query)["start_date"][0]
    assert second_start > first_start  # the window moved on (less the overlap)


def test_a_failing_server_keeps_the_window_and_logs_the_error(world, stub, fast_retries):
    endpoint = _endpoint(world, stub)
    stub.respond = lambda request: (503, {"error": "维护中"}, {})
    result = open311.pull_endpoint(endpoint=endpoint)
    assert result.created == 0 and "503" in result.errors[0]
    endpoint.refresh_from_db()
    assert endpoint.pulled_until is None
    assert Exchange.objects.get(kind="pull").status == "failed"


def test_the_command_and_the_schedule_pull_due_endpoints(world, stub, fast_retries, capsys):
    endpoint = _endpoint(world, stub)
    _serve(stub, _remote(3))
    call_command("pull_open311")
    assert "新建案件 3 件" in capsys.readouterr().out
    assert open311.pull_due() == {}  # not due again before its interval
    call_command("pull_open311", "--code", endpoint.code)
    assert RemoteRequest.objects.count() == 3
