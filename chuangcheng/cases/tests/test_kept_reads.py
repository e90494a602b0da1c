"""Intake keeps the routing and deadline rules and the areas' rows per process (``routing.KEPT_RULES``,
``routing.KEPT_AREAS``): once they are kept a single intake reads none of them, and a committed change of a
rule, a unit or an area reaches the next intake. Transactional tests: values are kept only once committed."""

import pytest
from django.db import connection

from chuangcheng.cases import services
from chuangcheng.cases.tests.test_api import client_for
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import AreaFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Steady state of POST /api/v1/cases/ (a site, auto-registered, one person notified), rules, scope and areas
# kept: site, rebound probe, number + id, case, timeline, audit rows, recipients, preferences,
# webhooks, in-app rows, audit row of the notification, the audit seal and the duplicates. SQLite: the number
# counter (five statements), the timeline head and one UPDATE per sealed row.
WARM_API_LIMIT = {"postgresql": 21, "sqlite": 25}
READS = ("cases_routingrule", "cases_deadlinerule", "WITH RECURSIVE")
# The scope's read: the user's own memberships (the recipients' read selects a unit's members instead).
SCOPE_READ = 'WHERE ("accounts_membership"."user_id" = '


def _post(client, world):
    body = {"source": "patrol", "title": "市场门口垃圾", "site": world.site.pk, "auto_register": True}
    response = client.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_warm_single_intake_reads_no_rules_areas_or_memberships(world):
    client = client_for(world.office)
    _post(client, world)
    with assert_max_queries(WARM_API_LIMIT[connection.vendor]) as queries:
        answer = _post(client, world)
    assert answer["lead_unit"] == world.street.pk and answer["route_reason"].startswith("无匹配规则")
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if any(name in s for name in READS)]
    assert not [s for s in sql if 'FROM "accounts_membership"' in s and SCOPE_READ in s]


def test_committed_rule_and_unit_changes_reach_the_next_intake(world):
    client = client_for(world.office)
    assert _post(client, world)["lead_unit"] == world.street.pk
    rule = services.create_routing_rule(
        actor=world.office, name="市场归城管", lead_unit=world.urban, category=world.category
    )
    answer = _post(client, world)
    assert answer["lead_unit"] == world.urban.pk and answer["lead_unit_name"] == "市城管局"
    world.urban.name = "市城市管理局"
    world.urban.save()
    assert _post(client, world)["lead_unit_name"] == "市城市管理局"
    services.create_deadline_rule(actor=world.office, days=2, category=world.category)
    assert _post(client, world)["deadline_days"] == 2
    services.delete_routing_rule(rule=rule, actor=world.office)
    assert _post(client, world)["lead_unit"] == world.street.pk


def test_committed_area_change_reaches_the_next_intake(world):
    client = client_for(world.office)
    _post(client, world)
    district = UnitFactory(code="D09", name="新区")
    parent = AreaFactory(code="P01", name="上级网格", unit=district)
    world.area.unit = None
    world.area.parent = parent
    world.area.save()
    world.site.unit = None
    world.site.save()
    answer = _post(client, world)
    assert answer["lead_unit"] == district.pk and "上级网格" in answer["route_reason"]


def test_kept_areas_follow_the_area_index_token():
    from chuangcheng.cases.routing import KEPT_AREAS
    from chuangcheng.places.lookup import VERSION_KEY

    assert VERSION_KEY in KEPT_AREAS.also
