"""Rebounds (反弹): detected for every source at the same site or nearby with the same problem, in single and
batch intake alike; marked or unmarked by the office with a reason (service, page, API); counted by assessments."""

import datetime
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangcheng.assessments.selectors import load_cases
from chuangcheng.assessments.tests.factories import PeriodFactory
from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases import services
from chuangcheng.cases.chain import verify_case_timelines
from chuangcheng.cases.models import Case, CaseSource, CaseStatus
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.cases.tests.test_api import client_for
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.standards.tests.factories import CheckItemFactory

pytestmark = pytest.mark.django_db

# world.site is at (120.005, 30.005); 0.0004 degrees of latitude is about 44 m, 0.0008 about 89 m.
NEAR = {"lng": 120.005, "lat": 30.0054}
FAR = {"lng": 120.005, "lat": 30.0058}


def report(world, **kwargs):
    fields = {"actor": world.grid, "source": CaseSource.CITIZEN, "title": "市场门口又有垃圾"} | kwargs
    return services.create_case(**fields)


@pytest.mark.parametrize("source", CaseSource.values)
def test_every_source_at_the_same_site_and_check_item_is_a_rebound(world, source):
    item = CheckItemFactory()
    closed = case_in_state(world, CaseStatus.CLOSED, check_item=item)
    case = report(world, source=source, site=world.site, check_item=item)
    assert case.is_rebound and case.rebound_of_id == closed.pk
    assert case.transitions.get(action="report").data["rebound_of"] == closed.number


def test_address_point_near_a_closed_case_of_the_same_category_is_a_rebound(world):
    """A citizen report with only a point and a category (no site, no check item), 44 m away."""
    closed = case_in_state(world, CaseStatus.CLOSED)
    case = report(world, category=world.category, **NEAR)
    assert case.is_rebound and case.rebound_of_id == closed.pk


def test_farther_than_the_radius_is_not_a_rebound(world):
    case_in_state(world, CaseStatus.CLOSED)
    assert not report(world, category=world.category, **FAR).is_rebound


def test_radius_is_a_setting(world, settings):
    settings.CASE_REBOUND_RADIUS_M = 120
    closed = case_in_state(world, CaseStatus.CLOSED)
    assert report(world, category=world.category, **FAR).rebound_of_id == closed.pk


def test_other_category_or_check_item_is_not_a_rebound(world):
    item, other_item = CheckItemFactory(), CheckItemFactory()
    case_in_state(world, CaseStatus.CLOSED, check_item=item)
    assert not report(world, category=world.alley, **NEAR).is_rebound
    assert not report(world, site=world.site, check_item=other_item).is_rebound


def test_without_problem_or_place_nothing_is_compared(world):
    case_in_state(world, CaseStatus.CLOSED)
    assert not report(world, **NEAR).is_rebound  # no category, no check item
    assert not report(world, category=world.category).is_rebound  # no site, no point


def test_open_or_long_closed_cases_are_not_origins(world, settings):
    case_in_state(world, CaseStatus.RECTIFYING)
    assert not report(world, category=world.category, **NEAR).is_rebound
    closed = case_in_state(world, CaseStatus.CLOSED)
    Case.objects.filter(pk=closed.pk).update(closed_at=timezone.now() - timedelta(days=31))
    assert not report(world, category=world.category, **NEAR).is_rebound
    settings.CASE_REBOUND_DAYS = 40
    assert report(world, category=world.category, **NEAR).rebound_of_id == closed.pk


def test_the_latest_closed_case_is_the_origin(world):
    older = case_in_state(world, CaseStatus.CLOSED)
    newer = case_in_state(world, CaseStatus.CLOSED, title="再次办结")
    Case.objects.filter(pk=older.pk).update(closed_at=timezone.now() - timedelta(days=3))
    assert report(world, category=world.category, **NEAR).rebound_of_id == newer.pk


def test_batch_intake_finds_the_same_origins_as_single_intake(world):
    item = CheckItemFactory()
    by_site = case_in_state(world, CaseStatus.CLOSED, check_item=item)
    items = [
        {"source": CaseSource.HOTLINE, "title": "热线：市场垃圾", "category": world.category, **NEAR},
        {"source": CaseSource.MEDIA, "title": "媒体：市场垃圾", "site": world.site, "check_item": item},
        {"source": CaseSource.CITIZEN, "title": "远处", "category": world.category, **FAR},
        {"source": CaseSource.CITIZEN, "title": "别的类别", "category": world.alley, **NEAR},
    ]
    singles = [services.create_case(actor=world.grid, **item) for item in items]
    batch = services.create_cases(actor=world.grid, items=items, auto_register=False)
    assert (
        [c.rebound_of_id for c in batch] == [c.rebound_of_id for c in singles] == [by_site.pk, by_site.pk, None, None]
    )
    assert [Case.objects.get(pk=c.pk).is_rebound for c in batch] == [True, True, False, False]


