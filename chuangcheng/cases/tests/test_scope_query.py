"""A cooperating unit sees its cases, a sibling does not; on PostgreSQL the scope stays indexable (no per-row
subplan under the OR, which made a county's ledger a sequential scan of 10 million cases in bench/levels.py)."""

import pytest
from django.db import connection

from chuangcheng.cases.models import Case
from chuangcheng.cases.tests.helpers import new_case

pytestmark = pytest.mark.django_db


def test_cooperating_unit_sees_the_case_and_a_sibling_does_not(world):
    case = new_case(world)
    assert case.lead_unit == world.urban
    case.cooperating_units.add(world.market)
    assert Case.objects.visible_to(world.market_handler).filter(pk=case.pk).exists()
    case.cooperating_units.clear()
    assert not Case.objects.visible_to(world.market_handler).filter(pk=case.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
@pytest.mark.parametrize("who", ["market_handler", "inspector"])
def test_unit_and_inspector_scopes_have_no_per_row_subplan(world, who):
    queryset = Case.objects.visible_to(getattr(world, who)).values("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (COSTS OFF) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "InitPlan" in plan and "SubPlan" not in plan.replace("InitPlan", ""), plan
