"""文明单位 services: registering, editing and the annual review with evidence checked by content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangcheng.audit.models import AuditEvent
from chuangcheng.civility import services
from chuangcheng.civility.models import CivilizedUnit, Review, ReviewEvidence
from chuangcheng.civility.tests.factories import CivilizedUnitFactory, ReviewFactory
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.dossiers.demo_files import pdf_bytes

pytestmark = pytest.mark.django_db


def pdf(name="复查报告.pdf"):
    return SimpleUploadedFile(name, pdf_bytes("复查报告", ["测试"]), content_type="application/pdf")


def test_registering_an_org_unit_takes_its_name_and_scope(world):
    honour = services.create_civilized_unit(
        actor=world["admin"], org_unit=world["hospital"], level="provincial", year_awarded=2022
    )
    assert (honour.name, honour.unit, honour.status) == ("市卫健委", world["hospital"], "active")
    assert AuditEvent.objects.filter(verb="civility.unit_created").count() == 1


def test_registering_an_outside_organisation_needs_a_managing_unit(world):
    with pytest.raises(DomainError) as error:
        services.create_civilized_unit(actor=world["admin"], name="某银行分行", level="municipal", year_awarded=2022)
    assert error.value.field == "unit"
    honour = services.create_civilized_unit(
        actor=world["admin"], name="某银行分行", unit=world["east"], level="municipal", year_awarded=2022
    )
    assert honour.org_unit is None and honour.unit == world["east"]


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"name": "", "level": "municipal", "year_awarded": 2022}, "name", "请填写文明单位名称"),
        ({"name": "甲", "level": "city", "year_awarded": 2022}, "level", "未知的级别"),
        ({"name": "甲", "level": "municipal", "year_awarded": 1970}, "year_awarded", "不在合理范围"),
        ({"name": "甲", "level": "municipal", "year_awarded": "二〇二二"}, "year_awarded", "四位数字"),
    ],
)
def test_bad_registration_names_the_field(world, kwargs, field, text):
    with pytest.raises(DomainError) as error:
        services.create_civilized_unit(actor=world["admin"], unit=world["east"], **kwargs)
    assert error.value.field == field and text in error.value.message
    assert not CivilizedUnit.objects.exists()


def test_duplicate_name_and_level_is_refused(world):
    CivilizedUnitFactory(name="市图书馆", level="municipal", unit=world["east"])
    with pytest.raises(DomainError, match="已登记"):
        services.create_civilized_unit(
            actor=world["admin"], name="市图书馆", unit=world["east"], level="municipal", year_awarded=2020
        )


def test_org_unit_outside_the_managing_unit_is_refused(world):
    with pytest.raises(DomainError) as error:
        services.create_civilized_unit(
            actor=world["admin"], org_unit=world["hospital"], unit=world["east"], level="municipal", year_awarded=2020
        )
    assert error.value.field == "org_unit"


def test_a_unit_head_cannot_register(world):
    with pytest.raises(NotPermitted):
        services.create_civilized_unit(
            actor=world["east_head"], name="甲", unit=world["east"], level="county", year_awarded=2020
        )


def test_update_changes_note_and_year_and_audits(world):
    honour = CivilizedUnitFactory(unit=world["east"], year_awarded=2020)
    honour = services.update_civilized_unit(
        actor=world["admin"], civilized_unit=honour, note="新备注", year_awarded=2021
    )
    assert (honour.note, honour.year_awarded) == ("新备注", 2021)
    assert AuditEvent.objects.get(verb="civility.unit_updated").changes["year_awarded"] == [2020, 2021]


def test_review_with_evidence_stores_checked_files(world):
    honour = CivilizedUnitFactory(unit=world["east"], year_awarded=2020)
    review = services.record_review(
        actor=world["admin"], civilized_unit=honour, year=2025, result="warning", reasons="志愿服务不足", files=[pdf()]
    )
    evidence = ReviewEvidence.objects.get(review=review)
    assert (evidence.kind, evidence.original_name, len(evidence.sha256)) == ("pdf", "复查报告.pdf", 64)
    assert AuditEvent.objects.get(verb="civility.review_recorded").changes["files"] == [0, 1]


def test_review_evidence_is_judged_by_content_not_name(world):
    honour = CivilizedUnitFactory(unit=world["east"], year_awarded=2020)
    fake = SimpleUploadedFile("报告.pdf", b"this is plain text, not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as error:
        services.record_review(actor=world["admin"], civilized_unit=honour, year=2025, result="passed", files=[fake])
    assert error.value.field == "files" and "按文件内容判断" in error.value.message
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("year", "result", "reasons", "field", "text"),
    [
        (2025, "failed", "", "reasons", "须填写理由"),
        (2025, "good", "", "result", "未知的复查结果"),
        (2019, "passed", "", "year", "不能早于命名年度"),
    ],
)
def test_bad_review_names_the_field(world, year, result, reasons, field, text):
    honour = CivilizedUnitFactory(unit=world["east"], year_awarded=2020)
    with pytest.raises(DomainError) as error:
        services.record_review(actor=world["admin"], civilized_unit=honour, year=year, result=result, reasons=reasons)
    assert error.value.field == field and text in error.value.message


def test_one_review_per_year_and_none_after_revocation(world):
    honour = CivilizedUnitFactory(unit=world["east"], year_awarded=2020)
    ReviewFactory(civilized_unit=honour, year=2025)
    with pytest.raises(DomainError, match="已有复查记录"):
        services.record_review(actor=world["admin"], civilized_unit=honour, year=2025, result="passed")
    revoked = CivilizedUnitFactory(unit=world["east"], status="revoked")
    with pytest.raises(DomainError, match="已撤销"):
        services.record_review(actor=world["admin"], civilized_unit=revoked, year=2025, result="passed")


def test_review_is_for_the_office_only(world):
    honour = CivilizedUnitFactory(unit=world["east"], year_awarded=2020)
    with pytest.raises(NotPermitted):
        services.record_review(actor=world["east_head"], civilized_unit=honour, year=2025, result="passed")
