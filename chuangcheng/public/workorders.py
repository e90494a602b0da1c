"""12345 work-order rows: the platform's fields and the headers hotlines use for them, column
mapping, parsing and itemised validation (row, column, value, reason). Reads reference data (categories,
units) but never writes; the import itself is ``services.hotline``."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta

from django.utils import timezone
from openpyxl.utils.datetime import from_excel

from chuangcheng.core.tabular import ImportFailed, ImportReport, Table
from chuangcheng.org.models import Unit
from chuangcheng.places.models import SiteCategory

# Platform field -> label, required, and the headers hotlines commonly use for it (compared after
# ``header_key``: spaces, asterisks and 必填 marks removed).
FIELDS: dict[str, dict] = {
    "number": {
        "label": "工单编号",
        "required": True,
        "aliases": ("工单编号", "工单号", "编号", "工单编码", "受理编号", "工单流水号", "诉求编号"),
    },
    "received_at": {
        "label": "受理时间",
        "required": True,
        "aliases": ("受理时间", "来电时间", "登记时间", "创建时间", "受理日期", "来电日期", "诉求时间"),
    },
    "content": {
        "label": "诉求内容",
        "required": True,
        "aliases": ("诉求内容", "来电内容", "问题描述", "内容", "诉求描述", "诉求详情", "反映内容", "工单内容"),
    },
    "title": {"label": "标题", "required": False, "aliases": ("标题", "诉求标题", "主题", "工单标题")},
    "category": {
        "label": "诉求分类",
        "required": False,
        "aliases": ("诉求分类", "问题分类", "分类", "类别", "诉求类型", "问题类型", "事项分类"),
    },
    "address": {
        "label": "地址",
        "required": False,
        "aliases": ("地址", "事发地址", "诉求地址", "发生地点", "事发地点", "问题地址", "详细地址"),
    },
    "caller_name": {"label": "来电人", "required": False, "aliases": ("来电人", "诉求人", "姓名", "来电人姓名")},
    "caller_phone": {
        "label": "来电号码",
        "required": False,
        "aliases": ("来电号码", "联系电话", "电话", "联系方式", "手机号码", "来电人电话", "诉求人电话"),
    },
    "district": {"label": "所属区县", "required": False, "aliases": ("所属区县", "区县", "行政区", "所属区域")},
    "handler": {
        "label": "承办单位",
        "required": False,
        "aliases": ("承办单位", "办理单位", "转办单位", "责任单位", "主办单位", "处置单位"),
    },
    "deadline": {
        "label": "办理时限",
        "required": False,
        "aliases": ("办理时限", "办结时限", "时限", "截止时间", "办理期限", "办结期限", "要求办结时间"),
    },
    "urge": {"label": "催办", "required": False, "aliases": ("催办次数", "催办", "是否催办", "催单次数")},
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
    "urge_text",
)


def header_key(text: str) -> str:
    """A header as compared with the aliases: no spaces, asterisks, colons or 必填 marks."""
    text = "".join(str(text or "").split())
    for mark in ("（必填）", "(必填)", "*", "＊", ":", "："):
        text = text.replace(mark, "")
    return text.lower()


ALIAS_FIELDS = {header_key(alias): name for name, spec in FIELDS.items() for alias in spec["aliases"]}


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Each field's column: the first alias (in the field's order of preference) found among the headers."""
    present: dict[str, str] = {}
    for header in headers:
        if header:
            present.setdefault(header_key(header), header)
    mapping = {}
    for name, spec in FIELDS.items():
        for alias in spec["aliases"]:
            if header_key(alias) in present:
                mapping[name] = present[header_key(alias)]
                break
    return mapping


def header_score(cells) -> int:
    """How many platform fields a row's cells name (a header row names several)."""
    return len({ALIAS_FIELDS[key] for key in map(header_key, cells) if key in ALIAS_FIELDS})


# An Excel serial date (days since 1899-12-30) between 1950 and 2100; anything else is not a date.
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_DATE = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]*(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})(?:\.\d+)?)?秒?)?$"
)
_PHONE = re.compile(r"[0-9+* -]{7,30}")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$")


