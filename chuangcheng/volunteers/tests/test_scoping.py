"""Scoping by unit subtree: a community's volunteers are seen by its street, district, the city's leader and
the office, not by another district; permission matrix on pages and API; query guards on every list."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.volunteers import services
from chuangcheng.volunteers.models import PostKind, Volunteer
from chuangcheng.volunteers.tests.conftest import api_client, page_client
from chuangcheng.volunteers.tests.factories import ActivityFactory, ParticipationFactory, TeamFactory, VolunteerFactory

START = timezone.make_aware(datetime(2026, 5, 9, 8, 0))


@pytest.fixture
def objects(world):
    volunteer = VolunteerFactory(unit=world["east_community"])
    team = TeamFactory(unit=world["east_community"])
    team.members.add(volunteer)
    activity = ActivityFactory(unit=world["east_community"])
    participation = ParticipationFactory(activity=activity, volunteer=volunteer)
    post = services.create_post(
        actor=world["admin"], name="春秋路口岗", kind=PostKind.TRAFFIC, unit=world["east_community"]
    )
    return {"volunteer": volunteer, "team": team, "activity": activity, "participation": participation, "post": post}


def test_visibility_follows_the_unit_tree(world, objects):
    volunteer = objects["volunteer"]
    for who in ("admin", "leader", "east_head", "street_head", "community_worker"):
        assert Volunteer.objects.visible_to(world[who]).filter(pk=volunteer.pk).exists(), who
    for who in ("west_head", "nobody"):
        assert not Volunteer.objects.visible_to(world[who]).filter(pk=volunteer.pk).exists(), who


PAGES = [
    "/volunteers/{volunteer}/",
    "/volunteers/{volunteer}/edit/",
    "/volunteers/teams/{team}/",
    "/volunteers/activities/{activity}/",
    "/volunteers/activities/{activity}/check/",
    "/volunteers/posts/{post}/",
]
API = [
    "/api/v1/volunteers/{volunteer}/",
    "/api/v1/volunteer-teams/{team}/",
    "/api/v1/volunteer-activities/{activity}/",
    "/api/v1/volunteer-participations/{participation}/",
    "/api/v1/volunteer-posts/{post}/",
]


def _url(url, objects):
    return url.format(**{name: obj.pk for name, obj in objects.items()})


@pytest.mark.parametrize("url", PAGES)
def test_pages_permission_matrix(world, objects, url):
    assert_permission_matrix(
        page_client,
        _url(url, objects),
        in_scope=world["street_head"],
        out_of_scope=world["west_head"],
        no_role=user_with_role(Role.UNIT_HANDLER, UnitFactory(name="无关单位")),
    )


@pytest.mark.parametrize("url", API)
def test_api_permission_matrix(world, objects, url):
    assert_permission_matrix(
        api_client,
        _url(url, objects),
        in_scope=world["east_head"],
        out_of_scope=world["west_head"],
        no_role=world["nobody"],
    )


def test_a_user_without_any_role_is_refused_the_pages(world, objects):
    assert page_client(world["nobody"]).get("/volunteers/").status_code == 403
    assert page_client(world["inspector"]).get("/volunteers/").status_code == 403


def test_out_of_scope_writes_answer_404(world, objects):
    activity, volunteer = objects["activity"], objects["volunteer"]
    response = page_client(world["west_head"]).post(
        f"/volunteers/activities/{activity.pk}/action/", {"action": "check_in", "volunteer": volunteer.pk}
    )
    assert response.status_code == 404
    response = api_client(world["west_head"]).post(
        f"/api/v1/volunteer-activities/{activity.pk}/check-in/", {"volunteer": volunteer.pk}, format="json"
    )
    assert response.status_code == 404
    response = api_client(world["west_head"]).post(
        f"/api/v1/volunteer-participations/{objects['participation'].pk}/correct/",
        {"hours": 1, "reason": "x"},
        format="json",
    )
    assert response.status_code == 404


def test_leader_reads_but_cannot_sign_in(world, objects):
    activity, volunteer = objects["activity"], objects["volunteer"]
    response = page_client(world["leader"]).post(
        f"/volunteers/activities/{activity.pk}/action/", {"action": "check_in", "volunteer": volunteer.pk}
    )
    assert response.status_code == 403


def _many(world, n=12):
    team = TeamFactory(unit=world["east_street"])
    for i in range(n):
        volunteer = VolunteerFactory(unit=world["east_community"] if i % 2 else world["west_community"])
        team.members.add(volunteer)
        activity = ActivityFactory(unit=volunteer.unit, starts_at=START - timedelta(days=i * 5))
        row = ParticipationFactory(activity=activity, volunteer=volunteer, checked_in_at=activity.starts_at)
        row.checked_out_at = activity.ends_at
        row.hours = 3
        row.save()
        TeamFactory(unit=volunteer.unit)
        post = services.create_post(
            actor=world["admin"], name=f"岗位{i}", kind=PostKind.PERSUASION, unit=volunteer.unit
        )
        services.add_post_shift(actor=world["admin"], post=post, start_time=time(7), end_time=time(9))


@pytest.mark.parametrize(
    "url, limit",
    [
        ("/volunteers/", 8),
        ("/volunteers/teams/", 8),
        ("/volunteers/activities/", 8),
        ("/volunteers/posts/", 9),
        ("/volunteers/posts/today/", 9),
        ("/volunteers/hours/", 10),
        ("/volunteers/hours/?month=2026-05", 10),
    ],
)
def test_list_pages_do_not_grow_per_row(world, url, limit):
    _many(world)
    client = page_client(world["admin"])
    client.get(url)  # warm the session and the scope
    with assert_max_queries(limit):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/volunteers/",
        "/api/v1/volunteer-teams/",
        "/api/v1/volunteer-activities/",
        "/api/v1/volunteer-participations/",
        "/api/v1/volunteer-posts/",
    ],
)
def test_api_lists_do_not_grow_per_row(world, url):
    _many(world)
    client = api_client(world["east_head"])
    with assert_max_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] >= 6
