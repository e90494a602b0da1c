import io
import zipfile

import pytest
from openpyxl import load_workbook

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.dossiers import services
from chuangcheng.dossiers.archive import INDEX_NAME, build_archive
from chuangcheng.dossiers.completeness import rebuild_completeness
from chuangcheng.dossiers.models import Material, MaterialStatus
from chuangcheng.dossiers.selectors import completeness_matrix, completeness_matrix_live
from chuangcheng.dossiers.tests.conftest import docx_bytes, make_upload
from chuangcheng.dossiers.tests.factories import PDF, MaterialAssignmentFactory, MaterialFactory

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + b"\x00" * 40
)


@pytest.fixture
def assigned(world):
    for req in world["reqs"]:
        services.assign_requirement(actor=world["admin"], requirement=req, units=[world["east"], world["west"]])
    return world


def test_upload_checks_content_not_name(assigned):
    w = assigned
    with pytest.raises(DomainError) as error:
        services.upload_material(
            actor=w["east_handler"],
            requirement=w["reqs"][0],
            unit=w["east"],
            year=2026,
            file=make_upload(b"MZ\x90\x00 an exe renamed", "方案.pdf"),
        )
    assert error.value.field == "file" and "文件类型" in error.value.message
    material = services.upload_material(
        actor=w["east_handler"],
        requirement=w["reqs"][0],
        unit=w["east"],
        year=2026,
        file=make_upload(docx_bytes(), "方案.pdf"),
    )
    assert material.kind == "docx" and material.file.name.endswith(".docx")
    assert material.title == "方案" and material.status == MaterialStatus.SUBMITTED
    image = services.upload_material(
        actor=w["east_handler"], requirement=w["reqs"][1], unit=w["east"], year=2026, file=make_upload(PNG, "照片.png")
    )
    assert image.kind == "image"
    assert AuditEvent.objects.filter(verb="dossiers.material_uploaded", target_id=str(material.pk)).exists()


