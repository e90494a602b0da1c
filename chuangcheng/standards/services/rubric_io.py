"""A rubric as one flat sheet: export, and all-or-nothing import into a draft."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from chuangcheng.audit.services import record
from chuangcheng.core.tabular import ImportFailed, ImportReport, read_table
from chuangcheng.places.models import SiteCategory
from chuangcheng.standards.builtin.categories import ALIASES, SEPARATOR, split_names
from chuangcheng.standards.models import UNKNOWN, CheckItem, Clause, ClauseLevel, Severity, Standard
from chuangcheng.standards.services.builtin import categories_for_names
from chuangcheng.standards.services.common import lock_draft, require_editor

RUBRIC_COLUMNS = (
    "条款编号",
    "条款",
    "检查项编码",
    "检查项",
    "适用点位类别",
    "扣分",
    "单点封顶",
    "严重程度",
    "负面清单",
    "一票否决",
    "整改时限(工作日)",
    "责任部门类型",
    "示例",
    "来源",
)
REQUIRED = ("条款编号", "条款")
YES, NO = ("是", "y", "yes", "true", "1", "√"), ("否", "", "n", "no", "false", "0")
SEVERITY_BY_LABEL = {label: value for value, label in Severity.choices} | {v: v for v in Severity.values}


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _number(value) -> str:
    return UNKNOWN if value is None else format(value.normalize(), "f")


def export_rubric_rows(standard: Standard) -> list[list]:
    """One row per check item, plus one row per clause without items (so the tree survives)."""
    rows: list[list] = []
    items = (
        CheckItem.objects.filter(standard=standard)
        .select_related("clause")
        .prefetch_related("site_categories")
        .order_by("clause__sort_order", "sort_order", "id")
    )
    by_clause: dict[int | None, list[CheckItem]] = {}
    for item in items:
        by_clause.setdefault(item.clause_id, []).append(item)
    for clause in Clause.objects.filter(standard=standard).order_by("sort_order", "id"):
        clause_cells = [clause.number, clause.title]
        for item in by_clause.pop(clause.pk, []) or [None]:
            rows.append(clause_cells + _item_cells(item))
    for item in by_clause.pop(None, []):
        rows.append(["", ""] + _item_cells(item))
    return rows


def _item_cells(item: CheckItem | None) -> list:
    if item is None:
        return [""] * (len(RUBRIC_COLUMNS) - 2)
    names = SEPARATOR.join(c.name for c in item.site_categories.all()) or item.site_category_names
    return [
        item.code,
        item.title,
        names,
        _number(item.points),
        "" if item.cap_per_site is None else _number(item.cap_per_site),
        item.get_severity_display(),
        _yes(item.is_negative_list),
        _yes(item.is_veto),
        "" if item.deadline_days is None else item.deadline_days,
        item.department_kind,
        _yes(item.is_sample),
        item.source,
    ]


def catalog_names() -> set[str]:
    """Every spelling of a site category an import accepts: names, codes and the facts' aliases."""
    catalog = list(SiteCategory.objects.all())
    names = {c.name for c in catalog} | {c.code for c in catalog}
    return names | {alias for alias, codes in ALIASES.items() if any(c.code in codes for c in catalog)}


def _parse_bool(report: ImportReport, row: int, column: str, value: str) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text not in NO:
        report.add(row, column, value, "请填写“是”或“否”")
    return False


def _parse_decimal(report: ImportReport, row: int, column: str, value: str) -> Decimal | None:
    text = value.strip()
    if text in ("", UNKNOWN):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        report.add(row, column, value, "不是有效数字（未知请留空或填“待核实”）")
        return None
    if number < 0 or number >= Decimal("10000"):
        report.add(row, column, value, "分值应在 0 到 9999 之间")
        return None
    return number


