"""The unfiltered ledger's total (``selectors.visible_count``): the same number as ``COUNT(*)`` over the scope for
every kind of user, answered from indexes on PostgreSQL, and the pages and the API carry it unchanged."""

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases import selectors, services
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.tests.helpers import case_in_state, new_case
from chuangcheng.core.testing import assert_max_queries

pytestmark = pytest.mark.django_db

USERS = ("office", "admin", "handler", "head", "market_handler", "street_handler", "inspector", "leader", "grid")


@pytest.fixture
def ledger(world):
    """Cases led by the urban department, one by the market department in the street's territory, one where
    the market department cooperates, one waiting for verification, one unrouted report, and a district's
    inspector who verifies on the district's ground only."""
    case_in_state(world, CaseStatus.DISPATCHED)
    case_in_state(world, CaseStatus.SUBMITTED)
    market_led = new_case(world, title="市场监管局牵头")
    services.assign_case(actor=world.office, case=market_led, lead_unit=world.market)
    cooperated = new_case(world, title="配合单位的问题")
    services.assign_case(actor=world.office, case=cooperated, lead_unit=world.urban, cooperating_units=[world.market])
    services.create_case(actor=world.grid, source="patrol", title="未派遣的上报", lng=120.1, lat=30.1)
    world.district_inspector = user_with_role(Role.INSPECTOR, world.district)
    return world


@pytest.mark.parametrize("who", [*USERS, "district_inspector", "nobody"])
def test_visible_count_is_the_scopes_count_for_every_user(ledger, who):
    user = getattr(ledger, who)
    expected = Case.objects.visible_to(user).count()
    with assert_max_queries(3):  # the scope's lookups (memberships), then one statement
        assert selectors.visible_count(user) == expected


def test_visible_count_parts_do_not_count_a_case_twice(ledger):
    """A case led by the street's own unit in the street's territory, cooperated on by the street too."""
    case = new_case(ledger, title="属地牵头")
    services.assign_case(actor=ledger.office, case=case, lead_unit=ledger.street, cooperating_units=[ledger.street])
    user = ledger.street_handler
    assert (
        selectors.visible_count(user)
        == Case.objects.visible_to(user).count()
        == Case.objects.filter(unit=ledger.street).count()
    )


@pytest.mark.parametrize("who", ["office", "market_handler", "street_handler"])
def test_unfiltered_ledger_api_and_page_carry_the_scope_total(ledger, who):
    user = getattr(ledger, who)
    total = Case.objects.visible_to(user).count()
    api = APIClient()
    api.force_authenticate(user)
    data = api.get("/api/v1/cases/?page_size=2").json()
    assert data["count"] == total and len(data["results"]) == min(2, total)
    assert bool(data["next"]) == (total > 2) and data["previous"] is None
    numbers = [row["number"] for row in data["results"]]
    assert numbers == list(Case.objects.visible_to(user).order_by("-id").values_list("number", flat=True)[:2])
    assert api.get("/api/v1/cases/?page=1&page_size=2&format=json").json()["count"] == total
    filtered = api.get("/api/v1/cases/?status=dispatched").json()["count"]
    assert filtered == Case.objects.visible_to(user).filter(status=CaseStatus.DISPATCHED).count()
    page = Client()
    page.force_login(user)
    assert f"共 {total} 件" in page.get("/cases/").content.decode()


@pytest.mark.parametrize("who", ["office", "street_handler"])
def test_unfiltered_ledger_query_count_is_flat(ledger, who):
    user = getattr(ledger, who)
    client = APIClient()
    client.force_authenticate(user)
    with assert_max_queries(8) as few:
        client.get("/api/v1/cases/")
    for _ in range(5):
        new_case(ledger)
    total = Case.objects.visible_to(user).count()
    with assert_max_queries(len(few.captured_queries)):  # scope total, page of ids, rows: the same at any size
        assert client.get("/api/v1/cases/").json()["count"] == total
    page = Client()
    page.force_login(user)
    page.get("/cases/")
    with assert_max_queries(15):
        assert page.get("/cases/").status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_visible_count_reads_the_unit_parts_from_indexes_only(ledger):
    """With every scan that reads the table's heap disabled (sequential, bitmap and plain index scans), the
    lead-unit and territory parts are still index-only scans: their indexes hold every column they test."""
    from chuangcheng.core.scoping import scope_of

    user = ledger.street_handler
    _, sql, params = selectors.visible_count_statement(scope_of(user), user)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # index-only scans stay allowed
        cursor.execute(f"EXPLAIN (COSTS OFF) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert plan.count("Index Only Scan") >= 2, plan
    assert "case_territory_lead_idx" in plan, plan
