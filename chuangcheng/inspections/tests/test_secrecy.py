"""A secret round (暗访), its visits and findings are 404 for everyone outside the office and its
inspectors until publication; afterwards the inspected units see them (pages and API alike)."""

import uuid

import pytest
from django.test import Client

from chuangcheng.inspections import services
from chuangcheng.inspections.models import Finding, SiteVisit
from chuangcheng.inspections.tests.conftest import api, make_round

pytestmark = pytest.mark.django_db

BEFORE = {
    "office_admin": 200,
    "office_staff": 200,
    "inspector": 200,
    "leader": 404,
    "east_head": 404,
    "east_handler": 404,
    "west_head": 404,
    "other_inspector": 404,
    "grid_worker": 404,
    "no_role": 404,
}
AFTER = BEFORE | {"leader": 200, "east_head": 200, "east_handler": 200, "grid_worker": 200, "other_inspector": 200}


@pytest.fixture
def secret(world):
    round_ = make_round(world, areas=[world.areas["east"]])
    services.draw_round(round_=round_, actor=world.users["office_admin"], seed=11)
    services.assign_visits(round_=round_, actor=world.users["office_admin"], assignments="auto")
    visit = SiteVisit.objects.filter(round=round_, category=world.categories["road"]).first()
    services.sync_visit(
        actor=world.users["inspector"],
        visit=visit,
        items=[{"uuid": str(uuid.uuid4()), "check_item": world.items["litter"].pk, "result": "deduct", "count": 1}],
    )
    return round_, visit, Finding.objects.get(visit=visit)


def urls(round_, visit, finding):
    return {
        "api round": f"/api/v1/inspections/rounds/{round_.pk}/",
        "api visit": f"/api/v1/inspections/visits/{visit.pk}/",
        "api checklist": f"/api/v1/inspections/visits/{visit.pk}/checklist/",
        "api finding": f"/api/v1/inspections/findings/{finding.pk}/",
        "page round": f"/inspections/{round_.pk}/",
        "page visit": f"/inspections/visits/{visit.pk}/",
    }


def page_client(user):
    client = Client()
    client.force_login(user)
    return client


def check(world, targets, expected):
    for role, status in expected.items():
        user = world.users[role]
        for label, url in targets.items():
            client = api(user) if label.startswith("api") else page_client(user)
            got = client.get(url).status_code
            assert got == status, f"{role} {label}: {got} != {status}"


def check_lists(world, round_, visible_roles):
    for role in BEFORE:
        rounds = api(world.users[role]).get("/api/v1/inspections/rounds/").json()["results"]
        visits = api(world.users[role]).get(f"/api/v1/inspections/visits/?round={round_.pk}").json()["results"]
        seen = round_.pk in {r["id"] for r in rounds}
        assert seen == (role in visible_roles), f"{role} list"
        assert bool(visits) == (role in visible_roles), f"{role} visits list"


def test_secret_round_hidden_from_every_role_outside_office_until_published(world, secret):
    round_, visit, finding = secret
    targets = urls(round_, visit, finding)
    check(world, targets, BEFORE)
    check_lists(world, round_, {r for r, s in BEFORE.items() if s == 200})
    services.close_round(round_=round_, actor=world.users["office_admin"])
    check(world, targets, BEFORE)
    services.publish_round(round_=round_, actor=world.users["office_admin"])
    check(world, targets, AFTER)
    check_lists(world, round_, {r for r, s in AFTER.items() if s == 200})


def test_anonymous_gets_nothing(secret):
    round_, visit, finding = secret
    for label, url in urls(round_, visit, finding).items():
        client = api() if label.startswith("api") else Client()
        assert client.get(url).status_code in (302, 401, 403), label


def test_open_round_visible_to_inspected_unit_at_once(world):
    round_ = make_round(world, kind="open", areas=[world.areas["east"]])
    assert not round_.is_secret
    assert api(world.users["east_head"]).get(f"/api/v1/inspections/rounds/{round_.pk}/").status_code == 200
    assert api(world.users["west_head"]).get(f"/api/v1/inspections/rounds/{round_.pk}/").status_code == 404


def test_unpublished_secret_findings_not_counted_for_other_domains(world, secret):
    from datetime import date

    from chuangcheng.inspections.selectors import finding_rates, findings_for_period

    round_, visit, finding = secret
    assert not findings_for_period(date(2000, 1, 1), date(2100, 1, 1)).exists()
    services.close_round(round_=round_, actor=world.users["office_admin"])
    services.publish_round(round_=round_, actor=world.users["office_admin"])
    assert list(findings_for_period(date(2000, 1, 1), date(2100, 1, 1))) == [finding]
    rate = finding_rates([world.categories["road"].pk])[world.categories["road"].pk][world.items["litter"].pk]
    assert rate.findings == 1 and rate.visits == 1 and rate.rate == 1.0
