"""文明单位 xlsx import (all-or-nothing, itemised Chinese errors) and export."""

import io

import pytest
from openpyxl import load_workbook

from chuangcheng.audit.models import AuditEvent
from chuangcheng.civility import services
from chuangcheng.civility.models import CivilizedUnit
from chuangcheng.civility.services.imports import EXPORT_COLUMNS, IMPORT_COLUMNS
from chuangcheng.civility.tests.factories import CivilizedUnitFactory, ReviewFactory
from chuangcheng.core.tabular import ImportFailed, write_xlsx

pytestmark = pytest.mark.django_db


def sheet(rows, headers=IMPORT_COLUMNS) -> bytes:
    return write_xlsx(title="文明单位", headers=headers, rows=rows)


def test_import_creates_every_row_and_one_audit_event(world):
    data = sheet(
        [
            ["", "DEPT-WJ", "", "省级", "2021", "有效", ""],
            ["某银行分行", "", "D01", "市级", "2022", "", "外部组织"],
        ]
    )
    created = services.import_civilized_units(actor=world["admin"], data=data, filename="文明单位.xlsx")
    assert len(created) == 2
    assert CivilizedUnit.objects.get(name="市卫健委").unit == world["hospital"]
    assert CivilizedUnit.objects.get(name="某银行分行").org_unit is None
    assert AuditEvent.objects.get(verb="civility.units_imported").changes["created"] == [0, 2]


def test_import_is_all_or_nothing_with_an_itemised_report(world):
    CivilizedUnitFactory(name="市图书馆", level="municipal", unit=world["east"])
    data = sheet(
        [
            ["好单位", "", "D01", "市级", "2022", "", ""],
            ["", "", "", "市级", "2022", "", ""],
            ["坏级别", "", "D01", "区级", "2022", "", ""],
            ["坏年份", "", "D01", "县级", "22", "", ""],
            ["市图书馆", "", "D01", "市级", "2020", "", ""],
            ["未知单位", "", "NOPE", "市级", "2020", "", ""],
            ["好单位", "", "D02", "市级", "2022", "", ""],
            ["撤销的", "", "D01", "市级", "2020", "撤销", ""],
        ]
    )
    with pytest.raises(ImportFailed) as error:
        services.import_civilized_units(actor=world["admin"], data=data, filename="x.xlsx")
    issues = {(i.row, i.column): i.reason for i in error.value.report.issues}
    assert "必填" in issues[(3, "文明单位名称")] and "必填" in issues[(3, "管理单位编码")]
    assert "全国、省级、市级或县级" in issues[(4, "级别")]
    assert "四位年份" in issues[(5, "命名年度")]
    assert "已登记" in issues[(6, "文明单位名称")]
    assert "不存在" in issues[(7, "管理单位编码")]
    assert "与第2行重复" in issues[(8, "文明单位名称")]
    assert "在系统中办理" in issues[(9, "状态")]
    assert "未导入任何数据" in error.value.message
    assert CivilizedUnit.objects.count() == 1


def test_import_refuses_missing_columns_and_non_office(world):
    with pytest.raises(ImportFailed) as error:
        services.import_civilized_units(actor=world["admin"], data=sheet([["甲"]], headers=["文明单位名称"]))
    assert {i.column for i in error.value.report.issues} == {"级别", "命名年度"}
    with pytest.raises(ImportFailed) as error:
        services.import_civilized_units(actor=world["east_head"], data=sheet([["甲", "", "D01", "市级", "2022"]]))
    assert "只有创建办" in error.value.report.issues[0].reason


def test_import_refuses_a_file_that_is_not_a_sheet(world):
    with pytest.raises(ImportFailed):
        services.import_civilized_units(actor=world["admin"], data=b"\x00\x01binary", filename="x.xlsx")


def test_export_rows_carry_status_and_latest_review(world):
    honour = CivilizedUnitFactory(name="市图书馆", unit=world["east"], status="warned", warning_reason="门前脏乱")
    ReviewFactory(civilized_unit=honour, year=2024)
    ReviewFactory(civilized_unit=honour, year=2025, result="warning", reasons="x")
    rows = services.export_rows(CivilizedUnit.objects.all())
    record = dict(zip(EXPORT_COLUMNS, rows[0], strict=True))
    assert (record["状态"], record["警示原因"], record["最近复查年度"], record["最近复查结果"]) == (
        "警示",
        "门前脏乱",
        2025,
        "警示",
    )
    book = load_workbook(io.BytesIO(write_xlsx(title="文明单位", headers=EXPORT_COLUMNS, rows=rows)))
    assert book.active["A2"].value == "市图书馆"
