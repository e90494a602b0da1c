"""抄告单: numbering, every rule and state of issue → sign → reply → close, the escalation job, the docx."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.audit.models import AuditEvent
from chuangcheng.campaigns import services
from chuangcheng.campaigns.notice_documents import notice_docx
from chuangcheng.campaigns.notice_models import NoticeEvent, NoticeStatus
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.notifications.models import Notification

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(data: bytes, name: str):
    buffer = io.BytesIO(data)
    buffer.name = name
    buffer.size = len(data)
    return buffer


def issue(world, **overrides):
    today = timezone.localdate()
    data = {
        "actor": world["admin"],
        "unit": world["east"],
        "title": "关于东城区农贸市场环境卫生问题的抄告单",
        "body": "经暗访发现，东城区农贸市场环境卫生问题突出。\n请立即组织整改。",
        "warning_date": today,
        "reply_due": today + timedelta(days=5),
        "principal": world["east_head"],
    } | overrides
    return services.issue_notice(**data)


def test_issue_numbers_per_year_and_notifies_the_unit(world):
    first = issue(world)
    second = issue(world, unit=world["west"])
    older = issue(world, warning_date=date(2025, 12, 30), reply_due=date(2026, 1, 5))
    assert (first.number, second.number) == (f"〔{first.year}〕第1号", f"〔{first.year}〕第2号")
    assert older.number == "〔2025〕第1号"
    assert first.status == NoticeStatus.ISSUED and first.addressee == f"东城区（{world['east_head'].display_name}）"
    assert Notification.objects.filter(user=world["east_head"], title__contains=first.number).exists()
    assert AuditEvent.objects.filter(verb="campaigns.notice_issued").count() == 3


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"body": ""}, "body"),
        ({"reply_due": date(2020, 1, 1)}, "reply_due"),
    ],
)
def test_issue_refuses_bad_input_and_changes_nothing(world, overrides, field):
    with pytest.raises(DomainError) as error:
        issue(world, **overrides)
    assert error.value.field == field
    assert not NoticeEvent.objects.exists()


def test_issue_refuses_cases_of_another_unit_and_non_office(world):
    foreign = CaseFactory(lead_unit=world["west"], unit=world["west"])
    own = CaseFactory(lead_unit=world["east_street"], unit=world["east_street"])
    with pytest.raises(DomainError) as error:
        issue(world, cases=[own, foreign])
    assert error.value.field == "cases" and foreign.number in error.value.message
    assert list(issue(world, cases=[own]).cases.all()) == [own]
    with pytest.raises(NotPermitted):
        issue(world, actor=world["east_head"])


def test_sign_reply_close_walks_every_state(world):
    notice = issue(world)
    with pytest.raises(NotPermitted):
        services.sign_notice(actor=world["west_head"], notice=notice)
    with pytest.raises(NotPermitted):
        services.sign_notice(actor=world["admin"], notice=notice)
    with pytest.raises(Conflict):
        services.close_notice(actor=world["admin"], notice=notice)
    notice = services.sign_notice(actor=world["east_head"], notice=notice)
    assert notice.status == NoticeStatus.SIGNED and notice.signed_by == world["east_head"]
    with pytest.raises(Conflict):
        services.sign_notice(actor=world["east_head"], notice=notice)
    with pytest.raises(DomainError) as error:
        services.reply_notice(actor=world["east_head"], notice=notice, text="  ")
    assert error.value.field == "text"
    with pytest.raises(DomainError) as error:
        services.reply_notice(
            actor=world["east_head"], notice=notice, text="已整改", attachment=upload(b"MZ\x90\x00bin", "a.pdf")
        )
    assert error.value.field == "attachment"
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SIGNED and not notice.reply_text
    notice = services.reply_notice(
        actor=world["east_head"], notice=notice, text="已完成整改。", attachment=upload(PDF, "整改报告.pdf")
    )
    assert notice.status == NoticeStatus.REPLIED and notice.reply_file_kind == "pdf"
    assert notice.reply_file_name == "整改报告.pdf"
    assert Notification.objects.filter(user=world["admin"], title__contains="已回复").exists()
    with pytest.raises(Conflict):
        services.reply_notice(actor=world["east_head"], notice=notice, text="再次回复")
    with pytest.raises(NotPermitted):
        services.close_notice(actor=world["east_head"], notice=notice)
    notice = services.close_notice(actor=world["admin"], notice=notice, note="整改到位")
    assert notice.status == NoticeStatus.CLOSED and notice.close_note == "整改到位"
    kinds = list(notice.events.values_list("kind", flat=True))
    assert kinds == ["issued", "signed", "replied", "closed"]
    verbs = set(AuditEvent.objects.filter(verb__startswith="campaigns.notice_").values_list("verb", flat=True))
    assert verbs == {f"campaigns.notice_{v}" for v in ("issued", "signed", "replied", "closed")}


def test_reply_without_signing_signs_too_and_a_unit_above_may_answer(world):
    notice = issue(world, unit=world["east_street"], principal=None, principal_name="李四")
    street_handler = user_with_role(Role.UNIT_HANDLER, world["east_street"])
    notice = services.reply_notice(actor=street_handler, notice=notice, text="已整改")
    assert notice.signed_by == street_handler and notice.status == NoticeStatus.REPLIED
    other = issue(world, unit=world["east_street"])
    assert services.sign_notice(actor=world["east_head"], notice=other).status == NoticeStatus.SIGNED


def test_escalation_job_is_idempotent_and_tells_heads_principal_and_leader(world, official_calendar):
    leader = user_with_role(Role.LEADER, world["city"])
    services.assign_leader(actor=world["admin"], leader=leader, unit=world["east"])
    west_leader = user_with_role(Role.LEADER, world["city"])
    services.assign_leader(actor=world["admin"], leader=west_leader, unit=world["west"])
    late = issue(world, warning_date=date(2026, 3, 2), reply_due=date(2026, 3, 6))
    answered = issue(world, warning_date=date(2026, 3, 2), reply_due=date(2026, 3, 6))
    services.reply_notice(actor=world["east_head"], notice=answered, text="已整改")
    on_time = issue(world, warning_date=date(2026, 3, 2), reply_due=date(2026, 3, 20))

    escalated = services.escalate_overdue_notices(today=date(2026, 3, 10))
    assert [n.pk for n in escalated] == [late.pk]
    late.refresh_from_db()
    assert late.escalation_level == 1
    assert services.escalate_overdue_notices(today=date(2026, 3, 10)) == []
    told = set(Notification.objects.filter(title__startswith="抄告单超期督办").values_list("user_id", flat=True))
    assert told == {world["east_head"].pk, leader.pk}
    assert late.events.filter(kind="escalated").count() == 1
    on_time.refresh_from_db()
    assert on_time.escalation_level == 0

    call_command("escalate_overdue_notices", "--today", "2026-03-20", stdout=io.StringIO())
    late.refresh_from_db()
    assert late.escalation_level == 3
    assert AuditEvent.objects.filter(verb="campaigns.notice_escalated").count() == 2


def test_escalation_task_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["campaigns.escalate_overdue_notices"]
    assert entry["task"] == "campaigns.escalate_overdue_notices"


def test_notice_docx_has_the_official_layout(world):
    case = CaseFactory(lead_unit=world["east"], unit=world["east"], title="农贸市场地面污水横流")
    notice = issue(world, cases=[case], warning_date=date(2026, 3, 2), reply_due=date(2026, 3, 9))
    doc = Document(io.BytesIO(notice_docx(notice)))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == notice.issuer
    assert texts[1] == "抄告单 〔2026〕第1号"
    assert texts[2] == notice.title
    assert texts[3] == f"东城区（{world['east_head'].display_name}）："
    body = "\n".join(texts)
    assert "经暗访发现" in body and case.number in body and "农贸市场地面污水横流" in body
    assert "预警日期：2026年3月2日" in body and "2026年3月9日前" in body
    assert str(doc.paragraphs[0].runs[0].font.color.rgb) == "E60012"
    assert texts[-1] == f"{timezone.localdate().year}年{timezone.localdate().month}月{timezone.localdate().day}日"


def test_a_district_office_issues_and_closes_only_inside_its_jurisdiction(world):
    district_office = user_with_role(Role.OFFICE_STAFF, world["east"])
    notice = issue(world, actor=district_office, unit=world["east_street"], principal=None)
    assert notice.issued_by == district_office
    with pytest.raises(NotPermitted):
        issue(world, actor=district_office, unit=world["west"])
    city_notice = issue(world, unit=world["west"])
    services.reply_notice(actor=world["west_head"], notice=city_notice, text="已整改")
    with pytest.raises(NotPermitted):
        services.close_notice(actor=district_office, notice=city_notice)
    assert services.close_notice(actor=world["admin"], notice=city_notice).status == NoticeStatus.CLOSED
