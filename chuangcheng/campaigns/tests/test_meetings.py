"""Meetings: calling, attendance (every status, leave needs a reason, all or nothing), decisions → task or
notice; the period bulletin lists absentees and late-comers, decisions and accountability records."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from docx import Document

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.assessments import documents
from chuangcheng.assessments.models import PeriodStatus
from chuangcheng.assessments.tests.factories import AccountabilityRecordFactory, DecisionFactory, PeriodFactory
from chuangcheng.audit.models import AuditEvent
from chuangcheng.campaigns import services
from chuangcheng.campaigns.meeting_models import AttendanceStatus, DecisionOutcome, MeetingKind
from chuangcheng.campaigns.meeting_selectors import attendance_lapses
from chuangcheng.campaigns.notice_models import NoticeStatus
from chuangcheng.campaigns.tests.factories import PlanFactory
from chuangcheng.core.errors import DomainError, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 9):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def meeting(world, *, held=date(2026, 3, 10), **overrides):
    data = {
        "actor": world["admin"],
        "kind": MeetingKind.DISPATCH,
        "title": "全市创建工作第三次调度会",
        "held_at": at(held),
        "agenda": "一、通报暗访情况\n二、部署下阶段整改",
        "unit": world["office"],
        "units": [world["east"], world["west"]],
        "persons": [world["east_head"]],
    } | overrides
    return services.create_meeting(**data)


def entries(m, statuses: dict):
    rows = []
    for attendee in m.attendees.all():
        status, reason = statuses.get(attendee.label, (AttendanceStatus.PRESENT, ""))
        rows.append({"attendee": attendee.pk, "status": status, "reason": reason})
    return rows


def test_create_meeting_invites_units_and_persons_under_their_unit(world):
    m = meeting(world)
    rows = list(m.attendees.order_by("sort_order").values_list("unit__name", "person_name"))
    assert rows == [("东城区", ""), ("西城区", ""), ("东城区", world["east_head"].display_name)]
    assert AuditEvent.objects.filter(verb="campaigns.meeting_created").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": " "}, "title"), ({"agenda": ""}, "agenda"), ({"units": [], "persons": []}, "units")],
)
def test_create_meeting_refuses_bad_input(world, overrides, field):
    with pytest.raises(DomainError) as error:
        meeting(world, **overrides)
    assert error.value.field == field


def test_create_meeting_refuses_a_person_without_unit_and_non_office(world):
    with pytest.raises(DomainError) as error:
        meeting(world, persons=[UserFactory(full_name="无单位")])
    assert error.value.field == "persons" and "无单位" in error.value.message
    with pytest.raises(NotPermitted):
        meeting(world, actor=world["east_head"])


def test_attendance_records_every_status_and_leave_needs_a_reason(world):
    m = meeting(world)
    head = world["east_head"].display_name
    bad = entries(m, {"西城区": (AttendanceStatus.LEAVE, ""), f"东城区{head}": (AttendanceStatus.LATE, "")})
    with pytest.raises(ValidationFailed) as error:
        services.record_attendance(actor=world["admin"], meeting=m, entries=bad, today=date(2026, 3, 10))
    assert "西城区：请假须填写事由" in error.value.errors["attendance"]
    assert not m.attendees.exclude(status=AttendanceStatus.PENDING).exists()  # all or nothing
    good = entries(
        m,
        {
            "东城区": (AttendanceStatus.ABSENT, ""),
            "西城区": (AttendanceStatus.LEAVE, "出差"),
            f"东城区{head}": (AttendanceStatus.LATE, ""),
        },
    )
    services.record_attendance(actor=world["admin"], meeting=m, entries=good, today=date(2026, 3, 10))
    m.refresh_from_db()
    assert m.attendance_recorded
    assert dict(m.attendees.values_list("unit__name", "status").filter(person__isnull=True)) == {
        "东城区": "absent",
        "西城区": "leave",
    }
    lapses = attendance_lapses(date(2026, 3, 1), date(2026, 3, 31))
    assert [(lapse.status_label, lapse.names) for lapse in lapses] == [
        ("缺席", ["东城区"]),
        ("迟到", [f"东城区{head}"]),
    ]
    assert attendance_lapses(date(2026, 4, 1), date(2026, 4, 30)) == []


def test_attendance_refused_before_the_meeting_and_for_unknown_rows(world):
    m = meeting(world, held=date(2026, 3, 10))
    with pytest.raises(DomainError) as error:
        services.record_attendance(actor=world["admin"], meeting=m, entries=[], today=date(2026, 3, 9))
    assert "尚未召开" in error.value.message
    with pytest.raises(ValidationFailed):
        services.record_attendance(
            actor=world["admin"],
            meeting=m,
            entries=[{"attendee": 999999, "status": "present"}],
            today=date(2026, 3, 10),
        )
    with pytest.raises(ValidationFailed):
        rows = entries(m, {"东城区": ("sleeping", "")})
        services.record_attendance(actor=world["admin"], meeting=m, entries=rows, today=date(2026, 3, 10))
    with pytest.raises(NotPermitted):
        services.record_attendance(actor=world["east_head"], meeting=m, entries=[], today=date(2026, 3, 10))


def test_decisions_become_tasks_or_notices_where_chosen(world):
    m = meeting(world)
    plan = PlanFactory(unit=world["office"])
    due = timezone.localdate() + timedelta(days=10)
    plain = services.add_meeting_decision(actor=world["admin"], meeting=m, content="各区加强夜间巡查")
    assert plain.task is None and plain.notice is None
    task = services.add_meeting_decision(
        actor=world["admin"],
        meeting=m,
        content="东城区完成农贸市场改造",
        unit=world["east"],
        deadline=due,
        outcome=DecisionOutcome.TASK,
        plan=plan,
    )
    assert task.task.lead_unit == world["east"] and task.task.plan == plan and task.task.deadline == due
    notice = services.add_meeting_decision(
        actor=world["admin"],
        meeting=m,
        content="西城区背街小巷垃圾清运不及时",
        unit=world["west"],
        deadline=due,
        outcome=DecisionOutcome.NOTICE,
    )
    assert notice.notice.unit == world["west"] and notice.notice.status == NoticeStatus.ISSUED
    assert notice.notice.reply_due == due


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"content": ""}, "content"),
        ({"outcome": "task", "deadline": date(2026, 5, 1)}, "unit"),
        ({"outcome": "notice", "unit": "east"}, "deadline"),
        ({"outcome": "task", "unit": "east", "deadline": date(2026, 5, 1)}, "plan"),
        ({"outcome": "bogus"}, "outcome"),
    ],
)
def test_decision_refuses_incomplete_input(world, kwargs, field):
    m = meeting(world)
    kwargs = {"content": "议定事项"} | kwargs
    if kwargs.get("unit") == "east":
        kwargs["unit"] = world["east"]
    with pytest.raises(DomainError) as error:
        services.add_meeting_decision(actor=world["admin"], meeting=m, **kwargs)
    assert error.value.field == field


def test_bulletin_lists_decisions_accountability_and_meeting_absentees(world):
    period = PeriodFactory(status=PeriodStatus.PUBLISHED)
    m = meeting(world, held=date(2026, 3, 10))
    head = world["east_head"].display_name
    rows = entries(m, {"东城区": (AttendanceStatus.ABSENT, ""), f"东城区{head}": (AttendanceStatus.LATE, "")})
    services.record_attendance(actor=world["admin"], meeting=m, entries=rows, today=date(2026, 3, 10))
    DecisionFactory(unit=world["west"], title="关于对西城区扣罚经费的决定", decided_on=date(2026, 3, 20))
    DecisionFactory(unit=world["west"], title="上月的决定", decided_on=date(2026, 2, 20))
    AccountabilityRecordFactory(
        unit=world["east"], kind="interview", person_name="王五", position="副区长", occurred_on=date(2026, 3, 25)
    )
    AccountabilityRecordFactory(unit=world["west"], kind="criticism", period=period, occurred_on=date(2026, 5, 1))
    doc = Document(io.BytesIO(documents.bulletin_docx(period)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "奖惩决定" in text and "西城区：关于对西城区扣罚经费的决定（惩处）" in text
    assert "上月的决定" not in text
    assert "问责情况" in text and "约谈东城区（副区长王五），事由：考核排名末位" in text
    assert "通报批评西城区" in text  # attached to the period though dated after it
    assert "会议缺席和迟到情况" in text
    assert "全市创建工作第三次调度会（2026年3月10日）缺席：东城区" in text
    assert f"迟到：东城区{head}" in text


def test_bulletin_says_so_when_nothing_happened(world):
    period = PeriodFactory(status=PeriodStatus.PUBLISHED)
    text = "\n".join(p.text for p in Document(io.BytesIO(documents.bulletin_docx(period))).paragraphs)
    assert "本期无奖惩决定。" in text and "本期调度会、推进会无缺席和迟到。" in text


def test_leader_of_an_invited_unit_sees_the_meeting_others_do_not(world):
    from chuangcheng.campaigns.meeting_models import Meeting

    m = meeting(world, units=[world["east"]], persons=[])
    assert Meeting.objects.visible_to(world["east_head"]).filter(pk=m.pk).exists()
    assert not Meeting.objects.visible_to(world["west_head"]).filter(pk=m.pk).exists()
    street = user_with_role(Role.UNIT_HANDLER, world["east_street"])
    assert not Meeting.objects.visible_to(street).filter(pk=m.pk).exists()


def test_a_district_office_runs_only_its_own_meetings(world):
    district_office = user_with_role(Role.OFFICE_STAFF, world["east"])
    city_meeting = meeting(world)
    with pytest.raises(NotPermitted):
        services.record_attendance(actor=district_office, meeting=city_meeting, entries=[], today=date(2026, 3, 10))
    with pytest.raises(NotPermitted):
        meeting(world, actor=district_office, unit=world["office"])
    own = meeting(world, actor=district_office, unit=world["east"], units=[world["east_street"]], persons=[])
    services.record_attendance(actor=district_office, meeting=own, entries=[], today=date(2026, 3, 10))
    assert own.attendees.count() == 1
