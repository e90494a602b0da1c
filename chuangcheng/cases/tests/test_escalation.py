from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.services import escalate_overdue_cases
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.notifications.models import Delivery, Notification, Webhook

pytestmark = pytest.mark.django_db


def moment(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=9))


def test_remind_on_deadline_day_then_supervise_after_it(world):
    case = case_in_state(world, CaseStatus.RECTIFYING)
    report = escalate_overdue_cases(moment(case.deadline))
    assert report.reminded == [case.number] and report.supervised == []
    case.refresh_from_db()
    assert case.escalation_level == 1 and case.status == CaseStatus.RECTIFYING
    assert case.transitions.filter(action="remind", actor__isnull=True).exists()
    assert Notification.objects.filter(user=world.handler, case=case, title__contains="催办").exists()
    assert escalate_overdue_cases(moment(case.deadline)).reminded == []  # idempotent
    report = escalate_overdue_cases(moment(case.deadline + timedelta(days=1)))
    assert report.supervised == [case.number]
    case.refresh_from_db()
    assert case.escalation_level == 2
    assert Notification.objects.filter(user=world.office, case=case, title__contains="督办").exists()


def test_deferred_case_is_not_escalated(world):
    case = case_in_state(world, CaseStatus.DEFERRED)
    report = escalate_overdue_cases(moment(case.deadline + timedelta(days=30)))
    assert report.supervised == [] and report.reminded == []


def test_three_send_backs_escalate(world):
    case = case_in_state(world, CaseStatus.SUBMITTED)
    for n in range(3):
        case = transition(case, Action.SEND_BACK, actor=world.inspector, note=f"第{n + 1}次未通过")
        case = transition(case, Action.SUBMIT, actor=world.handler, evidence=[jpeg_upload(pattern=n + 1)])
    report = escalate_overdue_cases(moment(timezone.localdate()))
    assert case.number in report.escalated
    case.refresh_from_db()
    assert case.escalation_level == 3
    assert Notification.objects.filter(user=world.leader, case=case, title__contains="提级督办").exists()


def test_three_returns_escalate(world):
    case = case_in_state(world, CaseStatus.RETURNED)
    for unit in (world.market, world.urban):
        case = transition(case, Action.REROUTE, actor=world.office, lead_unit=unit, note="改派")
        handler = world.market_handler if unit == world.market else world.handler
        case = transition(case, Action.RETURN, actor=handler, note="不属于本单位")
    assert case.return_count == 3 and case.misroute_count == 2
    assert case.number in escalate_overdue_cases().escalated


def test_escalation_command_and_webhook_delivery(world, django_capture_on_commit_callbacks):
    Webhook.objects.create(
        unit=world.urban,
        name="城管群",
        kind="dingtalk",
        url="https://oapi.dingtalk.com/robot/send?access_token=x",
        secret="SEC1",
        kinds=["case_escalated"],
    )
    case = case_in_state(world, CaseStatus.RECTIFYING)
    type(case).objects.filter(pk=case.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    with mock.patch("chuangcheng.notifications.channels.post_json", return_value=(True, "{}")) as post:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("escalate_cases", verbosity=0)
    assert post.call_count == 1
    url, payload = post.call_args.args
    assert "timestamp=" in url and "sign=" in url
    assert payload["msgtype"] == "markdown" and "督办" in payload["markdown"]["title"]
    assert Delivery.objects.get(channel="webhook").status == "sent"
