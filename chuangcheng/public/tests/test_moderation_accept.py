"""Accepting a citizen report in a fixed set of statements (issue 18): the report read once under lock and written
once with its case, points and the reporter's notices in one statement each, the audit row, the notices delivered
after commit in one transaction; and every rule kept (conflict when already moderated, 404 out of scope, the answer
the same as a fresh read, notices the sweep would have made)."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import CaseStatus, CaseTransition
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.public import casebridge
from chuangcheng.public.models import NoticeEvent, NoticeStatus, PointsEntry, Report, ReporterNotice, ReportStatus
from chuangcheng.public.services.feedback import award_points
from chuangcheng.public.services.notices import deliver_notices, sync_case_notices
from chuangcheng.public.services.reports import submit_report
from chuangcheng.public.tests.factories import photo_upload
from chuangcheng.public.tests.test_notices import Gateway, gateway  # noqa: F401  (the SMS stand-in, an autouse fixture)

pytestmark = pytest.mark.django_db

PHONE = "13800138000"
# One accept through the API, before the commit, on top of the case's intake (``cases.services.create_case``,
# guarded by ``cases/tests/test_intake_statements``): scope check, report and photos under lock, the report's
# UPDATE, points, the case's notice steps, the notices, the audit row, and the transaction's two ends. The same on
# both databases. Before this work: 34 (three after the answer was built: it re-read the case, its unit, the photos)
# and 12 after commit (one transaction per notice).
MODERATION_LIMIT = 10
DELIVERY_LIMIT = 4  # after commit: the notices under lock, one UPDATE per outcome (a gateway's: two), one audit INSERT


def reported(world, *, phone=PHONE, photos=1) -> Report:
    report, _ = submit_report(
        category=world["litter"],
        description="小区门口垃圾桶满溢，无人清理",
        lng=120.005,
        lat=30.005,
        photos=[photo_upload() for _ in range(photos)],
        phone=phone,
        client_address=f"10.1.0.{Report.objects.count()}",
    )
    return report


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def accept_url(report) -> str:
    return f"/api/v1/public/reports/{report.pk}/accept/"


@contextmanager
def intake_statements():
    """The statements each ``create_case`` runs inside the block (the part of an accept the cases app owns)."""
    counted = []
    create_case = casebridge.case_services.create_case

    def counting(**kwargs):
        before = len(connection.queries_log)
        try:
            return create_case(**kwargs)
        finally:
            counted.append(len(connection.queries_log) - before)

    with mock.patch.object(casebridge.case_services, "create_case", counting):
        yield counted


def test_one_accept_writes_every_row_in_fixed_statements(world, django_capture_on_commit_callbacks):
    client = api_client(world["staff"])
    assert client.post(accept_url(reported(world)), {}, format="json").status_code == 200  # counters, caches
    report = reported(world)
    with django_capture_on_commit_callbacks() as callbacks, intake_statements() as intake:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(accept_url(report), {"note": "情况属实"}, format="json")
    moderation = len(queries.captured_queries) - sum(intake)
    assert moderation <= MODERATION_LIMIT, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    assert response.status_code == 200
    report = Report.objects.select_related("case").get(pk=report.pk)
    assert report.status == ReportStatus.ACCEPTED and report.moderation_note == "情况属实"
    assert report.case.status == CaseStatus.DISPATCHED and report.case.external_ref == report.number
    assert report.case.photos.count() == 1
    assert PointsEntry.objects.get(report=report).points == 10
    notices = list(ReporterNotice.objects.filter(report=report).order_by("id"))
    assert [n.event for n in notices] == [NoticeEvent.ACCEPTED, NoticeEvent.DISPATCHED]
    assert {n.status for n in notices} == {NoticeStatus.PENDING}  # sent after commit, not before
    assert AuditEvent.objects.filter(verb="public.report_accepted", target_id=str(report.pk)).count() == 1
    with assert_max_queries(DELIVERY_LIMIT + 2):  # + the savepoint pair of the test's transaction
        for callback in callbacks:
            callback()
    assert [n.status for n in ReporterNotice.objects.filter(report=report).order_by("id")] == ["sent", "sent"]
    assert [phone for phone, _ in Gateway.sent[-2:]] == [PHONE, PHONE]


def test_accept_statements_do_not_grow_with_photos(world):
    """Each photo costs the case's intake its own rows (``cases.evidence``); moderation reads them in one query."""
    client = api_client(world["staff"])
    client.post(accept_url(reported(world)), {}, format="json")

    def statements(report) -> int:
        with intake_statements() as intake, CaptureQueriesContext(connection) as queries:
            assert client.post(accept_url(report), {}, format="json").status_code == 200
        return len(queries.captured_queries) - sum(intake)

    assert statements(reported(world, photos=3)) == statements(reported(world, photos=1)) == MODERATION_LIMIT