def _parse_row(report: ImportReport, row: int, data: dict, catalog_names: set[str]) -> dict | None:
    number, title = data.get("条款编号", "").strip(), data.get("条款", "").strip()
    code = data.get("检查项编码", "").strip()
    if not number and not code:
        report.add(row, "条款编号", "", "条款编号和检查项编码至少填写一项")
        return None
    if number and not title:
        report.add(row, "条款", "", "填写了条款编号时条款名称不能为空")
    parsed = {"row": row, "clause_number": number, "clause_title": title, "code": code}
    if not code:
        return parsed
    item_title = data.get("检查项", "").strip()
    if not item_title:
        report.add(row, "检查项", "", "填写了检查项编码时检查项不能为空")
    severity_text = data.get("严重程度", "").strip() or "一般"
    severity = SEVERITY_BY_LABEL.get(severity_text)
    if severity is None:
        report.add(row, "严重程度", severity_text, "应为“轻微”“一般”或“严重”")
    deadline_text = data.get("整改时限(工作日)", "").strip()
    deadline = None
    if deadline_text and deadline_text != UNKNOWN:
        if not deadline_text.isdigit() or int(deadline_text) > 365:
            report.add(row, "整改时限(工作日)", deadline_text, "应为 0~365 的整数（工作日）")
        else:
            deadline = int(deadline_text)
    names = split_names(data.get("适用点位类别", ""))
    for name in names:
        if name not in catalog_names:
            report.add(row, "适用点位类别", name, "未知点位类别（请先在点位类别中维护）")
    parsed.update(
        title=item_title,
        site_category_names=SEPARATOR.join(names),
        points=_parse_decimal(report, row, "扣分", data.get("扣分", "")),
        cap_per_site=_parse_decimal(report, row, "单点封顶", data.get("单点封顶", "")),
        severity=severity or Severity.NORMAL,
        is_negative_list=_parse_bool(report, row, "负面清单", data.get("负面清单", "")),
        is_veto=_parse_bool(report, row, "一票否决", data.get("一票否决", "")),
        deadline_days=deadline,
        department_kind=data.get("责任部门类型", "").strip()[:60],
        is_sample=_parse_bool(report, row, "示例", data.get("示例", "")),
        source=data.get("来源", "").strip(),
    )
    return parsed


@transaction.atomic
def import_rubric(*, actor, standard: Standard, data: bytes, filename: str = "") -> dict[str, int]:
    """Upsert clauses (by 条款编号) and check items (by 检查项编码) into a draft; nothing is
    written when any row is wrong (``ImportFailed`` carries the itemised report)."""
    require_editor(actor)
    standard = lock_draft(standard)
    table = read_table(data, filename=filename, required=REQUIRED)
    report = ImportReport()
    names = catalog_names()
    rows, seen_codes, clause_titles = [], {}, {}
    for row_number, raw in zip(table.row_numbers, table.rows, strict=True):
        parsed = _parse_row(report, row_number, raw, names)
        if parsed is None:
            continue
        if parsed["code"]:
            if parsed["code"] in seen_codes:
                report.add(row_number, "检查项编码", parsed["code"], f"与第{seen_codes[parsed['code']]}行重复")
            seen_codes[parsed["code"]] = row_number
        number = parsed["clause_number"]
        if number and parsed["clause_title"]:
            previous = clause_titles.setdefault(number, parsed["clause_title"])
            if previous != parsed["clause_title"]:
                report.add(row_number, "条款", parsed["clause_title"], f"同一条款编号“{number}”的名称前后不一致")
        rows.append(parsed)
    if not rows and report.ok:
        report.add(None, "文件", filename, "没有数据行")
    if not report.ok:
        raise ImportFailed(report)
    return _write_rows(actor, standard, rows)


def _write_rows(actor, standard: Standard, rows: list[dict]) -> dict[str, int]:
    clauses = {c.number: c for c in Clause.objects.filter(standard=standard)}
    items = {i.code: i for i in CheckItem.objects.filter(standard=standard)}
    counts = {"clauses_created": 0, "items_created": 0, "items_updated": 0}
    next_sort = len(clauses) + 1
    for parsed in rows:
        clause = None
        number = parsed["clause_number"]
        if number:
            clause = clauses.get(number)
            if clause is None:
                clause = Clause(
                    standard=standard, number=number, title=parsed["clause_title"], level=ClauseLevel.ARTICLE
                )
                clause.sort_order = next_sort
                next_sort += 1
                clause.save()
                clauses[number] = clause
                counts["clauses_created"] += 1
            elif clause.title != parsed["clause_title"]:
                clause.title = parsed["clause_title"]
                clause.save()
        if not parsed["code"]:
            continue
        fields = {k: parsed[k] for k in parsed if k not in ("row", "clause_number", "clause_title")}
        item = items.get(parsed["code"])
        if item is None:
            item = CheckItem(standard=standard, sort_order=parsed["row"], **fields)
            counts["items_created"] += 1
        else:
            for name, value in fields.items():
                setattr(item, name, value)
            counts["items_updated"] += 1
        item.clause = clause
        item.save()
        item.site_categories.set(categories_for_names(split_names(item.site_category_names)))
    record(actor=actor, verb="standards.import_rubric", target=standard, changes={k: [0, v] for k, v in counts.items()})
    return counts
