"""An Open311 list is two statements whatever its filters (count, page; the site categories are kept), and on
PostgreSQL both are prepared once per connection: not planned again per request, prepared again after a
reconnect, and Django's other statements stay unprepared (client-side binding, as configured)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.services.reports import submit_report

pytestmark = pytest.mark.django_db(transaction=True)
BASE = "/open311/v2"
FILTERS = [
    {},
    {"page_size": 2, "page": 2},
    {"service_code": "litter,stall"},
    {"status": "open"},
    {"status": "closed"},
    {"service_code": "litter", "status": "closed", "start_date": "2026-01-01", "end_date": "2026-03-01"},
    {"service_request_id": "SP1,SP2"},
]


@pytest.fixture
def listed(world):
    for n in range(3):
        report, _ = submit_report(
            category=world["litter"], description=f"人行道上有暴露垃圾{n}", lng=120.005, lat=30.005,
            address=f"东城路 {n} 号", client_address=f"10.5.0.{n}",
        )  # fmt: skip
        accept_report(report=report, actor=world["staff"])
    client = Client()
    client.get(f"{BASE}/requests.json")  # keeps the site categories
    return client


def test_two_statements_per_list(listed):
    for fmt in ("json", "xml"):
        for params in FILTERS:
            with CaptureQueriesContext(connection) as queries:
                response = listed.get(f"{BASE}/requests.{fmt}", params)
            assert response.status_code == 200
            statements = [q["sql"] for q in queries.captured_queries]
            assert len(statements) == 2, (fmt, params, statements)
            assert statements[0].startswith("SELECT count(*)") and statements[1].startswith("SELECT r.number")


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_list_statements_prepared_once_and_again_after_a_reconnect(listed):
    for _ in range(3):
        assert len(listed.get(f"{BASE}/requests.json").json()) == 3
    statements = _prepared()
    assert sum(s.startswith("SELECT count(*) FROM public_report r") for s in statements) == 1
    assert sum(s.startswith("SELECT r.number") for s in statements) == 1
    assert len(statements) == 2  # nothing else is prepared
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans + custom_plans FROM pg_prepared_statements")
        assert {row[0] for row in cursor.fetchall()} == {4}  # the warm-up and three lists
    backend = connection.connection.info.backend_pid
    connection.close()
    assert len(listed.get(f"{BASE}/requests.xml").content) > 0
    assert connection.connection.info.backend_pid != backend
    assert len(_prepared()) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_prepared_statements_can_be_turned_off_for_old_poolers(listed, settings):
    connection.close()
    prepared = listed.get(f"{BASE}/requests.json").json()
    connection.close()
    settings.OPEN311_PREPARED_STATEMENTS = False
    assert listed.get(f"{BASE}/requests.json").json() == prepared
    assert _prepared() == []
