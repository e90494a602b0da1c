"""Activity services: every state and rule of sign-up, sign-in/out (organiser and short code), hours,
corrections, closing and cancelling; the 创卫 kinds use the same records."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import Conflict, DomainError, NotFound, NotPermitted
from chuangcheng.volunteers import services
from chuangcheng.volunteers.models import ActivityKind, ActivityStatus, CheckVia, VolunteerStatus
from chuangcheng.volunteers.tests.factories import VolunteerFactory, id_number

START = timezone.make_aware(datetime(2026, 5, 9, 8, 0))


def _activity(world, **kw):
    data = {
        "title": "春秋社区文明劝导",
        "kind": ActivityKind.PERSUASION,
        "unit": world["east_community"],
        "starts_at": START,
        "ends_at": START + timedelta(hours=3),
    }
    return services.create_activity(actor=world["community_worker"], **(data | kw))


def test_create_defaults_cap_to_the_window_and_gives_a_short_code(world):
    activity = _activity(world, planned_headcount=5)
    assert activity.hours_cap == Decimal("3.0") and len(activity.code) == 6 and activity.code.isdigit()
    assert activity.status == ActivityStatus.PLANNED
    assert AuditEvent.objects.filter(verb="volunteers.activity_created").count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": ""}, "title"),
        ({"kind": "dance"}, "kind"),
        ({"ends_at": START}, "ends_at"),
        ({"planned_headcount": 0}, "planned_headcount"),
        ({"hours_cap": Decimal("4")}, "hours_cap"),
        ({"hours_cap": Decimal("0")}, "hours_cap"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(world, changes, field):
    with pytest.raises(DomainError) as caught:
        _activity(world, **changes)
    assert caught.value.field == field


def test_health_education_and_patriotic_health_are_the_same_records(world):
    for kind in (ActivityKind.HEALTH_EDUCATION, ActivityKind.PATRIOTIC_HEALTH):
        activity = _activity(world, kind=kind, title=f"{ActivityKind(kind).label}进社区")
        volunteer = VolunteerFactory(unit=world["east_community"])
        services.check_in(actor=world["community_worker"], activity=activity, volunteer=volunteer, at=START)
        row = services.check_out(
            actor=world["community_worker"], activity=activity, volunteer=volunteer, at=START + timedelta(hours=2)
        )
        assert row.hours == Decimal("2.0")


def test_only_the_organiser_side_runs_the_activity(world):
    with pytest.raises(NotPermitted):
        _activity(world, unit=world["west_community"])
    activity = _activity(world)
    volunteer = VolunteerFactory(unit=world["east_community"])
    for outsider in ("west_head", "leader", "inspector"):
        with pytest.raises(NotPermitted):
            services.sign_up(actor=world[outsider], activity=activity, volunteer=volunteer)
    assert services.sign_up(actor=world["admin"], activity=activity, volunteer=volunteer).activity == activity


def test_sign_up_rules(world):
    activity = _activity(world, planned_headcount=1)
    a, b = VolunteerFactory(unit=world["east_community"]), VolunteerFactory(unit=world["east_community"])
    services.sign_up(actor=world["community_worker"], activity=activity, volunteer=a)
    with pytest.raises(Conflict, match="已报名"):
        services.sign_up(actor=world["community_worker"], activity=activity, volunteer=a)
    with pytest.raises(Conflict, match="计划人数"):
        services.sign_up(actor=world["community_worker"], activity=activity, volunteer=b)
    paused = VolunteerFactory(unit=world["east_community"], status=VolunteerStatus.PAUSED)
    other = _activity(world)
    with pytest.raises(DomainError, match="暂停服务"):
        services.sign_up(actor=world["community_worker"], activity=other, volunteer=paused)


def test_withdraw_only_before_sign_in(world):
    activity = _activity(world)
    a, b = VolunteerFactory(unit=world["east_community"]), VolunteerFactory(unit=world["east_community"])
    row_a = services.sign_up(actor=world["community_worker"], activity=activity, volunteer=a)
    services.withdraw_sign_up(actor=world["community_worker"], participation=row_a)
    assert not activity.participations.filter(volunteer=a).exists()
    row_b = services.check_in(actor=world["community_worker"], activity=activity, volunteer=b, at=START)
    with pytest.raises(Conflict):
        services.withdraw_sign_up(actor=world["community_worker"], participation=row_b)


def test_organiser_check_in_and_out_with_windows(world):
    activity = _activity(world)
    volunteer = VolunteerFactory(unit=world["east_community"])
    worker = world["community_worker"]
    with pytest.raises(DomainError, match="不在签到时间内"):
        services.check_in(actor=worker, activity=activity, volunteer=volunteer, at=START - timedelta(minutes=61))
    with pytest.raises(Conflict, match="未报名"):
        services.check_out(actor=worker, activity=activity, volunteer=volunteer, at=START)
    row = services.check_in(actor=worker, activity=activity, volunteer=volunteer, at=START - timedelta(minutes=30))
    assert row.check_in_via == CheckVia.ORGANISER  # a walk-in is signed up on the way
    with pytest.raises(Conflict, match="已签到"):
        services.check_in(actor=worker, activity=activity, volunteer=volunteer, at=START)
    with pytest.raises(DomainError, match="早于签到"):
        services.check_out(actor=worker, activity=activity, volunteer=volunteer, at=START - timedelta(hours=1))
    with pytest.raises(DomainError, match="签退时限"):
        services.check_out(
            actor=worker, activity=activity, volunteer=volunteer, at=START + timedelta(hours=5, minutes=1)
        )
    row = services.check_out(actor=worker, activity=activity, volunteer=volunteer, at=START + timedelta(hours=4))
    assert row.hours == Decimal("3.0")  # capped at the window
    with pytest.raises(Conflict, match="已签退"):
        services.check_out(actor=worker, activity=activity, volunteer=volunteer, at=START + timedelta(hours=4))
    other = VolunteerFactory(unit=world["east_community"])
    services.sign_up(actor=worker, activity=activity, volunteer=other)
    with pytest.raises(Conflict, match="尚未签到"):
        services.check_out(actor=worker, activity=activity, volunteer=other, at=START + timedelta(hours=1))


def test_self_check_with_the_short_code(world):
    activity = _activity(world)
    number = id_number(11)
    volunteer = services.register_volunteer(
        actor=world["admin"], name="赵六", phone="13700000011", id_number=number, unit=world["east_community"]
    )
    last4 = number[-4:]
    with pytest.raises(NotFound):
        services.self_check(code="000000", phone="13700000011", id_last4=last4, at=START)
    with pytest.raises(DomainError, match="未找到"):
        services.self_check(
            code=activity.code, phone="13700000011", id_last4="0000" if last4 != "0000" else "1111", at=START
        )
    row, done = services.self_check(code=activity.code, phone="13700000011", id_last4=last4.lower(), at=START)
    assert done == "in" and row.volunteer == volunteer and row.check_in_via == CheckVia.CODE
    row, done = services.self_check(
        code=activity.code, phone="13700000011", id_last4=last4, at=START + timedelta(minutes=95)
    )
    assert done == "out" and row.hours == Decimal("1.5")
    with pytest.raises(Conflict, match="已签退"):
        services.self_check(code=activity.code, phone="13700000011", id_last4=last4, at=START + timedelta(hours=2))
    event = AuditEvent.objects.filter(verb="volunteers.checked_in").get()
    assert event.actor_id is None and "赵六" in event.actor_label


def test_masked_phone_cannot_self_check(world):
    activity = _activity(world)
    services.register_volunteer(
        actor=world["admin"], name="钱七", phone="137****0012", id_number=id_number(12), unit=world["east_community"]
    )
    with pytest.raises(DomainError, match="手机号"):
        services.self_check(code=activity.code, phone="137****0012", id_last4=id_number(12)[-4:], at=START)


def test_correct_hours_needs_a_reason_and_rights_and_is_audited(world):
    activity = _activity(world)
    volunteer = VolunteerFactory(unit=world["east_community"])
    row = services.check_in(actor=world["community_worker"], activity=activity, volunteer=volunteer, at=START)
    with pytest.raises(NotPermitted):  # a grid worker runs the activity but does not correct hours
        services.correct_hours(actor=world["community_worker"], participation=row, hours=2, reason="忘记签退")
    with pytest.raises(DomainError) as caught:
        services.correct_hours(actor=world["street_head"], participation=row, hours=2, reason=" ")
    assert caught.value.field == "reason"
    for bad in (-1, 25, "abc"):
        with pytest.raises(DomainError) as caught:
            services.correct_hours(actor=world["street_head"], participation=row, hours=bad, reason="核对签到表")
        assert caught.value.field == "hours"
    row = services.correct_hours(
        actor=world["street_head"], participation=row, hours="2.5", reason="忘记签退，按签到表核定"
    )
    assert row.effective_hours == Decimal("2.5") and row.hours == Decimal("0.0")
    event = AuditEvent.objects.get(verb="volunteers.hours_corrected")
    assert event.changes["hours"] == ["0.0", "2.5"] and "签到表" in event.changes["reason"][1]


def test_close_and_cancel(world):
    activity = _activity(world)
    volunteer = VolunteerFactory(unit=world["east_community"])
    services.check_in(actor=world["community_worker"], activity=activity, volunteer=volunteer, at=START)
    with pytest.raises(Conflict, match="不能取消"):
        services.cancel_activity(actor=world["community_worker"], activity=activity, reason="下雨")
    closed = services.close_activity(actor=world["community_worker"], activity=activity)
    assert closed.status == ActivityStatus.CLOSED
    assert AuditEvent.objects.get(verb="volunteers.activity_closed").changes["without_sign_out"] == [None, 1]
    with pytest.raises(Conflict, match="已结束"):
        services.check_in(actor=world["community_worker"], activity=activity, volunteer=VolunteerFactory(), at=START)
    with pytest.raises(Conflict):
        services.close_activity(actor=world["community_worker"], activity=activity)
    other = _activity(world)
    with pytest.raises(DomainError, match="取消原因"):
        services.cancel_activity(actor=world["community_worker"], activity=other, reason="")
    cancelled = services.cancel_activity(actor=world["community_worker"], activity=other, reason="暴雨预警")
    assert cancelled.status == ActivityStatus.CANCELLED
    with pytest.raises(Conflict, match="已取消"):
        services.sign_up(actor=world["community_worker"], activity=other, volunteer=volunteer)
