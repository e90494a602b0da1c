"""文明单位 xlsx/CSV import (all-or-nothing, itemised Chinese errors) and export."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.civility.models import CivilizedUnit, HonourLevel, HonourStatus
from chuangcheng.core.scoping import scope_of
from chuangcheng.core.tabular import ImportFailed, ImportReport, read_table
from chuangcheng.org.models import Unit

IMPORT_COLUMNS = ("文明单位名称", "对应单位编码", "管理单位编码", "级别", "命名年度", "状态", "备注")
REQUIRED_COLUMNS = ("文明单位名称", "级别", "命名年度")
EXPORT_COLUMNS = (
    "文明单位名称", "对应单位编码", "管理单位编码", "管理单位", "级别", "命名年度", "状态",
    "警示原因", "整改期限", "撤销原因", "最近复查年度", "最近复查结果", "备注",
)  # fmt: skip
LEVELS = {label: value for value, label in HonourLevel.choices}


def _unit(codes: dict, code: str, row: int, column: str, report: ImportReport, scope, actor) -> Unit | None:
    if not code:
        return None
    unit = codes.get(code)
    if unit is None:
        report.add(row, column, code, "单位编码不存在")
    elif not (scope.sees_all or scope.is_office_for(unit.pk)):
        report.add(row, column, code, f"“{unit.name}”不在本级管辖范围内")
        return None
    return unit


@transaction.atomic
def import_civilized_units(*, actor, data: bytes, filename: str = "") -> list[CivilizedUnit]:
    """Create one 有效 文明单位 per row; nothing is written when any row is wrong."""
    table = read_table(data, filename=filename, required=REQUIRED_COLUMNS)
    report = ImportReport()
    scope = scope_of(actor)
    if not scope.has_role("office_admin", "office_staff"):
        report.add(None, "文件", filename, "只有创建办可以导入文明单位")
        raise ImportFailed(report)
    wanted = {row.get(c, "") for row in table.rows for c in ("对应单位编码", "管理单位编码")} - {""}
    codes = {unit.code: unit for unit in Unit.objects.filter(code__in=wanted)}
    existing = set(CivilizedUnit.objects.values_list("name", "level"))
    seen: dict[tuple[str, str], int] = {}
    this_year = timezone.localdate().year
    rows = []
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        name = row.get("文明单位名称", "")
        org_unit = _unit(codes, row.get("对应单位编码", ""), number, "对应单位编码", report, scope, actor)
        unit = _unit(codes, row.get("管理单位编码", ""), number, "管理单位编码", report, scope, actor) or org_unit
        name = name or (org_unit.name if org_unit else "")
        if not name:
            report.add(number, "文明单位名称", "", "必填（或填写对应单位编码）")
        if unit is None and not row.get("管理单位编码") and not row.get("对应单位编码"):
            report.add(number, "管理单位编码", "", "必填（或填写对应单位编码）")
        if org_unit is not None and unit is not None and not org_unit.path.startswith(unit.path):
            report.add(number, "对应单位编码", org_unit.code, f"不在管理单位“{unit.name}”之下")
        level = LEVELS.get(row.get("级别", ""))
        if level is None:
            report.add(number, "级别", row.get("级别", ""), "应为全国、省级、市级或县级")
        year_text = row.get("命名年度", "")
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not 1980 <= year <= this_year + 1:
            report.add(number, "命名年度", year_text, f"应为1980至{this_year + 1}之间的四位年份")
        status = row.get("状态", "")
        if status and status != HonourStatus.ACTIVE.label:
            report.add(number, "状态", status, "导入只登记有效的文明单位；警示和撤销请在系统中办理")
        if name and level:
            key = (name, level)
            if key in existing:
                report.add(number, "文明单位名称", name, "同级别已登记该文明单位")
            elif key in seen:
                report.add(number, "文明单位名称", name, f"与第{seen[key]}行重复")
            seen.setdefault(key, number)
        rows.append((name, org_unit, unit, level, year, row.get("备注", "")))
    if not table.rows:
        report.add(None, "文件", filename, "没有数据行")
    if not report.ok:
        raise ImportFailed(report)
    created = CivilizedUnit.objects.bulk_create(
        [
            CivilizedUnit(name=name[:120], org_unit=org, unit=unit, level=level, year_awarded=year, note=note[:500])
            for name, org, unit, level, year, note in rows
        ]
    )
    record(
        actor=actor,
        verb="civility.units_imported",
        target_type="civility.civilizedunit",
        changes={"created": [0, len(created)], "file": [None, filename[:100]]},
    )
    return created


def export_rows(queryset) -> list[list]:
    """One row per 文明单位 (``EXPORT_COLUMNS``), with its latest review; two queries."""
    honours = list(queryset.select_related("org_unit", "unit").prefetch_related("reviews"))
    rows = []
    for h in honours:
        latest = max(h.reviews.all(), key=lambda r: r.year, default=None)
        rows.append(
            [
                h.name, h.org_unit.code if h.org_unit else "", h.unit.code, h.unit.name, h.get_level_display(),
                h.year_awarded, h.get_status_display(), h.warning_reason,
                h.warning_deadline.isoformat() if h.warning_deadline else "", h.revoked_reason,
                latest.year if latest else "", latest.get_result_display() if latest else "", h.note,
            ]
        )  # fmt: skip
    return rows
