"""Pages: permission matrix (anonymous, no role, out of scope → 404, in scope), query guards on every list,
and the page actions (register, import, export, review, warning, check with photo, case)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.civility.models import CivilizedUnit, PublicityCheck
from chuangcheng.civility.services.imports import IMPORT_COLUMNS
from chuangcheng.civility.tests.conftest import page_for
from chuangcheng.civility.tests.factories import (
    CivilizedUnitFactory,
    PublicityCheckFactory,
    PublicitySiteFactory,
    RatingFactory,
    RatingPeriodFactory,
    ReviewFactory,
    WindowUnitFactory,
)
from chuangcheng.core.tabular import write_xlsx
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.dossiers.demo_files import pdf_bytes

pytestmark = pytest.mark.django_db


def matrix(world, url):
    assert_permission_matrix(
        page_for, url, in_scope=world["east_head"], out_of_scope=world["west_head"], no_role=world["nobody"]
    )


def test_detail_pages_answer_404_out_of_scope(world):
    honour = CivilizedUnitFactory(unit=world["east"])
    review = ReviewFactory(civilized_unit=honour)
    from chuangcheng.civility.models import ReviewEvidence

    evidence = ReviewEvidence.objects.create(
        review=review, file=SimpleUploadedFile("a.pdf", pdf_bytes("a", ["b"])), kind="pdf", original_name="a.pdf",
        sha256="0" * 64, size=10,
    )  # fmt: skip
    window = WindowUnitFactory(unit=world["east"])
    site = PublicitySiteFactory(unit=world["east_street"])
    check = PublicityCheckFactory(site=site, photo=jpeg_upload())
    for url in (
        reverse("civility:unit_detail", args=[honour.pk]),
        reverse("civility:evidence_file", args=[evidence.pk]),
        reverse("civility:window_detail", args=[window.pk]),
        reverse("civility:point_detail", args=[site.pk]),
        reverse("civility:check_photo", args=[check.pk]),
    ):
        matrix(world, url)


def test_list_pages_are_for_role_holders_only(world):
    for name in ("unit_list", "window_list", "ranking", "point_list", "point_map"):
        url = reverse(f"civility:{name}")
        assert page_for(None).get(url).status_code == 302
        assert page_for(world["nobody"]).get(url).status_code == 403
        assert page_for(world["east_head"]).get(url).status_code == 200


def test_every_list_page_runs_a_fixed_number_of_queries(world):
    """Twelve rows each; the same counts hold for one row (session, user, scope, page, then the rows)."""
    period = RatingPeriodFactory()
    for n in range(12):
        honour = CivilizedUnitFactory(unit=world["east"], org_unit=world["east_street"] if n % 2 else None)
        ReviewFactory(civilized_unit=honour)
        window = WindowUnitFactory(unit=world["east"])
        RatingFactory(window_unit=window, period=period, score=80 + n)
        site = PublicitySiteFactory(unit=world["east_street"])
        PublicityCheckFactory(site=site, state="damaged")
    client = page_for(world["admin"])
    for name, args, limit in (
        ("unit_list", [], 6),
        ("unit_export", [], 5),
        ("window_list", [], 8),
        ("ranking_period", [period.pk], 7),
        ("point_list", [], 6),
        ("point_map", [], 6),
    ):
        with assert_max_queries(limit):
            response = client.get(reverse(f"civility:{name}", args=args))
        assert response.status_code == 200, name


def test_office_registers_then_warns_on_the_page(world):
    client = page_for(world["admin"])
    response = client.post(
        reverse("civility:unit_create"),
        {"name": "某银行分行", "unit": world["east"].pk, "level": "municipal", "year_awarded": 2022},
    )
    honour = CivilizedUnit.objects.get(name="某银行分行")
    assert response.status_code == 302 and response.url == reverse("civility:unit_detail", args=[honour.pk])
    action = reverse("civility:unit_action", args=[honour.pk])
    response = client.post(action, {"action": "warn", "reason": "门前脏乱"})
    assert response.status_code == 400 and "请填写整改期限" in response.content.decode()
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert client.post(action, {"action": "warn", "reason": "门前脏乱", "deadline": deadline}).status_code == 302
    page = client.get(reverse("civility:unit_detail", args=[honour.pk])).content.decode()
    assert "警示" in page and deadline in page and 'value="lift"' in page
    response = client.post(action, {"action": "warn", "reason": "再次", "deadline": deadline})
    assert response.status_code == 400 and "不能黄牌警示" in response.content.decode()


def test_review_on_the_page_with_a_file_and_the_unit_head_is_refused(world):
    honour = CivilizedUnitFactory(unit=world["east"], year_awarded=2020)
    action = reverse("civility:unit_action", args=[honour.pk])
    file = SimpleUploadedFile("复查.pdf", pdf_bytes("复查", ["x"]), content_type="application/pdf")
    data = {"action": "review", "year": 2025, "result": "passed", "reviewed_on": "2025-12-01", "files": [file]}
    assert page_for(world["admin"]).post(action, data).status_code == 302
    assert honour.reviews.get().evidence.count() == 1
    assert page_for(world["east_head"]).post(action, {**data, "year": 2024}).status_code == 403
    assert page_for(world["west_head"]).post(action, {**data, "year": 2024}).status_code == 404


def test_import_page_reports_rows_and_export_downloads(world):
    client = page_for(world["admin"])
    bad = write_xlsx(title="x", headers=IMPORT_COLUMNS, rows=[["甲", "", "D01", "区级", "2022", "", ""]])
    response = client.post(reverse("civility:unit_import"), {"file": SimpleUploadedFile("x.xlsx", bad)})
    assert response.status_code == 400 and "全国、省级、市级或县级" in response.content.decode()
    good = write_xlsx(title="x", headers=IMPORT_COLUMNS, rows=[["甲", "", "D01", "县级", "2022", "", ""]])
    assert client.post(reverse("civility:unit_import"), {"file": SimpleUploadedFile("x.xlsx", good)}).status_code == 302
    response = client.get(reverse("civility:unit_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert page_for(world["east_head"]).get(reverse("civility:unit_import")).status_code == 403


def test_grid_worker_checks_a_point_with_a_photo_and_opens_a_case(world):
    site = PublicitySiteFactory(unit=world["east_street"])
    client = page_for(world["east_grid"])
    url = reverse("civility:point_detail", args=[site.pk])
    response = client.post(
        url,
        {"state": "damaged", "checked_on": timezone.localdate().isoformat(), "photo": jpeg_upload(), "note": "破损"},
    )
    assert response.status_code == 302
    check = PublicityCheck.objects.get()
    assert "立案整改" in client.get(url).content.decode()
    assert client.post(reverse("civility:check_case", args=[check.pk])).status_code == 302
    check.refresh_from_db()
    assert check.case_id and check.case.number in client.get(url).content.decode()
    assert page_for(world["west_head"]).post(reverse("civility:check_case", args=[check.pk])).status_code == 404


def test_window_pages_take_commitments_and_ratings(world):
    window = WindowUnitFactory(unit=world["east"])
    period = RatingPeriodFactory()
    action = reverse("civility:window_action", args=[window.pk])
    data = {"action": "commit", "content": "限时办结", "published_where": "公示栏", "published_on": "2026-03-01"}
    assert page_for(world["east_head"]).post(action, data).status_code == 302
    rating = {"action": "rate", "period": period.pk, "source": "hotline", "score": "101"}
    response = page_for(world["admin"]).post(action, rating)
    assert response.status_code == 400
    assert page_for(world["admin"]).post(action, {**rating, "score": "88.5"}).status_code == 302
    assert page_for(world["east_head"]).post(action, {**rating, "source": "undercover"}).status_code == 403
    page = page_for(world["east_head"]).get(reverse("civility:ranking_period", args=[period.pk])).content.decode()
    assert "88.50" in page and "1 / 1" in page


def test_reference_pages_are_for_the_root_office(world):
    assert page_for(world["east_head"]).get(reverse("civility:industry_create")).status_code == 403
    client = page_for(world["admin"])
    assert (
        client.post(
            reverse("civility:industry_create"), {"name": "供水", "sort_order": 1, "is_sample": "on"}
        ).status_code
        == 302
    )
    data = {"name": "2026年第一季度", "starts_on": "2026-01-01", "ends_on": "2026-03-31"}
    assert client.post(reverse("civility:period_create"), data).status_code == 302


def test_edit_page_for_the_office_only(world):
    honour = CivilizedUnitFactory(unit=world["east"], year_awarded=2020)
    url = reverse("civility:unit_update", args=[honour.pk])
    assert page_for(None).get(url).status_code == 302
    assert page_for(world["nobody"]).get(url).status_code == 404
    assert page_for(world["west_head"]).get(url).status_code == 404
    assert page_for(world["east_head"]).get(url).status_code == 403
    response = page_for(world["admin"]).post(url, {"year_awarded": 1900, "note": ""})
    assert response.status_code == 200 and "不在合理范围内" in response.content.decode()
    assert page_for(world["admin"]).post(url, {"year_awarded": 2021, "note": "更正年度"}).status_code == 302
    honour.refresh_from_db()
    assert (honour.year_awarded, honour.note) == (2021, "更正年度")


def test_overdue_filter_lists_warned_units_past_their_deadline(world):
    today = timezone.localdate()
    late = CivilizedUnitFactory(unit=world["east"], status="warned", warning_deadline=today - timedelta(days=1))
    CivilizedUnitFactory(unit=world["east"], status="warned", warning_deadline=today + timedelta(days=5))
    CivilizedUnitFactory(unit=world["east"])
    response = page_for(world["admin"]).get(reverse("civility:unit_list"), {"overdue": "true"})
    assert [h.pk for h in response.context["object_list"]] == [late.pk]
    assert "逾期" in response.content.decode()
