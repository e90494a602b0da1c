"""12345 work-order rows: the platform's fields and the headers hotlines use for them, column
mapping, parsing and itemised validation (row, column, value, reason). Reads reference data (categories,
units) but never writes; the import itself is ``services.hotline``."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from django.utils import timezone

from chuangcheng.core.tabular import XLSX_SIGNATURE, ImportFailed, ImportReport, Table, read_table
from chuangcheng.org.models import Unit
from chuangcheng.places.models import SiteCategory

# Platform field -> label, required, and the headers hotlines commonly use for it.
FIELDS: dict[str, dict] = {
    "number": {
        "label": "工单编号",
        "required": True,
        "aliases": ("工单编号", "工单号", "编号", "工单编码", "受理编号"),
    },
    "received_at": {"label": "受理时间", "required": True, "aliases": ("受理时间", "来电时间", "登记时间", "创建时间")},
    "content": {
        "label": "诉求内容",
        "required": True,
        "aliases": ("诉求内容", "来电内容", "问题描述", "内容", "诉求描述"),
    },
    "title": {"label": "标题", "required": False, "aliases": ("标题", "诉求标题", "主题")},
    "category": {"label": "诉求分类", "required": False, "aliases": ("诉求分类", "问题分类", "分类", "类别")},
    "address": {"label": "地址", "required": False, "aliases": ("地址", "事发地址", "诉求地址", "发生地点")},
    "caller_name": {"label": "来电人", "required": False, "aliases": ("来电人", "诉求人", "姓名", "来电人姓名")},
    "caller_phone": {"label": "来电号码", "required": False, "aliases": ("来电号码", "联系电话", "电话", "联系方式")},
    "district": {"label": "所属区县", "required": False, "aliases": ("所属区县", "区县", "行政区", "所属区域")},
    "handler": {"label": "承办单位", "required": False, "aliases": ("承办单位", "办理单位", "转办单位", "责任单位")},
    "deadline": {"label": "办理时限", "required": False, "aliases": ("办理时限", "办结时限", "时限", "截止时间")},
    "lng": {"label": "经度", "required": False, "aliases": ("经度", "lng", "longitude")},
    "lat": {"label": "纬度", "required": False, "aliases": ("纬度", "lat", "latitude")},
}
ORDER_FIELDS = (
    "received_at",
    "title",
    "content",
    "category_text",
    "category_id",
    "address",
    "lng",
    "lat",
    "caller_name",
    "caller_phone",
    "district_text",
    "handler_text",
    "unit_id",
    "deadline",
)


def guess_mapping(headers: list[str]) -> dict[str, str]:
    present = {h.strip(): h for h in headers if h}
    mapping = {}
    for name, spec in FIELDS.items():
        for alias in spec["aliases"]:
            if alias in present:
                mapping[name] = present[alias]
                break
    return mapping


def read_headers(data: bytes, *, filename: str = "") -> list[str]:
    """Only the header row (the whole file is read once, at preview or import)."""
    if data.startswith(XLSX_SIGNATURE):
        table = read_table(data, filename=filename)
        return table.headers
    head = data[:65536]
    cut = head.find(b"\n")
    first = head if cut < 0 else head[:cut]
    return read_table(first + b"\n", filename=filename).headers


def _parse_datetime(text: str) -> datetime | None:
    text = text.strip().replace("/", "-").replace("T", " ")
    if not text:
        return None
    for candidate in (text, text[:19], text[:16] + ":00" if len(text) == 16 else text):
        try:
            value = datetime.fromisoformat(candidate)
            break
        except ValueError:
            continue
    else:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _parse_date(text: str) -> date | None:
    moment = _parse_datetime(text)
    return moment.date() if moment else None


class _Lookups:
    """Reference data for matching category and unit names, loaded once per validation."""

    def __init__(self):
        self.categories = {}
        for pk, code, name in SiteCategory.objects.values_list("pk", "code", "name"):
            self.categories[code] = pk
            self.categories[name] = pk
        self.units = {}
        for pk, name, short in Unit.objects.filter(is_active=True).values_list("pk", "name", "short_name"):
            self.units.setdefault(name, pk)
            if short:
                self.units.setdefault(short, pk)


def _row_values(
    row: dict, mapping: dict, label: dict, lookups: _Lookups, number: int, report: ImportReport
) -> dict | None:
    def cell(name: str) -> str:
        column = mapping.get(name)
        return (row.get(column) or "").strip() if column else ""

    values: dict = {"number": cell("number")}
    ok = True
    if not values["number"]:
        report.add(number, label["number"], "", "不能为空")
        ok = False
    elif len(values["number"]) > 40:
        report.add(number, label["number"], values["number"], "不能超过 40 个字符")
        ok = False
    raw_received = cell("received_at")
    values["received_at"] = _parse_datetime(raw_received)
    if values["received_at"] is None:
        report.add(number, label["received_at"], raw_received, "不能为空，格式如 2026-05-01 08:30")
        ok = False
    values["content"] = cell("content")
    if not values["content"]:
        report.add(number, label["content"], "", "不能为空")
        ok = False
    elif len(values["content"]) > 4000:
        report.add(number, label["content"], values["content"][:20] + "…", "不能超过 4000 字")
        ok = False
    phone = cell("caller_phone")
    if phone and not (7 <= len(phone) <= 30 and all(c.isdigit() or c in "-+ " for c in phone)):
        report.add(number, label["caller_phone"], phone, "电话号码格式不正确")
        ok = False
    raw_deadline = cell("deadline")
    values["deadline"] = _parse_date(raw_deadline) if raw_deadline else None
    if raw_deadline and values["deadline"] is None:
        report.add(number, label["deadline"], raw_deadline, "日期格式不正确，如 2026-05-10")
        ok = False
    for name, low, high in (("lng", -180, 180), ("lat", -90, 90)):
        raw = cell(name)
        values[name] = None
        if raw:
            try:
                values[name] = float(raw)
                if not low <= values[name] <= high:
                    raise ValueError
            except ValueError:
                report.add(number, label[name], raw, f"须为 {low} 到 {high} 之间的数字")
                ok = False
    if (values["lng"] is None) != (values["lat"] is None):
        report.add(number, label["lat"], "", "经度和纬度须同时填写")
        ok = False
    category_text, handler = cell("category"), cell("handler")
    values.update(
        title=cell("title")[:200],
        category_text=category_text[:100],
        category_id=lookups.categories.get(category_text),
        address=cell("address")[:200],
        caller_name=cell("caller_name")[:50],
        caller_phone=phone[:30],
        district_text=cell("district")[:60],
        handler_text=handler[:100],
        unit_id=lookups.units.get(handler),
    )
    return values if ok else None


def _hash(values: dict) -> str:
    joined = "\x1f".join("" if values.get(name) is None else str(values.get(name)) for name in ORDER_FIELDS)
    return hashlib.sha256(joined.encode()).hexdigest()


def _check_mapping(mapping: dict, headers: list[str]) -> dict:
    mapping = {name: column for name, column in (mapping or {}).items() if name in FIELDS and column}
    report = ImportReport()
    for name, spec in FIELDS.items():
        if spec["required"] and not mapping.get(name):
            report.add(None, spec["label"], "", "必填字段未对应到文件中的列")
        elif mapping.get(name) and mapping[name] not in headers:
            report.add(None, spec["label"], mapping[name], "文件中没有这一列")
    used = [column for column in mapping.values()]
    for column in {c for c in used if used.count(c) > 1}:
        report.add(None, column, "", "同一列对应了多个字段")
    if not report.ok:
        raise ImportFailed(report)
    return mapping


def validate(table: Table, mapping: dict) -> tuple[list[dict], ImportReport]:
    """Every row checked; returns the typed rows and the report (row numbers are the sheet's)."""
    mapping = _check_mapping(mapping, table.headers)
    lookups, report = _Lookups(), ImportReport()
    label = {name: mapping.get(name) or FIELDS[name]["label"] for name in FIELDS}
    rows, seen = [], {}
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        values = _row_values(row, mapping, label, lookups, number, report)
        if values is None:
            continue
        if values["number"] in seen:
            report.add(number, mapping["number"], values["number"], f"工单编号与第{seen[values['number']]}行重复")
            continue
        seen[values["number"]] = number
        values["row_hash"] = _hash(values)
        values["row_number"] = number
        rows.append(values)
    return rows, report
