"""Residents hear about their report: notices on acceptance, dispatch and closure through the SMS
backend (mocked here: external I/O), and the full public timeline on the tracking page."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.public import sms
from chuangcheng.public.models import NoticeEvent, NoticeStatus, ReporterNotice
from chuangcheng.public.selectors import public_timeline
from chuangcheng.public.services.moderation import accept_report, reject_report
from chuangcheng.public.services.notices import deliver_notice, sync_case_notices
from chuangcheng.public.services.reports import submit_report
from chuangcheng.public.tests.factories import photo_upload

pytestmark = pytest.mark.django_db(transaction=True)  # notices are sent after commit

PHONE = "13800138000"


class Gateway:
    """Stands in for an SMS gateway (external I/O); records what it was asked to send."""

    sent: list = []

    name = "test-gateway"

    def send(self, *, phone, message):
        Gateway.sent.append((phone, message))
        return sms.SmsResult(delivered=True, provider_id=f"msg-{len(Gateway.sent)}")


@pytest.fixture(autouse=True)
def gateway(settings):
    Gateway.sent = []
    settings.PUBLIC_SMS_BACKEND = "chuangcheng.public.tests.test_notices.Gateway"
    return Gateway


def reported(world, phone=PHONE):
    report, code = submit_report(
        category=world["litter"],
        description="小区门口垃圾桶满溢",
        lng=120.005,
        lat=30.005,
        photos=[photo_upload()],
        phone=phone,
    )
    return report, code


def close(world, case):
    case = transition(case, Action.SIGN, actor=world["east_handler"])
    case = transition(case, Action.START, actor=world["east_handler"])
    evidence = [jpeg_upload(taken_at="2099:01:01 10:00:00", gps=(120.005, 30.005))]
    case = transition(case, Action.SUBMIT, actor=world["east_handler"], evidence=evidence)
    return transition(case, Action.VERIFY, actor=world["staff"])


def test_accept_dispatch_close_each_send_one_notice(world, gateway):
    report, _ = reported(world)
    report = accept_report(report=report, actor=world["staff"])
    assert report.case.status == CaseStatus.DISPATCHED  # routed to the district at once
    events = list(ReporterNotice.objects.order_by("id").values_list("event", "status"))
    assert events == [(NoticeEvent.ACCEPTED, NoticeStatus.SENT), (NoticeEvent.DISPATCHED, NoticeStatus.SENT)]
    assert [phone for phone, _ in gateway.sent] == [PHONE, PHONE]
    assert "已派遣至东城区" in gateway.sent[1][1] and report.number in gateway.sent[0][1]
    close(world, report.case)
    assert sync_case_notices() == 1
    assert sync_case_notices() == 0  # idempotent
    closed = ReporterNotice.objects.get(event=NoticeEvent.CLOSED)
    assert closed.status == NoticeStatus.SENT and closed.provider_id == "msg-3" and closed.sent_at
    assert "15天内" in closed.message and len(gateway.sent) == 3
    assert AuditEvent.objects.filter(verb="public.notice_sent").count() == 3


def test_default_backend_logs_and_never_claims_delivery(world, settings, caplog):
    settings.PUBLIC_SMS_BACKEND = ""
    report, _ = reported(world)
    with caplog.at_level("INFO", logger="chuangcheng.public.sms"):
        reject_report(report=report, actor=world["staff"], note="重复反映")
    notice = ReporterNotice.objects.get()
    assert (notice.event, notice.status, notice.backend, notice.sent_at) == ("rejected", "logged", "log", None)
    assert "138****8000" in caplog.text and PHONE not in caplog.text


def test_gateway_failure_is_recorded_and_retried_later(world, gateway):
    report, _ = reported(world)
    with mock.patch.object(Gateway, "send", side_effect=OSError("gateway down")):
        accept_report(report=report, actor=world["staff"])
    failed = ReporterNotice.objects.filter(status=NoticeStatus.FAILED)
    assert failed.count() == 2 and "gateway down" in failed.first().error
    notice = deliver_notice(notice_id=failed.first().pk)
    assert notice.status == NoticeStatus.SENT and notice.attempts == 2


def test_no_mobile_number_no_notice(world, gateway):
    report, _ = reported(world, phone="")
    accept_report(report=report, actor=world["staff"])
    assert not ReporterNotice.objects.exists() and gateway.sent == []


def test_sweep_command_and_window(world, gateway):
    report, _ = reported(world)
    report = accept_report(report=report, actor=world["staff"])
    close(world, report.case)
    ReporterNotice.objects.all().delete()
    assert sync_case_notices(since=timezone.now() + timedelta(minutes=1)) == 0
    call_command("notify_reporters", "--days", "1", verbosity=0)
    assert set(ReporterNotice.objects.values_list("event", flat=True)) == {"dispatched", "closed"}


def test_tracking_page_shows_the_full_public_timeline(world, gateway):
    report, code = reported(world)
    client = Client()
    page = client.post("/public/follow/", {"number": report.number, "code": code}, follow=True).content.decode()
    assert "市民提交" in page and "已派遣" not in page
    report = accept_report(report=report, actor=world["staff"])
    close(world, report.case)
    labels = [entry.label for entry in public_timeline(report)]
    assert labels == [
        "市民提交",
        "已受理",
        "已立案",
        "已派遣至责任单位",
        "责任单位已签收",
        "开始整改",
        "整改完成，等待核查",
        "核查通过，已办结",
    ]
    page = client.get("/public/follow/", {"number": report.number}).content.decode()
    assert "已派遣至责任单位（东城区）" in page and "核查通过，已办结" in page
    assert "对办结结果有异议" in page  # within the dispute window
    wrong = Client().post("/public/follow/", {"number": report.number, "code": "000000"})
    assert wrong.status_code == 404 and "已立案" not in wrong.content.decode()


def test_office_sees_notices_and_disputes_on_the_moderation_page(world, gateway):
    report, _ = reported(world)
    accept_report(report=report, actor=world["staff"])
    client = Client()
    client.force_login(world["staff"])
    page = client.get(f"/public/moderation/{report.pk}/").content.decode()
    assert 'id="notices"' in page and "已派遣" in page and "已发送" in page and 'id="disputes"' not in page
