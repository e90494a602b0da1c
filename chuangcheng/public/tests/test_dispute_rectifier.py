"""A resident's dispute of a closure reopens the problem with the unit that rectified it (not the unit
that refused it, nor whatever the routing rules pick) and is counted as a rebound of the closed case."""

import pytest
from django.test import Client

from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.public.casebridge import rectifying_unit
from chuangcheng.public.models import Report
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.tests.test_notices import jpeg_upload, reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_by_west(world, settings):
    """East (the territorial unit the rules route to) refuses the case; the office reroutes it to west,
    which rectifies it; the office verifies and closes it."""
    settings.PUBLIC_SMS_BACKEND = ""
    report, code = reported(world)
    case = accept_report(report=report, actor=world["staff"]).case
    assert case.lead_unit == world["east"]
    case = transition(case, Action.RETURN, actor=world["east_handler"], note="不属于本单位职责")
    case = transition(case, Action.REROUTE, actor=world["staff"], note="改派西城区", lead_unit=world["west"])
    case = transition(case, Action.SIGN, actor=world["west_handler"])
    case = transition(case, Action.START, actor=world["west_handler"])
    evidence = [jpeg_upload(taken_at="2099:01:01 10:00:00", gps=(120.005, 30.005))]
    case = transition(case, Action.SUBMIT, actor=world["west_handler"], evidence=evidence)
    case = transition(case, Action.VERIFY, actor=world["staff"])
    assert case.status == CaseStatus.CLOSED
    return Report.objects.get(pk=report.pk), code, case


def test_dispute_goes_back_to_the_unit_that_rectified_and_counts_as_a_rebound(world, closed_by_west):
    report, code, old = closed_by_west
    assert rectifying_unit(old) == world["west"]
    client = Client()
    response = client.post(
        "/public/follow/dispute/", {"number": report.number, "code": code, "reason": "垃圾桶还是满的，没有人清运"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    new = report.case
    assert new.pk != old.pk
    assert new.status == CaseStatus.DISPATCHED and new.lead_unit == world["west"]  # not east, which refused it
    assert new.is_rebound and new.rebound_of_id == old.pk
    assert (new.lng, new.lat, new.area_id) == (report.lng, report.lat, old.area_id)
    page = client.get(response["Location"]).content.decode()
    assert "已派遣至责任单位（西城区）" in page


def test_dispute_of_a_case_without_a_point_stays_at_its_place(world, closed_by_west):
    report, code, old = closed_by_west
    Report.objects.filter(pk=report.pk).update(lng=None, lat=None)
    response = Client().post(
        "/public/follow/dispute/", {"number": report.number, "code": code, "reason": "问题仍然存在，没有整改"}
    )
    assert response.status_code == 302
    new = Report.objects.get(pk=report.pk).case
    assert (new.lng, new.lat) == (old.lng, old.lat) and new.lead_unit == world["west"] and new.is_rebound
