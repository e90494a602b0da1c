"""Posts: schedule lines, a shift of a day is an activity (created once), staffing is sign-up, sign-in counts;
today's posts and whether each is staffed."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.volunteers import selectors, services
from chuangcheng.volunteers.models import Activity, Participation, PostKind
from chuangcheng.volunteers.tests.factories import VolunteerFactory

SATURDAY = date(2026, 5, 9)


@pytest.fixture
def post(world):
    return services.create_post(
        actor=world["street_head"],
        name="淮海路口文明交通岗",
        kind=PostKind.TRAFFIC,
        unit=world["east_street"],
        location="淮海路与人民路交叉口",
    )


def test_create_post_rules(world, post):
    assert post.kind == PostKind.TRAFFIC
    with pytest.raises(DomainError, match="同名"):
        services.create_post(
            actor=world["admin"], name="淮海路口文明交通岗", kind=PostKind.TRAFFIC, unit=world["east_street"]
        )
    with pytest.raises(DomainError) as caught:
        services.create_post(actor=world["admin"], name="环境岗", kind="environment", unit=world["east_street"])
    assert caught.value.field == "kind"
    with pytest.raises(NotPermitted):
        services.create_post(actor=world["west_head"], name="西岗", kind=PostKind.PERSUASION, unit=world["east_street"])


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"weekdays": "89"}, "weekdays"),
        ({"weekdays": ""}, "weekdays"),
        ({"start_time": time(9), "end_time": time(7)}, "end_time"),
        ({"headcount": 0}, "headcount"),
    ],
)
def test_shift_rules(world, post, kw, field):
    data = {"start_time": time(7), "end_time": time(9), "weekdays": "12345", "headcount": 2} | kw
    with pytest.raises(DomainError) as caught:
        services.add_post_shift(actor=world["street_head"], post=post, **data)
    assert caught.value.field == field


def test_staffing_a_shift_reuses_one_activity_and_its_sign_in_counts(world, post):
    shift = services.add_post_shift(
        actor=world["street_head"], post=post, start_time=time(7), end_time=time(9), weekdays="6, 7"
    )
    assert shift.weekdays == "67" and shift.weekdays_label == "周六、周日"
    a, b = (VolunteerFactory(unit=world["east_community"]) for _ in range(2))
    activity = services.staff_shift(actor=world["street_head"], shift=shift, day=SATURDAY, volunteers=[a])
    again = services.staff_shift(actor=world["street_head"], shift=shift, day=SATURDAY, volunteers=[a, b])
    assert again.pk == activity.pk and Activity.objects.filter(shift=shift).count() == 1
    assert activity.kind == PostKind.TRAFFIC and activity.planned_headcount == 2 and activity.post == post
    assert Participation.objects.filter(activity=activity).count() == 2
    with pytest.raises(DomainError, match="不上岗"):
        services.shift_activity(actor=world["street_head"], shift=shift, day=SATURDAY - timedelta(days=1))
    row = services.check_in(actor=world["street_head"], activity=activity, volunteer=a, at=activity.starts_at)
    row = services.check_out(actor=world["street_head"], activity=activity, volunteer=a, at=activity.ends_at)
    assert row.hours == Decimal("2.0")
    totals = selectors.totals_by_volunteer(world["admin"])
    assert totals[0]["volunteer_id"] == a.pk and totals[0]["hours"] == Decimal("2.0")


def test_posts_today_shows_staffing(world, post):
    morning = services.add_post_shift(
        actor=world["admin"], post=post, start_time=time(7), end_time=time(9), weekdays="6"
    )
    evening = services.add_post_shift(
        actor=world["admin"], post=post, start_time=time(17), end_time=time(19), weekdays="6"
    )
    services.add_post_shift(actor=world["admin"], post=post, start_time=time(12), end_time=time(13), weekdays="1")
    other = services.create_post(
        actor=world["admin"], name="西园劝导岗", kind=PostKind.PERSUASION, unit=world["west_street"]
    )
    services.add_post_shift(
        actor=world["admin"], post=other, start_time=time(8), end_time=time(10), weekdays="6", headcount=1
    )
    a, b = (VolunteerFactory(unit=world["east_community"]) for _ in range(2))
    activity = services.staff_shift(actor=world["admin"], shift=morning, day=SATURDAY, volunteers=[a, b])
    for v in (a, b):
        services.check_in(actor=world["admin"], activity=activity, volunteer=v, at=activity.starts_at)
    services.staff_shift(actor=world["admin"], shift=evening, day=SATURDAY, volunteers=[a])
    with assert_max_queries(4):
        rows = selectors.posts_today(world["admin"], SATURDAY)
    states = {(r.post.name, r.shift.start_time): r.state[0] for r in rows}
    assert states == {
        ("淮海路口文明交通岗", time(7)): "已到岗",
        ("西园劝导岗", time(8)): "未排班",
        ("淮海路口文明交通岗", time(17)): "已排班未签到",
    }
    assert [r.post.name for r in selectors.posts_today(world["street_head"], SATURDAY)] == ["淮海路口文明交通岗"] * 2