def test_upload_size_cap(assigned, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(DomainError) as error:
        services.upload_material(
            actor=assigned["east_handler"],
            requirement=assigned["reqs"][0],
            unit=assigned["east"],
            year=2026,
            file=make_upload(PDF + b"x" * 200),
        )
    assert "过大" in error.value.message


def test_upload_rules_scope_assignment_year_duplicate(assigned):
    w = assigned
    with pytest.raises(NotPermitted):
        services.upload_material(
            actor=w["west_handler"], requirement=w["reqs"][0], unit=w["east"], year=2026, file=make_upload()
        )
    other = MaterialAssignmentFactory(unit=w["office"]).requirement
    with pytest.raises(DomainError) as error:
        services.upload_material(
            actor=w["east_handler"], requirement=other, unit=w["east"], year=2026, file=make_upload()
        )
    assert error.value.field == "requirement"
    with pytest.raises(DomainError):
        services.upload_material(
            actor=w["east_handler"], requirement=w["reqs"][0], unit=w["east"], year=1990, file=make_upload()
        )
    services.upload_material(
        actor=w["east_handler"], requirement=w["reqs"][0], unit=w["east"], year=2026, file=make_upload()
    )
    with pytest.raises(Conflict):
        services.upload_material(
            actor=w["east_handler"], requirement=w["reqs"][0], unit=w["east"], year=2026, file=make_upload()
        )


def test_two_stage_review_by_two_people(assigned):
    w = assigned
    material = services.upload_material(
        actor=w["east_handler"], requirement=w["reqs"][0], unit=w["east"], year=2026, file=make_upload()
    )
    with pytest.raises(NotPermitted):
        services.review_material(material=material, actor=w["east_handler"], decision="approve")
    material = services.review_material(material=material, actor=w["staff"], decision="approve")
    assert material.status == MaterialStatus.FIRST_PASSED
    with pytest.raises(NotPermitted) as error:
        services.review_material(material=material, actor=w["staff"], decision="approve")
    assert "二审" in error.value.message
    material = services.review_material(material=material, actor=w["admin"], decision="approve")
    assert material.status == MaterialStatus.APPROVED and material.reviewer == w["admin"]
    assert [r.stage for r in material.reviews.all()] == ["first", "second"]
    with pytest.raises(Conflict):
        services.review_material(material=material, actor=w["staff"], decision="return", reason="晚了")


def test_return_needs_reason_then_resubmit_restarts_review(assigned):
    w = assigned
    material = services.upload_material(
        actor=w["east_handler"], requirement=w["reqs"][0], unit=w["east"], year=2026, file=make_upload()
    )
    for blank in ("", "   "):
        with pytest.raises(DomainError) as error:
            services.review_material(material=material, actor=w["staff"], decision="return", reason=blank)
        assert error.value.field == "reason"
    material = services.review_material(material=material, actor=w["staff"], decision="return", reason="缺少盖章页")
    assert material.status == MaterialStatus.RETURNED and material.reason == "缺少盖章页"
    with pytest.raises(DomainError):
        services.resubmit_material(material=material, actor=w["east_handler"], file=make_upload())
    material = services.resubmit_material(
        material=material, actor=w["east_handler"], file=make_upload(PDF + b"%stamped\n")
    )
    assert material.status == MaterialStatus.SUBMITTED and material.reason == ""
    assert material.reviews.get().reason == "缺少盖章页"


def test_withdraw_only_before_review(assigned):
    w = assigned
    material = services.upload_material(
        actor=w["east_handler"], requirement=w["reqs"][0], unit=w["east"], year=2026, file=make_upload()
    )
    services.review_material(material=material, actor=w["staff"], decision="approve")
    with pytest.raises(Conflict):
        services.withdraw_material(material=material, actor=w["east_handler"])
    second = services.upload_material(
        actor=w["east_handler"], requirement=w["reqs"][1], unit=w["east"], year=2026, file=make_upload()
    )
    services.withdraw_material(material=second, actor=w["east_handler"])
    assert not Material.objects.filter(pk=second.pk).exists()


def test_completeness_arithmetic(assigned):
    w = assigned
    a1, a2, b1 = w["reqs"]
    east, west = w["east"], w["west"]
    # east 2026: clause A both approved (one twice), clause B only submitted; 2025: one of A approved.
    MaterialFactory(requirement=a1, unit=east, year=2026, status=MaterialStatus.APPROVED)
    MaterialFactory(requirement=a1, unit=east, year=2026, status=MaterialStatus.APPROVED)
    MaterialFactory(requirement=a2, unit=east, year=2026, status=MaterialStatus.APPROVED)
    MaterialFactory(requirement=b1, unit=east, year=2026, status=MaterialStatus.FIRST_PASSED)
    MaterialFactory(requirement=a2, unit=east, year=2025, status=MaterialStatus.APPROVED)
    # west: a returned file and an approved file outside the years asked.
    MaterialFactory(requirement=a1, unit=west, year=2026, status=MaterialStatus.RETURNED, reason="不清晰")
    MaterialFactory(requirement=a1, unit=west, year=2020, status=MaterialStatus.APPROVED)
    # a file for a requirement the unit does not owe is not counted.
    unowed = MaterialAssignmentFactory(unit=w["office"], requirement__standard=w["standard"]).requirement
    MaterialFactory(requirement=unowed, unit=east, year=2026, status=MaterialStatus.APPROVED)

    rebuild_completeness()  # the factories bypass the services that keep the summary current
    matrix = completeness_matrix(user=w["admin"], years=[2024, 2025, 2026])
    live = completeness_matrix_live(user=w["admin"], years=[2024, 2025, 2026])
    assert matrix.cells == live.cells
    A, B = w["clause_a"].pk, w["clause_b"].pk
    cell = matrix.cell(A, east.pk, 2026)
    assert (cell.required, cell.submitted, cell.approved, cell.percent) == (2, 2, 2, 100.0)
    cell = matrix.cell(B, east.pk, 2026)
    assert (cell.required, cell.submitted, cell.approved, cell.percent) == (1, 1, 0, 0.0)
    assert matrix.cell(A, east.pk, 2025).percent == 50.0
    assert matrix.cell(A, east.pk, 2024).approved == 0
    cell = matrix.cell(A, west.pk, 2026)
    assert (cell.submitted, cell.approved) == (0, 0)
    # east owes 3 requirements × 3 years = 9, has 3 approved → 33.3%.
    assert matrix.unit_total(east.pk).required == 9
    assert matrix.unit_total(east.pk).percent == 33.3
    assert matrix.clause_total(A, 2026).percent == 50.0  # 2 of 4 (east 2, west 0)
    assert matrix.overall.required == 18 + 3 and matrix.overall.approved == 3
    # a unit sees only its own row
    mine = completeness_matrix(user=w["west_handler"], years=[2026])
    assert [u.pk for u in mine.units] == [west.pk]


def test_completeness_matrix_query_count(assigned, django_assert_max_num_queries):
    for req in assigned["reqs"]:
        MaterialFactory(requirement=req, unit=assigned["east"], year=2026, status=MaterialStatus.APPROVED)
    with django_assert_max_num_queries(5):
        completeness_matrix(user=assigned["admin"], years=[2024, 2025, 2026])


def test_export_zip_is_laid_out_by_clause_with_index(assigned):
    w = assigned
    approved = services.upload_material(
        actor=w["east_handler"],
        requirement=w["reqs"][0],
        unit=w["east"],
        year=2026,
        file=make_upload(),
        title="2026年创建方案",
    )
    services.upload_material(
        actor=w["west_handler"],
        requirement=w["reqs"][2],
        unit=w["west"],
        year=2025,
        file=make_upload(docx_bytes(), "台账.docx"),
    )
    services.review_material(material=approved, actor=w["staff"], decision="approve")
    built = build_archive(Material.objects.all())
    assert built.count == 2
    with zipfile.ZipFile(built.file) as archive:
        names = archive.namelist()
        assert f"1 组织管理/创建工作方案/东城区/2026/{approved.pk}-资料.pdf" in names
        assert any(name.startswith("2 健康教育/健康教育台账/西城区/2025/") for name in names)
        assert archive.read(f"1 组织管理/创建工作方案/东城区/2026/{approved.pk}-资料.pdf") == PDF
        sheet = load_workbook(io.BytesIO(archive.read(INDEX_NAME))).active
        rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("序号", "条款", "资料要求", "单位", "年度", "资料标题")
    first = rows[1]
    assert first[1:7] == ("1 组织管理", "创建工作方案", "东城区", 2026, "2026年创建方案", "待二审")
    assert first[-1] in names and rows[2][-1] in names
    assert len(rows) == 3


def test_services_keep_the_summary_in_step_with_the_live_count(assigned):
    w = assigned
    years = [2025, 2026]

    def same():
        summary = completeness_matrix(user=w["admin"], years=years)
        live = completeness_matrix_live(user=w["admin"], years=years)
        assert summary.cells == live.cells
        return summary

    first = services.upload_material(
        actor=w["east_handler"], requirement=w["reqs"][0], unit=w["east"], year=2026, file=make_upload()
    )
    assert same().cell(w["clause_a"].pk, w["east"].pk, 2026).submitted == 1
    services.review_material(material=first, actor=w["staff"], decision="approve")
    services.review_material(material=first, actor=w["admin"], decision="approve")
    assert same().cell(w["clause_a"].pk, w["east"].pk, 2026).approved == 1
    second = services.upload_material(
        actor=w["east_handler"], requirement=w["reqs"][1], unit=w["east"], year=2026, file=make_upload()
    )
    services.review_material(material=second, actor=w["staff"], decision="return", reason="模糊")
    assert same().cell(w["clause_a"].pk, w["east"].pk, 2026).submitted == 1
    services.resubmit_material(material=second, actor=w["east_handler"], file=make_upload(PDF + b"%2\n"))
    assert same().cell(w["clause_a"].pk, w["east"].pk, 2026).submitted == 2
    services.withdraw_material(material=second, actor=w["east_handler"])
    services.unassign_requirement(actor=w["admin"], assignment=w["reqs"][0].assignments.get(unit=w["east"]))
    cell = same().cell(w["clause_a"].pk, w["east"].pk, 2026)
    assert (cell.required, cell.submitted, cell.approved) == (1, 0, 0)
