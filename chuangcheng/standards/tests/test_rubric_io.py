import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from chuangcheng.core.tabular import ImportFailed, write_xlsx
from chuangcheng.places.tests.factories import SiteCategoryFactory
from chuangcheng.standards import services
from chuangcheng.standards.models import CheckItem, Clause
from chuangcheng.standards.tests.factories import CheckItemFactory, ClauseFactory, StandardFactory

pytestmark = pytest.mark.django_db
COLUMNS = services.RUBRIC_COLUMNS


def sheet(*rows) -> bytes:
    return write_xlsx(title="评分表", headers=COLUMNS, rows=[list(r) + [""] * (len(COLUMNS) - len(r)) for r in rows])


@pytest.fixture
def market():
    return SiteCategoryFactory(code="farmers_market", name="农贸市场")


def test_import_rubric_valid_sheet_creates_clauses_and_items(people, market):
    draft = StandardFactory()
    data = sheet(
        (
            "3.1",
            "农贸市场卫生",
            "NM-01",
            "五项公示齐全",
            "农贸市场",
            "2",
            "10",
            "一般",
            "否",
            "否",
            "5",
            "市场监管",
            "是",
        ),
        ("3.1", "农贸市场卫生", "NM-02", "无活禽售卖", "农贸（集贸）市场", "待核实", "", "严重", "是", "否", "", ""),
        ("3.2", "背街小巷"),
    )
    counts = services.import_rubric(actor=people["office"], standard=draft, data=data, filename="r.xlsx")
    assert counts == {"clauses_created": 2, "items_created": 2, "items_updated": 0}
    first = CheckItem.objects.get(standard=draft, code="NM-01")
    assert (first.points, first.cap_per_site, first.deadline_days, first.is_sample) == (
        Decimal(2),
        Decimal(10),
        5,
        True,
    )
    assert list(first.site_categories.all()) == [market]
    second = CheckItem.objects.get(standard=draft, code="NM-02")
    assert second.points is None and second.severity == "serious" and second.is_negative_list
    assert list(second.site_categories.all()) == [market]
    assert Clause.objects.filter(standard=draft).count() == 2


def test_import_rubric_updates_existing_items_by_code(people, market):
    draft = StandardFactory()
    clause = ClauseFactory(standard=draft, number="3.1", title="农贸市场卫生")
    CheckItemFactory(standard=draft, clause=clause, code="NM-01", points=1)
    data = sheet(("3.1", "农贸市场卫生", "NM-01", "五项公示齐全", "", "3"))
    counts = services.import_rubric(actor=people["office"], standard=draft, data=data, filename="r.xlsx")
    assert counts["items_updated"] == 1
    assert CheckItem.objects.get(standard=draft, code="NM-01").points == 3


def test_import_rubric_with_errors_writes_nothing_and_lists_each(people, market):
    draft = StandardFactory()
    data = sheet(
        ("3.1", "农贸市场", "NM-01", "甲", "不存在的类别", "abc", "", "很严重", "也许", "否", "七"),
        ("3.1", "另一个名字", "NM-01", ""),
        ("", "", "", ""),
        ("", "无编号", "", ""),
        ("3.3", "好的条款", "NM-03", "好的检查项", "农贸市场", "1"),
    )
    with pytest.raises(ImportFailed) as caught:
        services.import_rubric(actor=people["office"], standard=draft, data=data, filename="r.xlsx")
    issues = {(issue.row, issue.column) for issue in caught.value.report.issues}
    assert {
        (2, "适用点位类别"),
        (2, "扣分"),
        (2, "严重程度"),
        (2, "负面清单"),
        (2, "整改时限(工作日)"),
        (3, "检查项编码"),
        (3, "条款"),
        (3, "检查项"),
        (5, "条款编号"),
    } <= issues
    assert "导入失败" in caught.value.message
    assert not Clause.objects.filter(standard=draft).exists()
    assert not CheckItem.objects.filter(standard=draft).exists()


def test_import_rubric_missing_columns_and_bad_file(people):
    draft = StandardFactory()
    with pytest.raises(ImportFailed) as caught:
        services.import_rubric(actor=people["office"], standard=draft, data="检查项\n甲\n".encode(), filename="a.csv")
    assert {i.column for i in caught.value.report.issues} == {"条款编号", "条款"}
    with pytest.raises(ImportFailed):
        services.import_rubric(actor=people["office"], standard=draft, data=b"PK\x03\x04junk", filename="a.xlsx")


def test_export_rubric_round_trips_into_a_new_draft(people, market):
    source = StandardFactory()
    clause = ClauseFactory(standard=source, number="3.1", title="农贸市场卫生")
    ClauseFactory(standard=source, number="3.2", title="空条款")
    CheckItemFactory(
        standard=source, clause=clause, code="NM-01", points=None, is_sample=False, site_categories=[market]
    )
    rows = services.export_rubric_rows(source)
    assert rows[0][5] == "待核实" and rows[0][4] == "农贸市场"
    data = write_xlsx(title="x", headers=COLUMNS, rows=rows)
    assert [c.value for c in load_workbook(io.BytesIO(data)).active[1]] == list(COLUMNS)
    target = StandardFactory()
    counts = services.import_rubric(actor=people["office"], standard=target, data=data, filename="x.xlsx")
    assert counts == {"clauses_created": 2, "items_created": 1, "items_updated": 0}
    assert CheckItem.objects.get(standard=target).points is None
