"""The single intake's answer (``answers.created_answer``) equals ``CaseDetailSerializer``'s output, for cases
of every shape, and ``POST /api/v1/cases/`` answers it."""

import json

import pytest
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.utils.encoders import JSONEncoder

from chuangcheng.accounts.models import Role
from chuangcheng.cases import answers, services
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.serializers import CaseDetailSerializer
from chuangcheng.cases.tests.factories import RoutingRuleFactory, jpeg_upload
from chuangcheng.cases.tests.test_api import client_for

pytestmark = pytest.mark.django_db


def _request(user):
    from rest_framework.request import Request

    raw = APIRequestFactory().post("/api/v1/cases/")
    force_authenticate(raw, user=user)
    request = Request(raw)
    request.user = user
    return request


def _plain(data) -> dict:
    return json.loads(json.dumps(data, cls=JSONEncoder))


def _same(case, user) -> dict:
    request = _request(user)
    fresh = Case.objects.prefetch_related("photos", "cooperating_units").get(pk=case.pk)
    expected = _plain(CaseDetailSerializer(fresh, context={"request": request}).data)
    got = _plain(answers.created_answer(case, request=request))
    assert got == expected
    assert list(got) == list(expected)
    return got


@pytest.mark.parametrize("auto_register", [True, False])
def test_answer_of_a_site_case(world, auto_register):
    case = services.create_case(
        actor=world.office, source="patrol", title="市场门口垃圾", site=world.site, auto_register=auto_register
    )
    got = _same(case, world.office)
    assert got["status"] == (CaseStatus.DISPATCHED if auto_register else CaseStatus.REPORTED)


def test_answer_of_a_point_case_with_photo_and_cooperating_units(world):
    rule = RoutingRuleFactory(category=world.category, lead_unit=world.urban)
    rule.cooperating_units.set([world.market, world.street])
    case = services.create_case(
        actor=world.office,
        source="citizen",
        title="路面破损",
        description="说明",
        category=world.category,
        lng=120.005,
        lat=30.005,
        severity="serious",
        reporter_name="张三",
        external_ref="EXT-1",
        photos=[jpeg_upload()],
        auto_register=True,
    )
    got = _same(case, world.office)
    assert sorted(got["cooperating_units"]) == sorted([world.market.pk, world.street.pk])
    assert len(got["photos"]) == 1 and got["lead_unit_name"] == world.urban.name


def test_answer_without_place_for_a_grid_worker(world):
    case = services.create_case(actor=world.grid, source="patrol", title="无点位问题", auto_register=True)
    got = _same(case, world.grid)
    assert got["lead_unit"] is None and got["category_name"] == ""


def test_api_answers_the_detail_and_duplicates(world):
    client = client_for(world.office)
    body = {"source": "patrol", "title": "市场门口垃圾", "site": world.site.pk, "auto_register": True}
    first = client.post("/api/v1/cases/", body, format="json").json()
    second = client.post("/api/v1/cases/", body, format="json").json()
    detail = client.get(f"/api/v1/cases/{second['id']}/").json()
    assert {k: v for k, v in second.items() if k != "duplicates"} == detail
    assert [d["number"] for d in second["duplicates"]] == [first["number"]]


def test_api_answer_with_role_user(world):
    from chuangcheng.accounts.tests.factories import user_with_role

    grid = user_with_role(Role.GRID_WORKER, world.street)
    response = client_for(grid).post(
        "/api/v1/cases/", {"source": "patrol", "title": "网格上报", "site": world.site.pk}, format="json"
    )
    assert response.status_code == 201 and response.json()["allowed_actions"] == []
