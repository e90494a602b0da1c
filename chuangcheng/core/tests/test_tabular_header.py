"""core.tabular: the header found below a title row by the expected names, and Excel date cells."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from chuangcheng.core.tabular import ImportFailed, cell_date, find_header_row, read_table


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_header_below_a_title_row_is_found_and_rows_keep_sheet_numbers():
    data = _xlsx(
        [["某区志愿者花名册（导出）"], [], ["序号", "姓名", "手机号"], [1, "张三", "13800000001"], [2, "李四", ""]]
    )
    table = read_table(data, required=("姓名",), header_hint=("姓名", "手机号", "身份证号"))
    assert table.headers == ["序号", "姓名", "手机号"]
    assert [row["姓名"] for row in table.rows] == ["张三", "李四"]
    assert table.row_numbers == [4, 5]


def test_without_hint_the_first_non_blank_row_is_the_header_as_before():
    table = read_table(_xlsx([["标题"], ["姓名"], ["张三"]]))
    assert table.headers == ["标题"]
    assert table.row_numbers == [2, 3]


def test_missing_required_column_names_the_header_row():
    with pytest.raises(ImportFailed) as caught:
        read_table(
            _xlsx([["标题"], ["姓名", "手机号"], ["张三", "1"]]), required=("身份证号",), header_hint=("姓名", "手机号")
        )
    issue = caught.value.report.issues[0]
    assert (issue.row, issue.column, issue.reason) == (2, "身份证号", "缺少必填列")


def test_find_header_row_falls_back_to_the_first_non_blank_row():
    assert find_header_row([[""], ["a", "b"], ["姓名"]], ("姓名", "手机号")) == 1


def test_date_cells_read_as_iso_dates():
    table = read_table(_xlsx([["姓名", "注册日期"], ["张三", datetime(2025, 3, 8)]]))
    assert table.rows[0]["注册日期"] == "2025-03-08"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-03-08", date(2025, 3, 8)),
        ("2025/3/8", date(2025, 3, 8)),
        ("2025年3月8日", date(2025, 3, 8)),
        ("20250308", date(2025, 3, 8)),
        ("45724", date(2025, 3, 8)),
        ("2025-02-30", None),
        ("明天", None),
        ("", None),
    ],
)
def test_cell_date(text, expected):
    assert cell_date(text) == expected


def test_merged_cells_read_as_the_sheet_shows_them():
    """Exports of other systems merge a value down its rows (a street over its orders) or across (a title):
    every cell of a merged range reads the top-left value; cells outside stay as they are."""
    import io

    from openpyxl import Workbook

    from chuangcheng.core.tabular import read_table

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["某区12345工单导出"])
    sheet.append(["街道", "工单编号", "备注"])
    sheet.append(["相南街道", "A1", "甲"])
    sheet.append([None, "A2", None])
    sheet.append([None, "A3", "丙"])
    sheet.append(["东山街道", "B1", None])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("A3:A5")
    out = io.BytesIO()
    workbook.save(out)
    table = read_table(out.getvalue(), filename="x.xlsx", header_hint=("街道", "工单编号", "备注"))
    assert [(row["街道"], row["工单编号"], row["备注"]) for row in table.rows] == [
        ("相南街道", "A1", "甲"),
        ("相南街道", "A2", ""),
        ("相南街道", "A3", "丙"),
        ("东山街道", "B1", ""),
    ]
    assert table.row_numbers == [3, 4, 5, 6]
