"""The 测评操作手册 import: a good file, every bad-input case (nothing written), round trip, versions."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from chuangcheng.core.errors import DomainError
from chuangcheng.core.tabular import ImportFailed
from chuangcheng.places.services.categories import load_site_categories
from chuangcheng.standards import services
from chuangcheng.standards.comparison import compare_versions
from chuangcheng.standards.demo_evaluation import MINORS, demo_manual_xlsx, manual_rows
from chuangcheng.standards.models import (
    CheckItem,
    Clause,
    ClauseLevel,
    Judgement,
    MaterialRequirement,
    StandardKind,
    StandardStatus,
)
from chuangcheng.standards.services.manual_io import MANUAL_COLUMNS
from chuangcheng.standards.tests.factories import StandardFactory

pytestmark = pytest.mark.django_db
COL = {name: index for index, name in enumerate(MANUAL_COLUMNS)}


@pytest.fixture
def categories():
    load_site_categories(actor=None)


@pytest.fixture
def draft():
    return StandardFactory(kind=StandardKind.CIVILIZED_CITY, code="CIV-T", name="创文测试")


def rows_of(structure=MINORS) -> list[list]:
    return [list(row) for row in manual_rows(structure)]


def xlsx(rows) -> bytes:
    return services.write_manual_xlsx(rows)


def written(standard) -> int:
    return sum(model.objects.filter(standard=standard).count() for model in (Clause, CheckItem, MaterialRequirement))


def test_import_builds_projects_contents_items_and_materials(people, categories, draft):
    counts = services.import_manual(actor=people["office"], standard=draft, data=demo_manual_xlsx(), filename="m.xlsx")
    assert counts["clauses_created"] == Clause.objects.filter(standard=draft).count()
    assert counts["items_created"] == CheckItem.objects.filter(standard=draft).count() >= 75
    content = Clause.objects.get(standard=draft, number="A2")
    assert content.level == ClauseLevel.ARTICLE and content.parent.number == "A" and content.section.number == "A"
    assert content.methods == "field" and content.full_points == Decimal(6)
    assert content.parent.full_points == sum(
        c.full_points for c in Clause.objects.filter(standard=draft, parent=content.parent)
    )
    item = CheckItem.objects.get(standard=draft, code="A2-1")
    assert (item.judgement, item.full_points, item.observations) == (Judgement.OBSERVE, Decimal(2), 5)
    assert [c.code for c in item.site_categories.all()] == ["intersection"]
    veto = CheckItem.objects.get(standard=draft, is_negative_list=True, is_veto=True)
    assert veto.points is None and veto.uncertain
    deduct = CheckItem.objects.get(standard=draft, is_negative_list=True, is_veto=False)
    assert deduct.points == Decimal(5)
    materials = MaterialRequirement.objects.filter(standard=draft, clause__number="C4")
    assert [m.title for m in materials] == ["社会信用体系建设工作方案（示例）", "失信联合惩戒工作台账（示例）"]
    assert Clause.objects.get(standard=draft, number="E3").full_points == Decimal(4)
    again = services.import_manual(actor=people["office"], standard=draft, data=demo_manual_xlsx(), filename="m.xlsx")
    assert again["clauses_created"] == again["items_created"] == again["materials_created"] == 0
    assert again["items_updated"] == counts["items_created"]


def set_cell(rows, index, column, value):
    rows[index][COL[column]] = value
    return rows


BAD_CASES = {
    "observe without 分值": (lambda r: set_cell(r, 0, "分值", ""), "分值", "必须填写分值"),
    "observe 分值 待核实": (lambda r: set_cell(r, 0, "分值", "待核实"), "分值", "不接受“待核实”"),
    "observe without 观察频次": (lambda r: set_cell(r, 0, "观察频次", ""), "观察频次", "必须填写观察频次"),
    "观察频次 not an integer": (lambda r: set_cell(r, 0, "观察频次", "2.5"), "观察频次", "整数"),
    "content without method": (
        lambda r: [set_cell(r, i, "测评方法", "") for i in range(len(r)) if r[i][COL["测评内容编号"]] == "A2"][-1],
        "测评方法",
        "没有填写测评方法",
    ),
    "unknown method": (lambda r: set_cell(r, 0, "测评方法", "材料审核、电话抽查"), "测评方法", "未知测评方法"),
    "unknown category": (lambda r: set_cell(r, 0, "适用点位类别", "月球基地"), "适用点位类别", "未知点位类别"),
    "duplicate code": (lambda r: set_cell(r, 1, "测评标准编码", r[0][COL["测评标准编码"]]), "测评标准编码", "重复"),
    "content points mismatch": (
        lambda r: [set_cell(r, i, "测评内容分值", "9") for i in range(len(r)) if r[i][COL["测评内容编号"]] == "A1"][-1],
        "测评内容分值",
        "不一致",
    ),
    "project points mismatch": (
        lambda r: [set_cell(r, i, "测评项目分值", "99") for i in range(len(r)) if r[i][COL["测评项目编号"]] == "A"][-1],
        "测评项目分值",
        "不一致",
    ),
    "unknown scoring": (lambda r: set_cell(r, 0, "计分方式", "打分"), "计分方式", "应为"),
    "negative without handling": (
        lambda r: set_cell(set_cell(r, 0, "负面清单", "是"), 0, "计分方式", ""),
        "负面清单处理",
        "处理方式",
    ),
    "materials without 材料审核": (
        lambda r: [set_cell(r, i, "申报材料", "工作台账") for i in range(len(r)) if r[i][COL["测评内容编号"]] == "B1"][
            -1
        ],
        "申报材料",
        "材料审核",
    ),
    "content title differs": (lambda r: set_cell(r, 1, "测评内容", "另一个名称"), "测评内容", "不一致"),
    "missing content number": (lambda r: set_cell(r, 0, "测评内容编号", ""), "测评内容编号", "不能为空"),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_manual_is_rejected_whole_with_an_itemised_report(people, categories, draft, case):
    change, column, reason = BAD_CASES[case]
    rows = rows_of(MINORS)
    change(rows)
    with pytest.raises(ImportFailed) as raised:
        services.import_manual(actor=people["office"], standard=draft, data=xlsx(rows), filename="bad.xlsx")
    issues = raised.value.report.issues
    assert any(issue.column == column and reason in issue.reason for issue in issues), [str(i) for i in issues]
    assert all(issue.row is None or issue.row >= 2 for issue in issues)
    assert written(draft) == 0


def test_missing_required_column_and_empty_file(people, categories, draft):
    from chuangcheng.core.tabular import write_xlsx

    no_column = write_xlsx(title="x", headers=["测评项目编号", "测评内容编号"], rows=[["A", "A1"]])
    with pytest.raises(ImportFailed) as raised:
        services.import_manual(actor=people["office"], standard=draft, data=no_column, filename="x.xlsx")
    assert raised.value.report.issues[0].column == "测评标准编码"
    with pytest.raises(ImportFailed) as raised:
        services.import_manual(actor=people["office"], standard=draft, data=xlsx([]), filename="empty.xlsx")
    assert "没有数据行" in raised.value.report.issues[0].reason
    assert written(draft) == 0


def test_only_drafts_of_evaluation_kinds_and_only_the_office(people, categories, draft):
    sanitary = StandardFactory(kind=StandardKind.SANITARY_CITY)
    with pytest.raises(DomainError, match="只有全国文明城市"):
        services.import_manual(actor=people["office"], standard=sanitary, data=demo_manual_xlsx(MINORS))
    published = StandardFactory(kind=StandardKind.MINORS, status=StandardStatus.PUBLISHED)
    with pytest.raises(DomainError, match="已发布"):
        services.import_manual(actor=people["office"], standard=published, data=demo_manual_xlsx(MINORS))
    with pytest.raises(DomainError, match="只有创建办"):
        services.import_manual(actor=people["inspector"], standard=draft, data=demo_manual_xlsx(MINORS))
    assert written(draft) == written(sanitary) == 0


def test_template_imports_and_has_a_notes_sheet(people, categories, draft):
    template = services.manual_template()
    workbook = load_workbook(io.BytesIO(template))
    assert workbook.sheetnames == ["测评手册", "说明"]
    notes = [row[0] for row in workbook["说明"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert set(MANUAL_COLUMNS) <= set(notes)
    counts = services.import_manual(actor=people["office"], standard=draft, data=template, filename="t.xlsx")
    assert counts["items_created"] == 3 and counts["materials_created"] == 2
    assert not CheckItem.objects.filter(standard=draft, is_sample=False).exists()


def test_export_then_import_gives_the_same_manual(people, categories, draft):
    services.import_manual(actor=people["office"], standard=draft, data=demo_manual_xlsx(), filename="m.xlsx")
    exported = services.export_manual_rows(draft)
    other = StandardFactory(kind=StandardKind.CIVILIZED_CITY, code="CIV-T2")
    services.import_manual(actor=people["office"], standard=other, data=xlsx(exported), filename="e.xlsx")
    assert services.export_manual_rows(other) == exported
    result = compare_versions(draft, other)
    assert all(section.total == 0 for section in result.values())


def test_publish_freezes_and_a_new_draft_copies_and_compares_the_new_fields(people, categories, draft):
    office = people["office"]
    services.import_manual(actor=office, standard=draft, data=demo_manual_xlsx(MINORS), filename="m.xlsx")
    published = services.publish_standard(standard=draft, actor=office)
    with pytest.raises(DomainError):
        services.import_manual(actor=office, standard=published, data=demo_manual_xlsx(MINORS))
    item = CheckItem.objects.filter(standard=published, judgement=Judgement.OBSERVE).first()
    item.observations = 9
    with pytest.raises(DomainError):
        item.save()
    new = services.create_draft_from(standard=published, actor=office, version="2027")
    copy = CheckItem.objects.get(standard=new, code=item.code)
    assert (copy.full_points, copy.observations, copy.judgement, copy.clause.methods) == (
        item.full_points,
        CheckItem.objects.get(pk=item.pk).observations,
        Judgement.OBSERVE,
        item.clause.methods,
    )
    assert copy.clause.parent.level == ClauseLevel.SECTION and copy.clause.full_points == item.clause.full_points
    services.update_check_item(check_item=copy, actor=office, observations=7, full_points=Decimal("2.5"))
    services.update_clause(clause=copy.clause, actor=office, methods="field,material")
    result = compare_versions(published, new)
    changed = {row["key"]: row["fields"] for row in result["check_items"].changed}
    assert changed[item.code]["observations"]["new"] == 7
    assert changed[item.code]["full_points"]["new"] == "2.5"
    clause_changes = {row["key"]: row["fields"] for row in result["clauses"].changed}
    assert clause_changes[copy.clause.number]["methods"]["new"] == "实地考察、材料审核"


def test_manual_edit_rules_for_evaluation_fields(people, categories, draft):
    office = people["office"]
    services.import_manual(actor=office, standard=draft, data=demo_manual_xlsx(MINORS), filename="m.xlsx")
    item = CheckItem.objects.filter(standard=draft, judgement=Judgement.OBSERVE).first()
    updated = services.update_check_item(check_item=item, actor=office, full_points=None, observations=None)
    assert updated.full_points is None and updated.observations is None  # 待核实 is allowed by hand
    with pytest.raises(DomainError, match="观察频次"):
        services.update_check_item(check_item=item, actor=office, judgement=Judgement.PASS_FAIL, observations=3)
    with pytest.raises(DomainError, match="未知测评方法"):
        services.update_clause(clause=item.clause, actor=office, methods="field,phone")


def as_the_city_formats_it(data: bytes) -> bytes:
    """The manual as a city's office formats it: a merged title row above the header, and 测评项目/测评内容/测评方法
    merged down their rows (only the first row of each run holds the value)."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    width = sheet.max_column
    sheet.insert_rows(1)  # first: openpyxl does not move merged ranges when rows are inserted
    sheet.cell(1, 1, "示范市全国文明城市测评操作手册（2026年版）")
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    names = ("测评项目编号", "测评项目", "测评项目分值", "测评内容编号", "测评内容", "测评方法")
    merge = [COL[name] + 1 for name in names]
    content = COL["测评内容编号"] + 1
    runs, start = [], 3
    for row in range(4, sheet.max_row + 2):
        if row > sheet.max_row or sheet.cell(row, content).value != sheet.cell(start, content).value:
            if row - 1 > start:
                runs.append((start, row - 1))
            start = row
    for first, last in runs:
        for column in merge:
            sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)
    assert runs and sheet.cell(first + 1, merge[0]).value is None  # merging emptied the rows below the first
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_manual_with_a_title_row_and_merged_cells_imports_as_the_plain_one(people, categories, draft):
    """Field condition: the office's own workbook has a title row and merged 测评项目/测评内容 cells; it failed with
    3 (title) and 138 (merged) errors before the header was searched for and merged ranges were filled."""
    plain = StandardFactory(kind=StandardKind.CIVILIZED_CITY, code="CIV-P", name="创文对照")
    formatted = as_the_city_formats_it(demo_manual_xlsx())
    counts = services.import_manual(actor=people["office"], standard=draft, data=formatted, filename="手册.xlsx")
    office = people["office"]
    expected = services.import_manual(actor=office, standard=plain, data=demo_manual_xlsx(), filename="m.xlsx")
    assert counts == expected and counts["items_created"] >= 75
    assert all(section.total == 0 for section in compare_versions(plain, draft).values())
