"""Reading and writing spreadsheets for imports and exports (xlsx and CSV).

Imports are all-or-nothing: readers collect every problem into an
``ImportReport`` (row, column, value, reason, in Chinese) and the service
raises ``ImportFailed`` before writing anything if the report has errors.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries

from chuangcheng.core.errors import DomainError
from chuangcheng.core.text import strip_control, xlsx_row


@dataclass
class ImportIssue:
    row: int | None
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        return f"{where}「{self.column}」{('值“' + self.value + '”') if self.value else ''}：{self.reason}"


@dataclass
class ImportReport:
    issues: list[ImportIssue] = field(default_factory=list)

    def add(self, row: int | None, column: str, value, reason: str) -> None:
        self.issues.append(ImportIssue(row, column, "" if value is None else str(value), reason))

    @property
    def ok(self) -> bool:
        return not self.issues

    def as_list(self) -> list[dict]:
        return [issue.as_dict() for issue in self.issues]


class ImportFailed(DomainError):
    """The import was rejected whole; ``report`` lists every problem found."""

    code = "import_failed"

    def __init__(self, report: ImportReport):
        count = len(report.issues)
        super().__init__(f"导入失败：发现{count}处错误，未导入任何数据", field="file")
        self.report = report

    def as_dict(self) -> dict:
        return {"detail": self.message, "code": self.code, "field": "file", "errors": self.report.as_list()}


@dataclass
class Table:
    """Rows of a sheet as dicts keyed by header; ``row_numbers`` are 1-based sheet rows."""

    headers: list[str]
    rows: list[dict[str, str]]
    row_numbers: list[int]


XLSX_SIGNATURE = b"PK\x03\x04"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return strip_control(str(value)).strip()


def open_xlsx(data: bytes, *, filename: str = ""):
    """A read-only workbook (cached values, not formulas); ``ImportFailed`` when it is no valid .xlsx."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise zipfile.BadZipFile
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        report = ImportReport()
        report.add(None, "文件", filename, "不是有效的 Excel（.xlsx）文件")
        raise ImportFailed(report) from None


MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


def merged_ranges(data: bytes, sheet) -> list[tuple[int, int, int, int]]:
    """The merged ranges of a read-only ``sheet`` as (min_col, min_row, max_col, max_row), 1-based: read-only
    workbooks do not expose them, so the sheet's XML is scanned for ``<mergeCell ref=…>`` in 1 MiB chunks."""
    path = getattr(sheet, "_worksheet_path", None)
    if not path:
        return []
    found: list[bytes] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(path) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            found += [m.group(1) for m in MERGE_REF.finditer(window) if m.end() > len(tail)]
            tail = window[-200:]
    return [range_boundaries(ref.decode()) for ref in dict.fromkeys(found)]


def fill_merged(rows: list[list[str]], ranges) -> None:
    """Give every cell of a merged range its top-left value, as the sheet shows it (a 测评项目 merged down its
    rows, a unit merged over its orders): the other cells of a merged range are stored empty."""
    for min_col, min_row, max_col, max_row in ranges:
        if min_row > len(rows):
            continue
        top = rows[min_row - 1]
        value = top[min_col - 1] if min_col - 1 < len(top) else ""
        for number in range(min_row, min(max_row, len(rows)) + 1):
            row = rows[number - 1]
            if len(row) < max_col:
                row.extend([""] * (max_col - len(row)))
            for column in range(min_col, max_col + 1):
                if not row[column - 1]:
                    row[column - 1] = value


def decode_csv(data: bytes, *, filename: str = "") -> str:
    """The text of a CSV file as Excel and WPS save it (UTF-8 with or without BOM, or GBK/GB18030).

    Raises ``ImportFailed`` when it is neither, or holds NUL bytes (a binary file renamed .csv).
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
        break
    report = ImportReport()
    report.add(None, "文件", filename, "文件类型错误：请上传 .xlsx 或 .csv 文件")
    raise ImportFailed(report)


HEADER_SCAN = 10  # non-blank rows searched for the header when ``header_hint`` is given


def find_header_row(rows: Sequence[Sequence[str]], names: Sequence[str]) -> int:
    """The index of the header among the first non-blank rows: the row naming the most of ``names`` (at least
    two; a title row merged across the columns names none), else the first non-blank row."""
    wanted = {name.replace("*", "").strip() for name in names}
    best, best_score, first, seen = None, 1, None, 0
    for index, row in enumerate(rows):
        if not any(row):
            continue
        first = index if first is None else first
        score = len(wanted.intersection(cell.replace("*", "").strip() for cell in row))
        if score > best_score:
            best, best_score = index, score
        seen += 1
        if seen >= HEADER_SCAN:
            break
    return best if best is not None else (first or 0)


# An Excel serial date (days since 1899-12-30) between 1950 and 2100, as a date cell without its format reads.
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def cell_date(text: str) -> date | None:
    """A date cell as read by ``read_table``: ``2026-05-01`` (date cells), ``2026/5/1``, ``2026年5月1日``,
    ``20260501`` or an Excel serial number (``46143``); None when it is none of these or no real date."""
    text = (text or "").strip()
    if _SERIAL.match(text) and 18264 <= float(text) <= 73051:
        return date(1899, 12, 30) + timedelta(days=int(float(text)))
    found = _DATE.match(text) or _COMPACT.match(text)
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def read_table(
    data: bytes, *, filename: str = "", required: Sequence[str] = (), header_hint: Sequence[str] = ()
) -> Table:
    """Read the first sheet of an xlsx file, or a UTF-8/GBK CSV, judged by content.

    The header is the first non-blank row or, with ``header_hint`` (the expected column names), the row among
    the first ten non-blank ones naming the most of them (title rows above it are skipped). Row numbers are
    the sheet's. Raises ``ImportFailed`` for an unreadable file or missing required columns.
    """
    report = ImportReport()
    if data.startswith(XLSX_SIGNATURE):
        workbook = open_xlsx(data, filename=filename)
        sheet = workbook.worksheets[0]
        raw_rows = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        fill_merged(raw_rows, merged_ranges(data, sheet))
        workbook.close()
    else:
        text = decode_csv(data, filename=filename)
        raw_rows = [[strip_control(cell).strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    if header_hint:
        start = find_header_row(raw_rows, header_hint)
        header_number = start + 1
    else:
        while raw_rows and not any(raw_rows[0]):
            raw_rows.pop(0)
        start, header_number = 0, 1
    if not raw_rows or not any(raw_rows[start]):
        report.add(None, "文件", filename, "文件为空，没有表头")
        raise ImportFailed(report)
    headers = [h.strip() for h in raw_rows[start]]
    for column in required:
        if column not in headers:
            report.add(header_number, column, "", "缺少必填列")
    if not report.ok:
        raise ImportFailed(report)
    rows, numbers = [], []
    for index, raw in enumerate(raw_rows[start + 1 :], start=header_number + 1):
        if not any(raw):
            continue
        padded = list(raw) + [""] * (len(headers) - len(raw))
        rows.append({header: padded[i] for i, header in enumerate(headers) if header})
        numbers.append(index)
    return Table(headers=headers, rows=rows, row_numbers=numbers)


def write_xlsx(
    *, title: str, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] | None = None
) -> bytes:
    """A one-sheet workbook with a bold, frozen header row; returns the file's bytes.

    Text is written as text: characters a worksheet cannot hold are dropped (``core.text.xml_safe``) and a
    value starting with ``=`` stays a string, never a formula.
    """
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for index, _ in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in rows:
        sheet.append(xlsx_row(row))
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths and index - 1 < len(widths) else max(10, len(str(header)) * 2 + 4)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
