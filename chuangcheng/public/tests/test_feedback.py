"""Residents answer back: a rating of the closure (不满意 opens a 回访 task), praise of a unit, points for accepted
reports with a daily cap, and the closed problem's reply and after photos on the exposure board."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import Case, CasePhoto
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.core.testing import assert_permission_matrix
from chuangcheng.notifications.models import Notification
from chuangcheng.public.models import (
    CallbackStatus,
    CallbackTask,
    HandlingRating,
    PointsEntry,
    Praise,
    PraiseStatus,
)
from chuangcheng.public.ratelimit import RateLimited
from chuangcheng.public.services import feedback
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.tests.test_notices import close, reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def closed(world, settings):
    settings.PUBLIC_SMS_BACKEND = ""
    report, code = reported(world)
    report = accept_report(report=report, actor=world["staff"])
    case = close(world, report.case)
    report.refresh_from_db()
    return report, code, case


def following(report, code) -> Client:
    client = Client()
    assert client.post("/public/follow/", {"number": report.number, "code": code}).status_code == 302
    return client


def test_the_reporter_rates_a_closure_once_within_the_window(world, closed):
    report, code, case = closed
    client = following(report, code)
    page = client.get("/public/follow/", {"number": report.number}).content.decode()
    assert 'id="rating-form"' in page and code not in page
    done = client.post("/public/follow/rate/", {"number": report.number, "level": "satisfied"})
    assert done.status_code == 302 and "done=rated" in done["Location"]
    rating = HandlingRating.objects.get()
    assert (rating.case, rating.unit, rating.level) == (case, world["east"], "satisfied")
    assert not CallbackTask.objects.exists()
    assert AuditEvent.objects.filter(verb="public.handling_rated").count() == 1
    page = client.get(done["Location"]).content.decode()
    assert "感谢您的评价" in page and 'id="rating-form"' not in page and "满意" in page
    again = client.post("/public/follow/rate/", {"number": report.number, "level": "unsatisfied", "reason": "还是脏"})
    assert again.status_code == 409 and "已评价过" in again.content.decode()
    assert HandlingRating.objects.count() == 1


def test_unsatisfied_needs_a_reason_and_opens_a_callback_for_the_office(world, closed):
    report, code, _ = closed
    with pytest.raises(DomainError) as short:
        feedback.rate_handling(report=report, level="unsatisfied", reason="差", client_address="1.1.1.1")
    assert short.value.field == "reason" and not HandlingRating.objects.exists()
    with pytest.raises(DomainError) as bad:
        feedback.rate_handling(report=report, level="great", reason="", client_address="1.1.1.1")
    assert bad.value.field == "level"
    rating = feedback.rate_handling(
        report=report, level="unsatisfied", reason="垃圾桶旁边还有垃圾没清", client_address="1.1.1.1"
    )
    task = rating.callback
    assert task.status == CallbackStatus.OPEN and task.unit == world["east"]
    with pytest.raises(NotPermitted):
        feedback.complete_callback(task=task, actor=world["east_handler"], outcome="explained", note="已联系")
    with pytest.raises(DomainError) as no_note:
        feedback.complete_callback(task=task, actor=world["staff"], outcome="explained", note="")
    assert no_note.value.field == "note"
    with pytest.raises(DomainError) as no_outcome:
        feedback.complete_callback(task=task, actor=world["staff"], outcome="whatever", note="已联系群众")
    assert no_outcome.value.field == "outcome"
    done = feedback.complete_callback(
        task=task, actor=world["staff"], outcome="explained", note="已联系群众，已再次清运"
    )
    assert done.status == CallbackStatus.DONE and done.done_by == world["staff"]
    with pytest.raises(Conflict):
        feedback.complete_callback(task=task, actor=world["staff"], outcome="explained", note="再次登记")
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"public.handling_rated", "public.callback_opened", "public.callback_done"} <= verbs


def test_ratings_are_refused_after_the_window_and_before_closure(world, closed, settings):
    report, _, case = closed
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=16))
    report.refresh_from_db()
    assert feedback.rating_deadline(report) is None
    with pytest.raises(DomainError) as late:
        feedback.rate_handling(report=report, level="satisfied", reason="", client_address="1.1.1.1")
    assert "已超过15天" in late.value.message
    settings.PUBLIC_RATING_DAYS = 30
    assert feedback.rating_deadline(report) is not None
    fresh, _ = reported(world)
    fresh = accept_report(report=fresh, actor=world["staff"])
    with pytest.raises(Conflict):
        feedback.rate_handling(report=fresh, level="satisfied", reason="", client_address="1.1.1.1")
    assert HandlingRating.objects.count() == 0


def test_a_stranger_cannot_rate_without_the_code(world, closed):
    report, _, _ = closed
    stranger = Client().post("/public/follow/rate/", {"number": report.number, "code": "000000", "level": "satisfied"})
    assert stranger.status_code == 302 and not HandlingRating.objects.exists()


def test_rating_is_rate_limited_per_address(world, closed, settings):
    report, _, _ = closed
    settings.PUBLIC_RATE_LIMITS = {"rate:addr": (0, 3600)}
    with pytest.raises(RateLimited):
        feedback.rate_handling(report=report, level="satisfied", reason="", client_address="1.1.1.1")


def test_callback_pages_and_api_follow_roles_and_scope(world, closed, client_for):
    report, _, _ = closed
    rating = feedback.rate_handling(report=report, level="unsatisfied", reason="问题还在，没有处理", client_address="1")
    task = rating.callback
    page = client_for(world["staff"]).get("/public/callbacks/")
    assert page.status_code == 200 and report.number in page.content.decode()
    assert client_for(world["east_handler"]).get("/public/callbacks/").status_code == 403
    assert_permission_matrix(
        client_for,
        f"/api/v1/public/callbacks/{task.pk}/",
        in_scope=world["east_handler"],
        out_of_scope=world["west_handler"],
        no_role=world["nobody"],
    )
    refused = client_for(world["east_handler"]).post(
        f"/api/v1/public/callbacks/{task.pk}/complete/", {"outcome": "explained", "note": "已联系"}
    )
    assert refused.status_code == 403
    done = client_for(world["staff"]).post(
        f"/public/callbacks/{task.pk}/done/", {"outcome": "unreachable", "note": "电话无人接听"}
    )
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == CallbackStatus.DONE and task.outcome == "unreachable"


def test_praise_is_checked_forwarded_and_notifies_the_unit(world, closed, client_for):
    report, _, _ = closed
    form = Client().get("/public/praise/", {"number": report.number})
    assert form.status_code == 200 and "东城区" in form.content.decode()
    bad = Client().post("/public/praise/", {"unit": "999999", "message": "很好很好很好"})
    assert bad.status_code == 400 and "有效的选项" in bad.content.decode() and not Praise.objects.exists()
    short = Client().post("/public/praise/", {"unit": world["east"].pk, "message": "好"})
    assert short.status_code == 422 and not Praise.objects.exists()
    markup = '<img src=x onerror="alert(1)">'
    sent = Client().post(
        "/public/praise/",
        {"unit": world["east"].pk, "worker": markup, "message": "清运很及时，谢谢！", "report_number": report.number},
    )
    assert sent.status_code == 200 and "提交成功" in sent.content.decode()
    praise = Praise.objects.get()
    assert praise.report == report and praise.status == PraiseStatus.NEW
    page = client_for(world["staff"]).get("/public/callbacks/").content.decode()
    assert markup not in page and "&lt;img" in page
    handled = client_for(world["staff"]).post(f"/public/praises/{praise.pk}/handle/", {"status": "forwarded"})
    assert handled.status_code == 302
    praise.refresh_from_db()
    assert praise.status == PraiseStatus.FORWARDED
    assert Notification.objects.filter(user=world["east_handler"], title__contains="市民表扬").exists()
    with pytest.raises(Conflict):
        feedback.handle_praise(praise=praise, actor=world["staff"], status="dismissed")
    assert AuditEvent.objects.filter(verb__in=["public.praise_submitted", "public.praise_handled"]).count() == 2


def test_points_for_accepted_reports_stop_at_the_daily_cap(world, settings):
    settings.PUBLIC_SMS_BACKEND = ""
    earned = []
    for _ in range(4):
        report, _ = reported(world)
        accept_report(report=report, actor=world["staff"])
        earned.append(PointsEntry.objects.get(report=report).points)
    assert earned == [10, 10, 10, 0]
    assert PointsEntry.objects.filter(capped=True).count() == 1
    anonymous, _ = reported(world, phone="")
    accept_report(report=anonymous, actor=world["staff"])
    assert not PointsEntry.objects.filter(report=anonymous).exists()
    summary = feedback.points_summary(report)
    assert summary == {"points": 0, "capped": True, "total": 30, "cash_value": ""}


def test_tracking_page_shows_points_without_cash_value_unless_the_city_sets_one(world, closed, settings):
    report, code, _ = closed
    page = following(report, code).get("/public/follow/", {"number": report.number}).content.decode()
    assert "获得 <strong>10</strong> 分" in page and "无现金价值" in page
    settings.PUBLIC_POINTS_CASH_VALUE = "每100分兑换公交卡充值10元"
    page = following(report, code).get("/public/follow/", {"number": report.number}).content.decode()
    assert "每100分兑换公交卡充值10元" in page and "无现金价值" not in page


def test_board_shows_the_reply_and_after_photo_once_closed(world, closed):
    report, _, case = closed
    page = Client().get(f"/public/board/{report.number}/").content.decode()
    after = CasePhoto.objects.filter(case=case, kind="evidence").first()
    assert after is not None and 'id="closure"' in page
    assert f"/public/after-photo/{after.pk}/" in page
    image = Client().get(f"/public/after-photo/{after.pk}/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    before = CasePhoto.objects.filter(case=case, kind="before").first()
    assert Client().get(f"/public/after-photo/{before.pk}/").status_code == 404


def test_open_problems_show_no_closure(world, settings):
    settings.PUBLIC_SMS_BACKEND = ""
    report, _ = reported(world)
    report = accept_report(report=report, actor=world["staff"])
    page = Client().get(f"/public/board/{report.number}/").content.decode()
    assert 'id="closure"' not in page


def _answered(world, index: int):
    """One more closed report, rated 不满意 (a callback) and praised."""
    report, _ = reported(world, phone=f"1390000{index:04d}")
    report = accept_report(report=report, actor=world["staff"])
    close(world, report.case)
    report.refresh_from_db()
    feedback.rate_handling(report=report, level="unsatisfied", reason="问题没有解决好", client_address=f"r{index}")
    feedback.submit_praise(
        unit_id=world["east"].pk, worker="", message="处理很及时，谢谢", name="", client_address=f"p{index}"
    )


def test_callback_page_and_lists_do_not_grow_per_row(world, settings, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_SMS_BACKEND = ""
    staff = client_for(world["staff"])
    urls = ("/public/callbacks/", "/api/v1/public/callbacks/", "/api/v1/public/ratings/", "/api/v1/public/praises/")

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as context:
                assert staff.get(url).status_code == 200
            result.append(len(context.captured_queries))
        return result

    _answered(world, 1)
    staff.get(urls[0])  # warm the session and the user's scope
    few = counts()
    for index in range(2, 5):
        _answered(world, index)
    assert counts() == few and max(few) <= 12, few
