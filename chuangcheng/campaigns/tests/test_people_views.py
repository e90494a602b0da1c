"""Pages and API of 抄告单, meetings and the leader page: permission matrix, scoping, query guards."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.assessments.models import PeriodStatus, UnitScore
from chuangcheng.assessments.tests.factories import PeriodFactory
from chuangcheng.campaigns import services
from chuangcheng.campaigns.meeting_models import MeetingKind
from chuangcheng.campaigns.notice_models import NoticeStatus
from chuangcheng.campaigns.tests.conftest import client_for
from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.inspections.models import VisitStatus
from chuangcheng.inspections.tests.factories import FindingFactory, RoundFactory, VisitFactory
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import AreaFactory, SiteFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def page_client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def notice_for(world, unit=None, **extra):
    today = timezone.localdate()
    return services.issue_notice(
        actor=world["admin"],
        unit=unit or world["east"],
        title="关于背街小巷问题的抄告单",
        body="请整改。",
        warning_date=today,
        reply_due=today + timedelta(days=3),
        **extra,
    )


def a_meeting(world, units):
    return services.create_meeting(
        actor=world["admin"],
        kind=MeetingKind.PROGRESS,
        title="推进会",
        held_at=timezone.now() - timedelta(hours=2),
        agenda="议程",
        unit=world["office"],
        units=units,
    )


@pytest.mark.parametrize(
    "url", ["/campaigns/notices/{notice}/", "/campaigns/notices/{notice}/notice.docx", "/campaigns/meetings/{meeting}/"]
)
def test_pages_permission_matrix(world, url):
    objects = {"notice": notice_for(world), "meeting": a_meeting(world, [world["east"]])}
    assert_permission_matrix(
        page_client,
        url.format(**{name: obj.pk for name, obj in objects.items()}),
        in_scope=world["east_head"],
        out_of_scope=world["west_head"],
        no_role=user_with_role(Role.UNIT_HANDLER, UnitFactory(name="无关单位")),
    )


@pytest.mark.parametrize(
    "url", ["/api/v1/notices/{notice}/", "/api/v1/notices/{notice}/docx/", "/api/v1/meetings/{meeting}/"]
)
def test_api_permission_matrix(world, url):
    objects = {"notice": notice_for(world), "meeting": a_meeting(world, [world["east"]])}
    assert_permission_matrix(
        client_for,
        url.format(**{name: obj.pk for name, obj in objects.items()}),
        in_scope=world["east_head"],
        out_of_scope=world["west_head"],
        no_role=user_with_role(Role.UNIT_HANDLER, UnitFactory(name="无关单位")),
    )


def test_unit_cannot_issue_or_close_and_out_of_scope_write_is_404(world):
    notice = notice_for(world)
    assert page_client(world["east_head"]).get("/campaigns/notices/new/").status_code == 403
    response = client_for(world["east_head"]).post(
        "/api/v1/notices/",
        {"unit": world["east"].pk, "title": "x", "body": "y", "warning_date": "2026-03-01", "reply_due": "2026-03-02"},
    )
    assert response.status_code == 403
    assert client_for(world["west_head"]).post(f"/api/v1/notices/{notice.pk}/sign/").status_code == 404
    services.reply_notice(actor=world["east_head"], notice=notice, text="已整改")
    assert client_for(world["east_head"]).post(f"/api/v1/notices/{notice.pk}/close/").status_code == 403


def test_api_walks_issue_sign_reply_close(world):
    case = CaseFactory(lead_unit=world["east"], unit=world["east"])
    office, head = client_for(world["admin"]), client_for(world["east_head"])
    today = timezone.localdate()
    created = office.post(
        "/api/v1/notices/",
        {
            "unit": world["east"].pk,
            "principal": world["east_head"].pk,
            "title": "关于农贸市场的抄告单",
            "body": "请整改",
            "cases": [case.pk],
            "warning_date": str(today),
            "reply_due": str(today - timedelta(days=1)),
        },
        format="json",
    )
    assert created.status_code == 422 and "要求回复日期" in created.json()["detail"]
    created = office.post(
        "/api/v1/notices/",
        {
            "unit": world["east"].pk,
            "title": "关于农贸市场的抄告单",
            "body": "请整改",
            "cases": [case.pk],
            "warning_date": str(today),
            "reply_due": str(today + timedelta(days=2)),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["number"] == f"〔{today.year}〕第1号"
    assert head.post(f"/api/v1/notices/{pk}/sign/").json()["status"] == NoticeStatus.SIGNED
    attachment = io.BytesIO(PDF)
    attachment.name = "报告.pdf"
    replied = head.post(
        f"/api/v1/notices/{pk}/reply/", {"text": "已整改完毕", "attachment": attachment}, format="multipart"
    )
    assert replied.status_code == 200 and replied.json()["has_reply_file"]
    closed = office.post(f"/api/v1/notices/{pk}/close/", {"note": "同意办结"}, format="json")
    assert closed.json()["status"] == NoticeStatus.CLOSED


def test_unit_signs_and_replies_on_the_page_office_closes(world):
    notice = notice_for(world)
    head = page_client(world["east_head"])
    page = head.get(f"/campaigns/notices/{notice.pk}/").content.decode()
    assert 'value="sign"' in page and 'value="reply"' in page and 'value="close"' not in page
    assert head.post(f"/campaigns/notices/{notice.pk}/action/", {"action": "sign"}).status_code == 302
    bad = io.BytesIO(b"MZ\x90\x00bin")
    bad.name = "a.pdf"
    response = head.post(
        f"/campaigns/notices/{notice.pk}/action/", {"action": "reply", "text": "已整改", "attachment": bad}
    )
    assert response.status_code == 400
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SIGNED
    good = io.BytesIO(PDF)
    good.name = "整改.pdf"
    head.post(f"/campaigns/notices/{notice.pk}/action/", {"action": "reply", "text": "已整改", "attachment": good})
    assert head.get(f"/campaigns/notices/{notice.pk}/reply-file/").status_code == 200
    assert page_client(world["west_head"]).get(f"/campaigns/notices/{notice.pk}/reply-file/").status_code == 404
    assert head.post(f"/campaigns/notices/{notice.pk}/action/", {"action": "close"}).status_code == 403
    page_client(world["admin"]).post(f"/campaigns/notices/{notice.pk}/action/", {"action": "close", "note": "好"})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED


def test_list_pages_and_endpoints_are_query_bounded_and_scoped(world):
    for _ in range(3):
        notice_for(world, unit=world["east"])
        notice_for(world, unit=world["west"])
        a_meeting(world, [world["east"], world["west"]])
    admin_page, head_page = page_client(world["admin"]), page_client(world["east_head"])
    admin_api = client_for(world["admin"])
    for url in ("/campaigns/notices/", "/campaigns/meetings/", "/campaigns/notices/?overdue=true"):
        admin_page.get(url)
        with assert_max_queries(14):
            assert admin_page.get(url).status_code == 200
    for url in ("/api/v1/notices/", "/api/v1/meetings/"):
        with assert_max_queries(12):
            assert admin_api.get(url).status_code == 200
    listed = client_for(world["east_head"]).get("/api/v1/notices/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["unit_name"] for row in rows} == {"东城区"}
    assert head_page.get("/campaigns/notices/").content.decode().count("西城区") == 0


def test_meeting_attendance_page_records_and_bulletin_section_lists(world):
    meeting = a_meeting(world, [world["east"], world["west"]])
    rows = {a.unit.name: a.pk for a in meeting.attendees.select_related("unit")}
    office = page_client(world["admin"])
    bad = office.post(
        f"/campaigns/meetings/{meeting.pk}/attendance/",
        {f"status-{rows['东城区']}": "leave", f"reason-{rows['东城区']}": "", f"status-{rows['西城区']}": "absent"},
    )
    assert bad.status_code == 400 and "东城区：请假须填写事由" in bad.content.decode()
    ok = office.post(
        f"/campaigns/meetings/{meeting.pk}/attendance/",
        {f"status-{rows['东城区']}": "present", f"status-{rows['西城区']}": "absent"},
    )
    assert ok.status_code == 302
    page = office.get(f"/campaigns/meetings/{meeting.pk}/").content.decode()
    assert "缺席：西城区" in page
    assert page_client(world["east_head"]).post(f"/campaigns/meetings/{meeting.pk}/attendance/", {}).status_code == 403


def test_leader_page_shows_problems_round_results_and_scores(world):
    leader = user_with_role(Role.LEADER, world["city"])
    area = AreaFactory(unit=world["east_street"], level=3)
    services.assign_leader(actor=world["admin"], leader=leader, area=area)
    services.assign_leader(actor=world["admin"], leader=leader, unit=world["east"])
    today = timezone.localdate()
    CaseFactory(
        lead_unit=world["east_street"],
        unit=world["east_street"],
        status=CaseStatus.RECTIFYING,
        deadline=today - timedelta(days=3),
        title="超期的垃圾堆放",
    )
    CaseFactory(
        lead_unit=world["east"],
        unit=world["east"],
        status=CaseStatus.DISPATCHED,
        deadline=today + timedelta(days=3),
        title="未超期的占道经营",
    )
    CaseFactory(lead_unit=world["east"], unit=world["east"], status=CaseStatus.CLOSED, title="已办结的问题")
    CaseFactory(lead_unit=world["west"], unit=world["west"], status=CaseStatus.RECTIFYING, title="西城的问题")
    site = SiteFactory(area=area, unit=world["east_street"], name="东城农贸市场")
    round_ = RoundFactory(unit=world["office"], name="十一月明查", period_end=date(2026, 11, 30))
    visit = VisitFactory(round=round_, site=site, status=VisitStatus.DONE)
    FindingFactory(visit=visit, points=Decimal("2"), count=2)
    period = PeriodFactory(status=PeriodStatus.PUBLISHED, name="2026年3月专项考核")
    UnitScore.objects.create(
        period=period,
        unit=world["east"],
        group="区县",
        rank=2,
        base=100,
        deductions=Decimal("4.5"),
        bonuses=0,
        group_size=3,
        total=Decimal("95.5"),
    )

    client = page_client(leader)
    client.get(f"/campaigns/leaders/{leader.pk}/")
    with assert_max_queries(30) as captured:
        page = client.get(f"/campaigns/leaders/{leader.pk}/").content.decode()
    baseline = len(captured.captured_queries)
    assert "超期的垃圾堆放" in page and "未超期的占道经营" in page
    assert "已办结的问题" not in page and "西城的问题" not in page
    assert "十一月明查" in page and "东城农贸市场" in page
    assert "2026年3月专项考核" in page and "95.5" in page
    for n in range(5):  # more problems, sites and visits: no more queries
        CaseFactory(lead_unit=world["east"], unit=world["east"], status=CaseStatus.RECTIFYING, title=f"更多{n}")
        more = VisitFactory(
            round=round_, site=SiteFactory(area=area, unit=world["east_street"]), status=VisitStatus.DONE
        )
        FindingFactory(visit=more)
    with assert_max_queries(baseline):
        client.get(f"/campaigns/leaders/{leader.pk}/")


def test_names_are_escaped_on_the_leader_notice_and_meeting_pages(world):
    evil = '<script>alert("x")</script>'
    leader = user_with_role(Role.LEADER, world["city"])
    services.assign_leader(actor=world["admin"], leader=leader, unit=world["east"])
    CaseFactory(lead_unit=world["east"], unit=world["east"], status=CaseStatus.RECTIFYING, title=evil)
    notice = services.issue_notice(
        actor=world["admin"],
        unit=world["east"],
        title=evil,
        body=evil,
        principal_name=evil[:50],
        warning_date=timezone.localdate(),
        reply_due=timezone.localdate(),
    )
    meeting = a_meeting(world, [world["east"]])
    services.add_meeting_decision(actor=world["admin"], meeting=meeting, content=evil)
    client = page_client(world["admin"])
    for url in (
        f"/campaigns/leaders/{leader.pk}/",
        f"/campaigns/notices/{notice.pk}/",
        "/campaigns/notices/",
        f"/campaigns/meetings/{meeting.pk}/",
    ):
        html = client.get(url).content.decode()
        assert evil not in html and "&lt;script&gt;" in html, url