def test_the_answer_is_what_a_fresh_read_shows(world):
    """The answer is built from what the service holds in memory (no re-read): it must equal the detail."""
    report = reported(world, photos=2)
    client = api_client(world["staff"])
    answer = client.post(accept_url(report), {"public_description": "门口垃圾桶满溢"}, format="json").json()
    detail = client.get(f"/api/v1/public/reports/{report.pk}/").json()
    assert answer == detail
    assert answer["status"] == "accepted" and answer["public_state"] == "已派遣"
    assert answer["public_description"] == "门口垃圾桶满溢" and len(answer["photos"]) == 2


def test_acceptance_notices_are_the_ones_the_sweep_would_make(world):
    report = reported(world)
    api_client(world["staff"]).post(accept_url(report), {}, format="json")
    dispatch = CaseTransition.objects.get(case__citizen_report=report, action="dispatch")
    accepted, dispatched = ReporterNotice.objects.filter(report=report).order_by("id")
    assert accepted.key == f"{report.pk}:accepted" and "已受理" in accepted.message
    assert dispatched.key == f"{report.pk}:t{dispatch.pk}" and dispatched.transition_id == dispatch.pk
    assert "已派遣至东城区办理" in dispatched.message and report.number in dispatched.message
    assert sync_case_notices(report_ids=[report.pk]) == 0
    assert ReporterNotice.objects.filter(report=report).count() == 2


def test_no_mobile_number_no_points_no_notice(world):
    report = reported(world, phone="")
    assert api_client(world["staff"]).post(accept_url(report), {}, format="json").status_code == 200
    assert not PointsEntry.objects.exists() and not ReporterNotice.objects.exists()


def test_accepting_twice_conflicts_in_chinese_and_writes_nothing_more(world):
    report = reported(world)
    client = api_client(world["staff"])
    assert client.post(accept_url(report), {}, format="json").status_code == 200
    rows = (AuditEvent.objects.count(), ReporterNotice.objects.count(), PointsEntry.objects.count())
    response = client.post(accept_url(report), {}, format="json")
    assert response.status_code == 409
    assert "该随手拍已已受理，不能重复审核" in response.content.decode()
    assert (AuditEvent.objects.count(), ReporterNotice.objects.count(), PointsEntry.objects.count()) == rows


def test_accept_out_of_scope_is_404_and_without_the_right_403(world):
    report = reported(world)
    assert api_client(world["west_handler"]).post(accept_url(report), {}, format="json").status_code == 404
    assert api_client(world["nobody"]).post(accept_url(report), {}, format="json").status_code == 404
    assert api_client(world["east_handler"]).post(accept_url(report), {}, format="json").status_code == 403
    assert Report.objects.get(pk=report.pk).status == ReportStatus.PENDING


def test_points_once_per_report_and_capped_per_phone_per_day(world, settings):
    settings.PUBLIC_POINTS_PER_REPORT, settings.PUBLIC_POINTS_DAILY_CAP = 10, 25
    reports = [reported(world) for _ in range(4)]
    entries = [award_points(report=report) for report in reports]
    assert [(e.points, e.capped) for e in entries] == [(10, False), (10, False), (5, False), (0, True)]
    assert award_points(report=reports[0]) is None  # once per report
    stored = PointsEntry.objects.order_by("id").values_list("report_id", "points", "capped")
    assert list(stored) == [(r.pk, e.points, e.capped) for r, e in zip(reports, entries, strict=True)]
    assert all(entry.pk for entry in entries)


def test_deliver_notices_skips_delivered_and_audits_each(world, django_capture_on_commit_callbacks):
    report = reported(world)
    with mock.patch.object(Gateway, "send", side_effect=OSError("gateway down")):
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
            api_client(world["staff"]).post(accept_url(report), {}, format="json")
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "public_reporternotice"')]
    assert len(updates) == 1  # the same failure for both: one UPDATE
    ids = list(ReporterNotice.objects.order_by("id").values_list("pk", flat=True))
    assert list(ReporterNotice.objects.values_list("status", flat=True)) == ["failed", "failed"]
    assert {n.error for n in ReporterNotice.objects.all()} == {"gateway down"}
    delivered = deliver_notices(notice_ids=ids)
    assert [(n.status, n.attempts) for n in delivered] == [("sent", 2), ("sent", 2)]
    with assert_max_queries(3):  # already sent: read under lock (in the savepoint of the test), nothing written
        again = deliver_notices(notice_ids=ids)
    assert [n.attempts for n in again] == [2, 2] and len(Gateway.sent) == 2
    assert AuditEvent.objects.filter(verb="public.notice_sent").count() == 2
    assert AuditEvent.objects.filter(verb="public.notice_failed").count() == 2


def test_deliver_notices_task_answers_each_status(world):
    from chuangcheng.public.tasks import deliver_notices as task

    report = reported(world)
    api_client(world["staff"]).post(accept_url(report), {}, format="json")
    ids = list(ReporterNotice.objects.filter(report=report).order_by("id").values_list("pk", flat=True))
    assert task.apply(args=[ids]).get() == ["sent", "sent"]
    assert task.apply(args=[ids]).get() == ["sent", "sent"] and len(Gateway.sent) == 2  # never sent twice
