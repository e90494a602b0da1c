"""xlsx/CSV import of volunteers (all-or-nothing, itemised) and the registry's export.

Columns (header may sit below title rows): 姓名*, 手机号*, 身份证号*, 所属单位编码*, 所在社区编码, 技能特长,
注册日期 (a date cell, ``2025/3/8``, ``2025年3月8日`` or an Excel serial number), 备注. Duplicates are refused
within the file and against the registry (see ``identity.py`` for masked numbers). Error reports show ID
numbers masked, never as typed.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models, transaction
from django.db.models import Sum, Value
from django.db.models.functions import Coalesce

from chuangcheng.audit.services import record_many
from chuangcheng.core.tabular import ImportFailed, ImportReport, cell_date, read_table, write_xlsx
from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area
from chuangcheng.volunteers import permissions
from chuangcheng.volunteers.identity import check_phone, mask_phone, parse_id_number
from chuangcheng.volunteers.models import Volunteer
from chuangcheng.volunteers.models.activities import effective_hours_expr

COLUMNS = ("姓名", "手机号", "身份证号", "所属单位编码", "所在社区编码", "技能特长", "注册日期", "备注")
REQUIRED = ("姓名", "手机号", "身份证号", "所属单位编码")
MAX_ROWS = 5000
HOURS = models.DecimalField(max_digits=9, decimal_places=1)


def _shown(text: str) -> str:
    """An ID number as it may appear in a report: masked when it looks like a full number."""
    text = (text or "").strip()
    return f"{text[:6]}********{text[-4:]}" if len(text) >= 15 and "*" not in text else text


def _parse_rows(actor, table, report: ImportReport) -> list[tuple[int, dict]]:
    units = {u.code: u for u in Unit.objects.filter(code__in={r.get("所属单位编码", "") for r in table.rows})}
    areas = {a.code: a for a in Area.objects.filter(code__in={r.get("所在社区编码", "") for r in table.rows} - {""})}
    parsed = []
    for number, row in zip(table.row_numbers, table.rows, strict=True):
        before = len(report.issues)
        item = {"name": row.get("姓名", "").strip(), "skills": row.get("技能特长", "").strip()[:200]}
        item["note"] = row.get("备注", "").strip()[:300]
        if not item["name"]:
            report.add(number, "姓名", "", "请填写姓名")
        try:
            item["phone"] = check_phone(row.get("手机号", ""))
        except ValueError as exc:
            report.add(number, "手机号", row.get("手机号", ""), str(exc))
        try:
            item["identity"] = parse_id_number(row.get("身份证号", ""))
        except ValueError as exc:
            report.add(number, "身份证号", _shown(row.get("身份证号", "")), str(exc))
        code = row.get("所属单位编码", "").strip()
        item["unit"] = units.get(code)
        if item["unit"] is None:
            report.add(number, "所属单位编码", code, "请填写所属单位编码" if not code else "单位编码不存在")
        elif not permissions.can_manage_unit(actor, item["unit"]):
            report.add(number, "所属单位编码", code, "无权在该单位登记志愿者")
        area_code = row.get("所在社区编码", "").strip()
        item["area"] = areas.get(area_code) if area_code else None
        if area_code and item["area"] is None:
            report.add(number, "所在社区编码", area_code, "区域编码不存在")
        joined = row.get("注册日期", "").strip()
        item["joined_on"] = cell_date(joined) if joined else None
        if joined and item["joined_on"] is None:
            report.add(number, "注册日期", joined, "不是有效日期（如 2025-03-08）")
        if len(report.issues) == before:
            parsed.append((number, item))
    return parsed


def _check_duplicates(parsed: list[tuple[int, dict]], report: ImportReport) -> None:
    by_hash, by_name = {}, {}
    for number, item in parsed:
        identity, key = item["identity"], (item["name"], item["identity"].masked)
        if identity.hash and identity.hash in by_hash:
            report.add(number, "身份证号", identity.masked, f"与第{by_hash[identity.hash]}行身份证号重复")
        elif key in by_name and not (identity.hash and by_name[key][1]):
            report.add(number, "身份证号", identity.masked, f"与第{by_name[key][0]}行姓名和脱敏身份证号相同，疑似重复")
        if identity.hash:
            by_hash.setdefault(identity.hash, number)
        by_name.setdefault(key, (number, bool(identity.hash)))
    hashes = {item["identity"].hash for _, item in parsed} - {""}
    stored = {v.id_hash: v for v in Volunteer.objects.filter(id_hash__in=hashes).select_related("unit")}
    masked = {item["identity"].masked for _, item in parsed}
    similar = {}
    for volunteer in Volunteer.objects.filter(id_masked__in=masked).select_related("unit"):
        similar.setdefault((volunteer.name, volunteer.id_masked), volunteer)
    for number, item in parsed:
        identity = item["identity"]
        if identity.hash in stored:
            match = stored[identity.hash]
            report.add(
                number, "身份证号", identity.masked, f"该身份证号已登记为志愿者（{match.name}，{match.unit.name}）"
            )
            continue
        match = similar.get((item["name"], identity.masked))
        if match and not (identity.hash and match.id_hash):
            report.add(
                number,
                "身份证号",
                identity.masked,
                f"与已登记的志愿者{match.name}（{match.unit.name}）姓名和脱敏身份证号相同，疑似重复",
            )


@transaction.atomic
def import_volunteers(*, actor, data: bytes, filename: str = "") -> list[Volunteer]:
    table = read_table(data, filename=filename, required=REQUIRED, header_hint=COLUMNS)
    report = ImportReport()
    if not table.rows:
        report.add(None, "文件", filename, "文件中没有数据行")
        raise ImportFailed(report)
    if len(table.rows) > MAX_ROWS:
        report.add(None, "文件", filename, f"一次最多导入{MAX_ROWS}行，请分批导入")
        raise ImportFailed(report)
    parsed = _parse_rows(actor, table, report)
    _check_duplicates(parsed, report)
    if not report.ok:
        raise ImportFailed(report)
    created = Volunteer.objects.bulk_create(
        [
            Volunteer(
                name=item["name"],
                phone=item["phone"],
                id_masked=item["identity"].masked,
                id_hash=item["identity"].hash,
                skills=item["skills"],
                unit=item["unit"],
                area=item["area"],
                joined_on=item["joined_on"],
                note=item["note"],
                created_by=actor,
            )
            for _, item in parsed
        ]
    )
    if created and created[0].pk is None:  # a backend that does not return ids
        created = list(Volunteer.objects.filter(created_by=actor).order_by("-id")[: len(created)])[::-1]
    record_many(
        [
            {
                "actor": actor,
                "verb": "volunteers.volunteer_imported",
                "target": volunteer,
                "unit": volunteer.unit_id,
                "changes": {"file": [None, filename], "id_verified": [None, volunteer.id_verified]},
            }
            for volunteer in created
        ]
    )
    return created


EXPORT_HEADERS = (
    "姓名",
    "手机号",
    "身份证号（脱敏）",
    "身份证核验",
    "所属单位",
    "所在社区",
    "技能特长",
    "状态",
    "注册日期",
    "累计时长（小时）",
)


def export_volunteer_rows(volunteers) -> bytes:
    """The listed volunteers (already scoped by the caller) as xlsx: phones and ID numbers masked."""
    rows = (
        volunteers.select_related("unit", "area")
        .annotate(
            total_hours=Coalesce(Sum(effective_hours_expr("participations__")), Value(Decimal(0)), output_field=HOURS)
        )
        .order_by("unit__path", "name", "id")
    )
    return write_xlsx(
        title="志愿者名册",
        headers=EXPORT_HEADERS,
        rows=(
            (
                v.name,
                mask_phone(v.phone),
                v.id_masked,
                "已核验" if v.id_verified else "待核实（来源系统已脱敏）",
                v.unit.name,
                v.area.name if v.area_id else "",
                v.skills,
                v.get_status_display(),
                v.joined_on.isoformat() if v.joined_on else "",
                float(v.total_hours or 0),
            )
            for v in rows
        ),
    )