def test_office_marks_and_unmarks_with_a_reason(world):
    origin = case_in_state(world, CaseStatus.CLOSED, site=None, lng=121.0, lat=31.0)
    case = case_in_state(world, CaseStatus.DISPATCHED, site=None, lng=120.5, lat=30.5)
    assert not case.is_rebound
    marked = services.mark_rebound(actor=world.office, case=case, rebound=True, reason="同一处垃圾堆放", origin=origin)
    assert marked.is_rebound and marked.rebound_of_id == origin.pk and marked.version == case.version
    row = marked.transitions.order_by("id").last()
    assert (row.action, row.note, row.data["rebound_of"]) == ("mark_rebound", "同一处垃圾堆放", origin.number)
    assert AuditEvent.objects.filter(verb="cases.rebound_marked", target_id=str(case.pk)).exists()

    unmarked = services.mark_rebound(actor=world.office, case=marked, rebound=False, reason="经核实为新问题")
    assert not unmarked.is_rebound and unmarked.rebound_of_id is None
    row = unmarked.transitions.order_by("id").last()
    assert (row.action, row.data["previous_rebound_of"]) == ("unmark_rebound", origin.number)
    assert AuditEvent.objects.filter(verb="cases.rebound_unmarked", target_id=str(case.pk)).exists()
    assert verify_case_timelines() == []


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"rebound": True, "reason": "  "}, "reason"),
        ({"rebound": False, "reason": "本来就不是"}, "rebound"),
        ({"rebound": True, "reason": "自身", "origin": "self"}, "origin"),
    ],
)
def test_bad_marks_are_refused_and_change_nothing(world, kwargs, field):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    kwargs = dict(kwargs)
    if kwargs.get("origin") == "self":
        kwargs["origin"] = case
    with pytest.raises(DomainError) as exc:
        services.mark_rebound(actor=world.office, case=case, **kwargs)
    assert exc.value.field == field
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.is_rebound, fresh.version) == (False, case.version)


def test_only_the_office_marks(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    for user in (world.handler, world.inspector, world.leader, world.grid):
        with pytest.raises(NotPermitted):
            services.mark_rebound(actor=user, case=case, rebound=True, reason="理由")
    assert not Case.objects.get(pk=case.pk).is_rebound


def test_assessment_counts_follow_the_mark(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    day = timezone.localdate(case.registered_at)
    period = PeriodFactory(start=day.replace(day=1), end=day.replace(day=1) + datetime.timedelta(days=40))

    def counted():
        facts, _areas, _notes = load_cases(period)
        return {fact.id: fact.is_rebound for fact in facts}[case.pk]

    assert counted() is False
    services.mark_rebound(actor=world.office, case=case, rebound=True, reason="同一问题再次出现")
    assert counted() is True
    services.mark_rebound(actor=world.office, case=Case.objects.get(pk=case.pk), rebound=False, reason="误标")
    assert counted() is False


def test_detail_page_marks_with_a_case_number(client, world):
    origin = case_in_state(world, CaseStatus.CLOSED, site=None, lng=121.0, lat=31.0)
    case = case_in_state(world, CaseStatus.DISPATCHED, site=None, lng=120.5, lat=30.5)
    client.force_login(world.office)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "标记为反弹" in page and reverse("cases:rebound", args=[case.pk]) in page
    url = reverse("cases:rebound", args=[case.pk])
    response = client.post(url, {"rebound": "1", "origin": origin.number, "reason": "同一处", "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_rebound and case.rebound_of_id == origin.pk
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "取消反弹标记" in page and "标记为反弹" in page  # the timeline row names the action


def test_detail_page_refuses_a_missing_reason_or_unknown_number(client, world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    client.force_login(world.office)
    url = reverse("cases:rebound", args=[case.pk])
    response = client.post(url, {"rebound": "1", "reason": ""}, follow=True)
    assert "请填写标记或取消反弹的理由" in response.content.decode()
    response = client.post(url, {"rebound": "1", "reason": "理由", "origin": "WT1999-000001"}, follow=True)
    assert "未找到原问题案件编号“WT1999-000001”" in response.content.decode()
    assert not Case.objects.get(pk=case.pk).is_rebound


def test_detail_page_hides_and_refuses_marking_for_units(client, world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    client.force_login(world.handler)
    assert (
        reverse("cases:rebound", args=[case.pk])
        not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    response = client.post(reverse("cases:rebound", args=[case.pk]), {"rebound": "1", "reason": "理由"})
    assert response.status_code == 403
    assert not Case.objects.get(pk=case.pk).is_rebound


def test_api_rebound_action(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    url = f"/api/v1/cases/{case.pk}/rebound/"
    response = client_for(world.office).post(url, {"rebound": True, "reason": "同一问题"}, format="json")
    assert response.status_code == 200 and response.json()["is_rebound"] is True
    response = client_for(world.office).post(url, {"rebound": False, "reason": ""}, format="json")
    assert response.status_code in (400, 422) and "理由" in response.content.decode()
    response = client_for(world.handler).post(url, {"rebound": False, "reason": "误标"}, format="json")
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).is_rebound