def _iso(text: str) -> datetime | None:
    """The common ISO form (``2026-05-01 08:30:00``, as date cells are read), without a regex."""
    if len(text) < 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _parse_datetime(text: str) -> datetime | None:
    """``2026-05-01 08:30``, ``2026/5/1 8:30:00``, ``2026年5月1日``, ``20260501``, or an Excel serial
    number (a date cell read without its format, e.g. ``46143.35``)."""
    text = text.strip()
    if not text:
        return None
    if "时" in text or "点" in text:  # 2026年5月1日 8时30分 / 8点30分
        text = re.sub("分(?=\\d)", ":", re.sub("[时点]", ":", text)).replace("分", "").replace("秒", "")
    value = _iso(text)
    if value is None and _SERIAL.match(text) and 18264 <= float(text) <= 73051:
        value = (from_excel(float(text)) + timedelta(milliseconds=500)).replace(microsecond=0)
    elif value is None:
        found = _DATE.match(text) or _COMPACT.match(text)
        if found is None:
            return None
        parts = [int(part) if part else 0 for part in found.groups()]
        try:
            value = datetime(*parts)
        except ValueError:
            return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _parse_date(text: str) -> date | None:
    moment = _parse_datetime(text)
    return moment.date() if moment else None


def is_phone(text: str) -> bool:
    """A phone number as hotlines export it: digits with ``-``, ``+`` or spaces, or masked
    (``191****8950``: kept masked, never used where the full number is needed)."""
    if _PHONE.fullmatch(text) is None:
        return False
    return len(text) - sum(text.count(mark) for mark in "-+ *") >= 4  # at least four digits


def urge_count(text: str) -> int:
    """How many times the hotline urged the order (催办): ``2``, ``2次``, ``催办2次``, or 是/已催办 (1)."""
    text = "".join(text.split())
    found = re.fullmatch(r"(?:催办|催单)?(\d{1,4})次?", text)
    if found:
        return int(found.group(1))
    if text in ("是", "Y", "y") or ("催" in text and not any(word in text for word in ("未", "否", "无"))):
        return 1
    return 0


class _Lookups:
    """Reference data for matching category and unit names, loaded once per validation."""

    def __init__(self):
        self.categories = {}
        for pk, code, name in SiteCategory.objects.values_list("pk", "code", "name"):
            self.categories[code] = pk
            self.categories[name] = pk
        # A hotline's 诉求类型 is often a path (城市管理/市容环境/暴露垃圾): the longest category name in it.
        self.names = sorted((n for n in self.categories if len(n) >= 2), key=len, reverse=True)
        self.units = {}
        for pk, name, short in Unit.objects.filter(is_active=True).values_list("pk", "name", "short_name"):
            self.units.setdefault(name, pk)
            if short:
                self.units.setdefault(short, pk)

    def category(self, text: str) -> int | None:
        if not text:
            return None
        if text not in self.categories:
            found = next((name for name in self.names if name in text), None)
            self.categories[text] = self.categories[found] if found else None
        return self.categories[text]


def _row_values(
    row: dict, mapping: dict, label: dict, lookups: _Lookups, number: int, report: ImportReport
) -> dict | None:
    def cell(name: str) -> str:
        column = mapping.get(name)
        text = (row.get(column) or "").strip() if column else ""
        if name != "content" and ("  " in text or "\n" in text or "\t" in text or "\r" in text):
            text = " ".join(text.split())  # one line: runs of spaces and line breaks become one space
        return text

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
    if phone and not is_phone(phone):
        report.add(number, label["caller_phone"], phone, "电话号码格式不正确（可为带 * 的脱敏号码）")
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
        category_id=lookups.category(category_text),
        address=cell("address")[:200],
        caller_name=cell("caller_name")[:50],
        caller_phone=phone[:30],
        district_text=cell("district")[:60],
        handler_text=handler[:100],
        unit_id=lookups.units.get(handler),
        urge_text=cell("urge")[:40],
    )
    return values if ok else None


# Fields added after orders were first stored enter the hash only when filled, so that re-importing an
# old file does not mark every order as changed.
_LATER_FIELDS = ("urge_text",)


_FIRST_FIELDS = tuple(name for name in ORDER_FIELDS if name not in _LATER_FIELDS)


def _hash(values: dict) -> str:
    names = _FIRST_FIELDS + tuple(name for name in _LATER_FIELDS if values.get(name))
    joined = "\x1f".join("" if values.get(name) is None else str(values.get(name)) for name in names)
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
