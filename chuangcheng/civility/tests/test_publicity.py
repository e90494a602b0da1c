"""Publicity point checks: who may check, the photo checked by content, the latest state, the case bridge."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import Case, CasePhoto
from chuangcheng.cases.tests.factories import CaseFactory, jpeg_upload
from chuangcheng.civility import casebridge, selectors, services
from chuangcheng.civility.models import PublicityCheck
from chuangcheng.civility.tests.factories import (
    CivilizedUnitFactory,
    PublicityCheckFactory,
    PublicitySiteFactory,
)
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.places.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def test_a_grid_worker_records_a_failed_check_with_a_photo(world):
    site = PublicitySiteFactory(unit=world["east_street"])
    check = services.record_check(
        actor=world["east_grid"], site=site, state="damaged", photo=jpeg_upload("宣传栏.jpg"), note="玻璃破裂"
    )
    assert check.failed and check.photo and len(check.photo_sha256) == 64 and check.checked_by == world["east_grid"]
    assert AuditEvent.objects.get(verb="civility.point_checked").changes["state"] == [None, "damaged"]


def test_the_photo_is_judged_by_content(world):
    site = PublicitySiteFactory(unit=world["east_street"])
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(DomainError) as error:
        services.record_check(actor=world["admin"], site=site, state="damaged", photo=fake)
    assert error.value.field == "photo" and "按文件内容判断" in error.value.message
    assert not PublicityCheck.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"state": "broken"}, "state"),
        ({"state": "missing"}, "photo"),  # a failed state needs a photo or a note
        ({"state": "intact", "checked_on": date.today() + timedelta(days=2)}, "checked_on"),
    ],
)
def test_bad_checks_name_the_field(world, kwargs, field):
    site = PublicitySiteFactory(unit=world["east_street"])
    with pytest.raises(DomainError) as error:
        services.record_check(actor=world["admin"], site=site, **kwargs)
    assert error.value.field == field


def test_only_publicity_sites_are_checked(world):
    site = SiteFactory(unit=world["east_street"])
    with pytest.raises(DomainError) as error:
        services.record_check(actor=world["admin"], site=site, state="intact")
    assert error.value.field == "site"


def test_who_may_check(world):
    site = PublicitySiteFactory(unit=world["east_street"])
    assert services.record_check(actor=world["inspector"], site=site, state="intact")
    for who in ("west_head", "nobody"):
        with pytest.raises(NotPermitted):
            services.record_check(actor=world[who], site=site, state="intact")


def test_latest_state_per_point_in_one_query(world):
    first, second = PublicitySiteFactory(unit=world["east"]), PublicitySiteFactory(unit=world["west"])
    PublicityCheckFactory(site=first, state="intact", checked_on=date(2026, 10, 1))
    PublicityCheckFactory(site=first, state="outdated", checked_on=date(2026, 11, 1))
    PublicityCheckFactory(site=first, state="intact", checked_on=date(2026, 9, 1))
    SiteFactory(unit=world["east"])  # not a publicity point
    with assert_max_queries(2):  # the user's scope, then the points with their latest check
        rows = {s.pk: s.latest_state for s in selectors.publicity_points(world["admin"])}
    assert rows == {first.pk: "outdated", second.pk: None}
    assert [s.pk for s in selectors.publicity_points(world["east_head"])] == [first.pk]
    features = selectors.point_features(selectors.publicity_points(world["admin"]))
    assert {f["properties"]["state_label"] for f in features} == {"内容过期", "未检查"}


def test_a_failed_check_opens_one_case_with_its_photo(world):
    site = PublicitySiteFactory(unit=world["east_street"], name="东城宣传栏")
    check = services.record_check(actor=world["admin"], site=site, state="missing", photo=jpeg_upload())
    check = services.open_case_for_check(actor=world["admin"], check=check)
    case = Case.objects.get(pk=check.case_id)
    assert case.source == casebridge.CASE_SOURCE and case.external_ref == f"XCDW-{check.pk}"
    assert case.site == site and "缺失" in case.title and case.status != "reported"
    assert CasePhoto.objects.filter(case=case).count() == 1
    with pytest.raises(Conflict, match="已立案"):
        services.open_case_for_check(actor=world["admin"], check=check)
    intact = services.record_check(actor=world["admin"], site=site, state="intact")
    with pytest.raises(DomainError, match="无需立案"):
        services.open_case_for_check(actor=world["admin"], check=intact)
    with pytest.raises(NotPermitted):
        services.open_case_for_check(actor=world["west_head"], check=check)


def test_review_evidence_lists_cases_at_the_org_units_sites(world):
    site = SiteFactory(unit=world["east_street"], department=world["hospital"])
    other = SiteFactory(unit=world["west"])
    mine = CaseFactory(site=site, unit=world["east_street"])
    CaseFactory(site=other, unit=world["west"])
    honour = CivilizedUnitFactory(org_unit=world["hospital"], unit=world["hospital"])
    year = timezone.localdate().year
    total, rows = casebridge.cases_at_unit_sites(world["admin"], unit=honour.org_unit, year=year)
    assert (total, [c.pk for c in rows]) == (1, [mine.pk])
    assert casebridge.cases_at_unit_sites(world["admin"], unit=honour.org_unit, year=year - 1) == (0, [])
