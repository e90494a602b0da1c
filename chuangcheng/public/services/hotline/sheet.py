"""Reading a 12345 export as it really comes: a title row merged across the columns, blank rows,
the header on row 2–5 (found by the platform's field names, or picked by the person), merged cells
in the data, Excel dates (date cells or bare serial numbers) and stray control characters.

Pure reading, no database: ``read_sheet`` gives every row as cleaned text, ``find_header`` the row
that names the most platform fields, and ``to_table`` the rows under a chosen header.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

from openpyxl.utils.cell import range_boundaries

from chuangcheng.core.tabular import XLSX_SIGNATURE, ImportFailed, ImportReport, Table, decode_csv, open_xlsx
from chuangcheng.public.workorders import header_score

HEAD_SCAN = 12  # rows shown to the person to pick the header from (and searched for it)
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # the old binary .xls
# C0 controls other than tab and line breaks, DEL, C1 controls, zero-width characters and the BOM.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


@dataclass
class Sheet:
    rows: list[list[str]]  # every sheet row from row 1, as cleaned text (blank rows kept, as [])


def clean(text: str) -> str:
    """Text without control characters (tab and line breaks kept), ``_x000D_``-style escapes undone."""
    if "_x" in text:
        text = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)
    return _CONTROL.sub("", text)


def cell_text(value) -> str:
    """A cell as text; datetimes in ISO form (``2026-05-01 08:30:00``) so dates survive as dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value)).strip()


def _merged_ranges(data: bytes, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """``(min_col, min_row, max_col, max_row)`` of the sheet's merged cells (read-only openpyxl has none)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            xml = archive.read(sheet_path.lstrip("/"))
        except KeyError:
            return []
    return [range_boundaries(ref.decode()) for ref in _MERGE.findall(xml)]


def _fill_merged(rows: list[list[str]], ranges) -> None:
    """A merged cell's value fills every row it spans (a 承办单位 merged down five orders belongs to
    each of them). Merges within one row (a title across the columns) are left as they are."""
    for min_col, min_row, max_col, max_row in ranges:
        if max_row == min_row or min_row > len(rows):
            continue
        top = rows[min_row - 1]
        values = [top[c - 1] if c - 1 < len(top) else "" for c in range(min_col, max_col + 1)]
        for number in range(min_row + 1, min(max_row, len(rows)) + 1):
            row = rows[number - 1]
            if len(row) < max_col:
                row.extend([""] * (max_col - len(row)))
            for offset, value in enumerate(values):
                if not row[min_col - 1 + offset]:
                    row[min_col - 1 + offset] = value


def _read_xlsx(data: bytes, filename: str, max_row: int | None = None) -> list[list[str]]:
    workbook = open_xlsx(data, filename=filename)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # exporters often write a wrong used range; read what is there
        rows = [[cell_text(value) for value in row] for row in sheet.iter_rows(max_row=max_row, values_only=True)]
        path = getattr(sheet, "_worksheet_path", "")
    finally:
        workbook.close()
    if path:
        _fill_merged(rows, _merged_ranges(data, path))
    return rows


def _read_csv(data: bytes, filename: str) -> list[list[str]]:
    report = ImportReport()
    if data.startswith(OLE_SIGNATURE):
        report.add(None, "文件", filename, "这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 后上传")
        raise ImportFailed(report)
    text = _CONTROL.sub("", decode_csv(data, filename=filename))  # one pass over the file rather than one per cell
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def read_sheet(data: bytes, *, filename: str = "", head_only: bool = False) -> Sheet:
    """The first sheet of an xlsx file, or a UTF-8/GBK CSV, judged by content. ``head_only``: only the
    first rows (enough to find the header at upload; the whole file is read at preview and import)."""
    if data.startswith(XLSX_SIGNATURE):
        rows = _read_xlsx(data, filename, max_row=HEAD_SCAN * 3 if head_only else None)
    else:
        if head_only and len(data) > 65536:
            cut = data.rfind(b"\n", 0, 65536)
            data = data[: cut + 1] if cut > 0 else data
        rows = _read_csv(data, filename)
    if not any(any(row) for row in rows):
        report = ImportReport()
        report.add(None, "文件", filename, "文件为空，没有表头")
        raise ImportFailed(report)
    return Sheet(rows=rows)


def find_header(sheet: Sheet) -> int:
    """The 1-based row of the header: among the first non-blank rows, the one naming the most platform
    fields (at least two), else the first non-blank row (the person maps its columns by hand)."""
    best, best_score, first = 0, 1, 0
    for number, row in enumerate(sheet.rows[: HEAD_SCAN * 3], start=1):
        if not any(row):
            continue
        first = first or number
        score = header_score(row)
        if score > best_score:
            best, best_score = number, score
    return best or first


def head_rows(sheet: Sheet) -> list[dict]:
    """The first non-blank rows, shortened, for the header picker: ``[{"row": 3, "cells": [...]}]``."""
    found = []
    for number, row in enumerate(sheet.rows, start=1):
        if any(row):
            found.append({"row": number, "cells": [cell[:24] for cell in row[:16]]})
        if len(found) >= HEAD_SCAN:
            break
    return found


def headers_at(sheet: Sheet, header_row: int) -> list[str]:
    """The header's names, each cell's whitespace collapsed; a repeated name gets ``（2）``, ``（3）``."""
    if not 1 <= header_row <= len(sheet.rows) or not any(sheet.rows[header_row - 1]):
        report = ImportReport()
        report.add(header_row, "表头所在行", str(header_row), "这一行是空行或超出文件范围")
        raise ImportFailed(report)
    headers, seen = [], {}
    for cell in sheet.rows[header_row - 1]:
        name = " ".join(cell.split())
        if name:
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name}（{seen[name]}）"
        headers.append(name)
    return headers


FOOTER_WORDS = ("合计", "总计", "共", "制表", "导出", "打印", "审核", "说明", "备注")


def _is_footer(row: list[str]) -> bool:
    filled = [cell for cell in row if cell]
    return not filled or (len(filled) == 1 and any(word in filled[0] for word in FOOTER_WORDS))


def to_table(sheet: Sheet, header_row: int) -> Table:
    """The rows under the header as dicts keyed by header name, blank rows skipped; trailing rows with a
    single filled cell (``共 120 条``, ``制表：……``) are the export's footer and skipped too."""
    headers = headers_at(sheet, header_row)
    body = list(enumerate(sheet.rows[header_row:], start=header_row + 1))
    while body and _is_footer(body[-1][1]):
        body.pop()
    rows, numbers = [], []
    for number, raw in body:
        if not any(raw):
            continue
        padded = list(raw) + [""] * (len(headers) - len(raw))
        rows.append({header: padded[i] for i, header in enumerate(headers) if header})
        numbers.append(number)
    return Table(headers=headers, rows=rows, row_numbers=numbers)
