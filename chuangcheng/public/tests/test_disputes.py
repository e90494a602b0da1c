"""A resident disputes a closure from the tracking page: within the window, limited, audited; the problem
goes back into the case workflow as a new case that the report then follows."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import Case, CaseSource, CaseStatus
from chuangcheng.core.errors import Conflict, DomainError
from chuangcheng.public.models import NoticeEvent, ReportDispute, ReporterNotice
from chuangcheng.public.ratelimit import RateLimited
from chuangcheng.public.selectors import public_timeline
from chuangcheng.public.services.disputes import dispute_closure, dispute_deadline
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.tests.test_notices import close, reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world, settings):
    settings.PUBLIC_SMS_BACKEND = ""  # the logging backend
    report, code = reported(world)
    report = accept_report(report=report, actor=world["staff"])
    case = close(world, report.case)
    report.refresh_from_db()
    return report, code, case


def follow(client, report, code):
    response = client.post("/public/follow/", {"number": report.number, "code": code}, follow=True)
    assert "code=" not in "".join(url for url, _ in response.redirect_chain)
    return response.content.decode()


def test_dispute_opens_a_follow_up_case_through_the_workflow(world, closed):
    report, code, old = closed
    assert old.status == CaseStatus.CLOSED and dispute_deadline(report) is not None
    dispute = dispute_closure(report=report, reason="垃圾桶还是满的，没有人清运", client_address="1.2.3.4")
    report.refresh_from_db()
    new = report.case
    assert new.pk != old.pk and dispute.previous_case == old and dispute.new_case == new
    assert new.source == CaseSource.CITIZEN and new.external_ref == f"{report.number}-异议1"
    assert new.status == CaseStatus.DISPATCHED and new.lead_unit == world["east"]
    assert old.number in new.description and "没有人清运" in new.description
    assert new.photos.count() == 1
    assert Case.objects.get(pk=old.pk).status == CaseStatus.CLOSED  # the closure itself stays on record
    event = AuditEvent.objects.get(verb="public.closure_disputed")
    assert event.changes["case"] == [old.number, new.number]
    assert set(ReporterNotice.objects.filter(event__in=("reopened", "dispatched")).values_list("event", flat=True)) == {
        NoticeEvent.REOPENED,
        NoticeEvent.DISPATCHED,
    }
    labels = [entry.label for entry in public_timeline(report)]
    assert labels[-3:] == ["市民对办结结果提出异议，问题重新办理", "已立案", "已派遣至责任单位"]
    assert "核查通过，已办结" in labels  # the earlier closure stays in the timeline


def test_dispute_rules_change_nothing_when_refused(world, closed, settings):
    report, code, old = closed
    settings.PUBLIC_RATE_LIMITS = {"dispute:report": (10, 86400)}
    with pytest.raises(DomainError) as error:
        dispute_closure(report=report, reason="还在", client_address="1.2.3.4")
    assert error.value.field == "reason"
    settings.PUBLIC_DISPUTE_DAYS = 0
    Case.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=1))
    report.refresh_from_db()
    assert dispute_deadline(report) is None
    with pytest.raises(DomainError) as error:
        dispute_closure(report=report, reason="问题仍然存在，请再处理", client_address="1.2.3.4")
    assert "超过0天" in error.value.message
    assert not ReportDispute.objects.exists() and Case.objects.count() == 1
    settings.PUBLIC_DISPUTE_DAYS = 15
    settings.PUBLIC_DISPUTE_MAX = 1
    dispute_closure(report=report, reason="问题仍然存在，请再处理", client_address="1.2.3.4")
    report.refresh_from_db()
    with pytest.raises(Conflict):  # the new case is not closed
        dispute_closure(report=report, reason="问题仍然存在，请再处理", client_address="1.2.3.5")
    close(world, report.case)
    report.refresh_from_db()
    assert dispute_deadline(report) is None
    with pytest.raises(DomainError) as error:
        dispute_closure(report=report, reason="问题仍然存在，请再处理", client_address="1.2.3.6")
    assert "最多可提出1次" in error.value.message


def test_dispute_is_rate_limited_per_address(world, closed, settings):
    report, code, old = closed
    settings.PUBLIC_RATE_LIMITS = {"dispute:addr": (1, 3600)}
    with pytest.raises(DomainError):  # a refused attempt still counts
        dispute_closure(report=report, reason="问题仍然存在，请再处理", client_address="9.9.9.9")
        dispute_closure(report=report, reason="问题仍然存在，请再处理", client_address="9.9.9.9")
    with pytest.raises(RateLimited):
        dispute_closure(report=report, reason="问题仍然存在，请再处理", client_address="9.9.9.9")


def test_tracking_page_dispute_form(world, closed):
    report, code, old = closed
    client = Client()
    page = follow(client, report, code)
    assert 'id="dispute-form"' in page
    stranger = Client().post(
        "/public/follow/dispute/", {"number": report.number, "code": "000000", "reason": "仍然存在问题"}
    )
    assert stranger.status_code == 302 and "code" not in stranger["Location"]
    assert not ReportDispute.objects.exists()
    short = client.post("/public/follow/dispute/", {"number": report.number, "reason": "在"})
    assert short.status_code == 422 and "至少5个字" in short.content.decode()
    assert not ReportDispute.objects.exists()
    done = client.post("/public/follow/dispute/", {"number": report.number, "reason": "垃圾桶还是满的，没有清运"})
    assert done.status_code == 302 and "done=disputed" in done["Location"] and code not in done["Location"]
    page = client.get(done["Location"]).content.decode()
    assert "您的异议已提交" in page and "问题重新办理" in page and 'id="dispute-form"' not in page
    assert client.get("/public/follow/dispute/").status_code == 405


def test_dispute_of_a_case_at_a_known_site_is_linked_as_a_rebound(world, closed):
    from chuangcheng.places.tests.factories import SiteFactory
    from chuangcheng.standards.tests.factories import CheckItemFactory

    report, _code, old = closed
    site = SiteFactory(category=old.category, area=old.area, unit=world["east"])
    item = CheckItemFactory(title="垃圾桶满溢", site_categories=[old.category] if old.category else [])
    Case.objects.filter(pk=old.pk).update(site=site, check_item=item)
    dispute_closure(report=report, reason="垃圾桶还是满的，没有人清运", client_address="1.2.3.5")
    report.refresh_from_db()
    new = report.case
    assert new.site == site and new.check_item == item
    assert new.is_rebound and new.rebound_of_id == old.pk
