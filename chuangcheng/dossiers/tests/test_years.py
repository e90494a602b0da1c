"""A requirement's 年限 (``years``): which years it applies to, and what the matrix counts."""

import pytest
from django.utils import timezone

from chuangcheng.core.errors import DomainError
from chuangcheng.dossiers import services
from chuangcheng.dossiers.completeness import applies, rebuild_completeness
from chuangcheng.dossiers.models import MaterialStatus
from chuangcheng.dossiers.selectors import completeness_matrix, completeness_matrix_live, unit_requirements
from chuangcheng.dossiers.tests.conftest import make_upload
from chuangcheng.dossiers.tests.factories import MaterialFactory
from chuangcheng.standards.tests.factories import MaterialRequirementFactory

pytestmark = pytest.mark.django_db

THIS = timezone.localdate().year
YEARS = [THIS - 2, THIS - 1, THIS]


def test_applies_counts_back_from_this_year():
    assert applies(None, 1990, 2026) and applies(0, 1990, 2026)
    assert applies(1, 2026, 2026) and not applies(1, 2025, 2026)
    assert [y for y in range(2022, 2028) if applies(3, y, 2026)] == [2024, 2025, 2026, 2027]


@pytest.fixture
def spans(world):
    """Clause A: a1 (every year), a2 (1 year); clause B: b1 (2 years) and a new b2 (1 year)."""
    a1, a2, b1 = world["reqs"]
    a1.years, a2.years, b1.years = None, 1, 2
    for req in (a1, a2, b1):
        req.save()
    b2 = MaterialRequirementFactory(
        standard=world["standard"], clause=world["clause_b"], title="宣传栏照片", years=1, sort_order=4
    )
    for req in (a1, a2, b1, b2):
        services.assign_requirement(actor=world["admin"], requirement=req, units=[world["east"]])
    return world | {"a1": a1, "a2": a2, "b1": b1, "b2": b2}


def test_matrix_counts_only_applicable_years(spans):
    w, east = spans, spans["east"]
    A, B = w["clause_a"].pk, w["clause_b"].pk
    for year in YEARS:  # a1 approved every year; a2 approved every year but only this year counts
        MaterialFactory(requirement=w["a1"], unit=east, year=year, status=MaterialStatus.APPROVED)
        MaterialFactory(requirement=w["a2"], unit=east, year=year, status=MaterialStatus.APPROVED)
    MaterialFactory(requirement=w["b1"], unit=east, year=THIS - 2, status=MaterialStatus.APPROVED)  # out of span
    MaterialFactory(requirement=w["b1"], unit=east, year=THIS - 1, status=MaterialStatus.SUBMITTED)
    MaterialFactory(requirement=w["b2"], unit=east, year=THIS, status=MaterialStatus.APPROVED)
    rebuild_completeness()
    matrix = completeness_matrix(user=w["admin"], years=YEARS)
    assert matrix.cells == completeness_matrix_live(user=w["admin"], years=YEARS).cells
    # clause A: 2 owed this year (a1, a2), 1 in the years before (a1 only)
    assert matrix.cells[(A, east.pk, THIS)] == (2, 2, 2)
    assert matrix.cells[(A, east.pk, THIS - 1)] == (1, 1, 1)
    assert matrix.cells[(A, east.pk, THIS - 2)] == (1, 1, 1)
    # clause B: b1 applies to the last two years, b2 to this one; nothing applies two years ago
    assert matrix.cells[(B, east.pk, THIS)] == (2, 1, 1)
    assert matrix.cells[(B, east.pk, THIS - 1)] == (1, 1, 0)
    assert (B, east.pk, THIS - 2) not in matrix.cells
    assert matrix.cell(B, east.pk, THIS - 2) is None
    # totals: owed 2+1+1 + 2+1 = 7, approved 2+1+1 + 1+0 = 5
    total = matrix.unit_total(east.pk)
    assert (total.required, total.approved, total.percent) == (7, 5, 71.4)
    assert matrix.year_total(THIS - 2).required == 1
    # an older year outside every span shows only the unlimited requirement
    old = completeness_matrix(user=w["admin"], years=[THIS - 5])
    assert old.cells == {(A, east.pk, THIS - 5): (1, 0, 0)}


def test_services_keep_spans_in_step(spans):
    w, east, handler = spans, spans["east"], spans["east_handler"]
    first = services.upload_material(actor=handler, requirement=w["b1"], unit=east, year=THIS - 1, file=make_upload())
    services.review_material(material=first, actor=w["staff"], decision="approve")
    services.review_material(material=first, actor=w["admin"], decision="approve")
    matrix = completeness_matrix(user=w["admin"], years=YEARS)
    assert matrix.cells == completeness_matrix_live(user=w["admin"], years=YEARS).cells
    assert matrix.cells[(w["clause_b"].pk, east.pk, THIS - 1)] == (1, 1, 1)


def test_upload_for_a_year_the_requirement_does_not_cover_is_refused(spans):
    w = spans
    with pytest.raises(DomainError) as error:
        services.upload_material(
            actor=w["east_handler"], requirement=w["a2"], unit=w["east"], year=THIS - 1, file=make_upload()
        )
    assert error.value.field == "year" and "近1年" in error.value.message
    services.upload_material(
        actor=w["east_handler"], requirement=w["a1"], unit=w["east"], year=THIS - 4, file=make_upload()
    )


def test_unit_todo_lists_only_applicable_requirements(spans):
    w = spans
    titles = [row["requirement"].title for row in unit_requirements(user=w["admin"], unit=w["east"], year=THIS - 1)]
    assert titles == ["创建工作方案", "健康教育台账"]
    assert len(unit_requirements(user=w["admin"], unit=w["east"], year=THIS)) == 4
