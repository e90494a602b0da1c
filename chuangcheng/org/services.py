"""Writes for the unit tree."""

from __future__ import annotations

from django.db import transaction

from chuangcheng.accounts.permissions import can_edit_org, is_top_office, require_in_jurisdiction
from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.tabular import ImportFailed, ImportReport, read_table
from chuangcheng.org.models import Unit, UnitKind

EDITABLE_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "sort_order",
    "contact_name",
    "contact_phone",
    "is_active",
)


def _require_editor(actor) -> None:
    if actor is not None and not can_edit_org(actor):
        raise NotPermitted("只有创建办可以维护单位")


def _require_ground(actor, unit: Unit | None) -> None:
    """A lower level's office keeps the units of its own jurisdiction (a new unit goes under one of them)."""
    if actor is None or is_top_office(actor):
        return
    if unit is None:
        raise DomainError("本级创建办新增的单位须隶属于本辖区内的单位", field="parent")
    require_in_jurisdiction(actor, [unit], field="parent", label="单位")


def _place(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2


@transaction.atomic
def create_unit(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    sort_order: int = 0,
    contact_name: str = "",
    contact_phone: str = "",
    is_active: bool = True,
) -> Unit:
    _require_editor(actor)
    _require_ground(actor, parent)
    code = code.strip()
    if not code:
        raise DomainError("单位编码不能为空", field="code")
    if Unit.objects.filter(code=code).exists():
        raise DomainError(f"单位编码“{code}”已存在", field="code")
    if kind not in UnitKind.values:
        raise DomainError(f"未知单位类型“{kind}”", field="kind")
    unit = Unit(
        code=code,
        name=name.strip(),
        kind=kind,
        parent=parent,
        short_name=short_name,
        sort_order=sort_order,
        contact_name=contact_name,
        contact_phone=contact_phone,
        is_active=is_active,
        path="/",
    )
    unit.save()
    _place(unit)
    unit.save(update_fields=["path", "depth"])
    record(
        actor=actor,
        verb="org.unit_created",
        target=unit,
        unit=unit,
        changes={"code": [None, code], "name": [None, unit.name], "parent": [None, parent.pk if parent else None]},
    )
    return unit


@transaction.atomic
def update_unit(*, unit: Unit, actor, **changes) -> Unit:
    _require_editor(actor)
    _require_ground(actor, unit)
    if "parent" in changes:
        _require_ground(actor, changes["parent"])
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    unit = Unit.objects.select_for_update(no_key=True).get(pk=unit.pk)
    new_parent = changes.get("parent", unit.parent)
    if "parent" in changes and new_parent is not None:
        if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
            raise DomainError("上级单位不能是本单位或其下级单位", field="parent")
    if "code" in changes and Unit.objects.filter(code=changes["code"]).exclude(pk=unit.pk).exists():
        raise DomainError(f"单位编码“{changes['code']}”已存在", field="code")
    delta = diff(unit, changes)
    old_path = unit.path
    for name, value in changes.items():
        setattr(unit, name, value)
    if "parent" in delta:
        _place(unit)
        unit.save()
        for descendant in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).order_by("depth"):
            descendant.path = unit.path + descendant.path[len(old_path) :]
            descendant.depth = descendant.path.count("/") - 2
            descendant.save(update_fields=["path", "depth"])
    else:
        unit.save()
    if delta:
        record(actor=actor, verb="org.unit_updated", target=unit, unit=unit, changes=delta)
    return unit


UNIT_COLUMNS = ("单位编码", "单位名称", "类型", "上级单位编码", "简称", "联系人", "联系电话", "排序")
KIND_BY_LABEL = {label: value for value, label in UnitKind.choices} | {value: value for value in UnitKind.values}


@transaction.atomic
def import_units(*, actor, data: bytes, filename: str = "") -> list[Unit]:
    """All-or-nothing xlsx/CSV import; parents may be existing units or earlier rows of the file."""
    _require_editor(actor)
    if actor is not None and not is_top_office(actor):
        raise NotPermitted("批量导入由最上级创建办统一办理")
    table = read_table(data, filename=filename, required=("单位编码", "单位名称", "类型"))
    report = ImportReport()
    existing = {unit.code: unit for unit in Unit.objects.all()}
    seen: dict[str, int] = {}
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        code, name, kind = row.get("单位编码", ""), row.get("单位名称", ""), row.get("类型", "")
        parent_code = row.get("上级单位编码", "")
        if not code:
            report.add(number, "单位编码", code, "不能为空")
        elif code in seen:
            report.add(number, "单位编码", code, f"与第{seen[code]}行重复")
        elif code in existing:
            report.add(number, "单位编码", code, "系统中已存在该编码")
        else:
            seen[code] = number
        if not name:
            report.add(number, "单位名称", name, "不能为空")
        if kind not in KIND_BY_LABEL:
            report.add(number, "类型", kind, "未知单位类型，可选：" + "、".join(label for _, label in UnitKind.choices))
        if parent_code and parent_code not in existing and parent_code not in seen:
            report.add(number, "上级单位编码", parent_code, "上级单位不存在（须已在系统中或在本文件前面的行中）")
        sort_order = row.get("排序", "")
        if sort_order and not sort_order.lstrip("-").isdigit():
            report.add(number, "排序", sort_order, "必须是整数")
    if not report.ok:
        raise ImportFailed(report)
    created: list[Unit] = []
    by_code = dict(existing)
    for row in table.rows:
        unit = create_unit(
            actor=actor,
            code=row["单位编码"],
            name=row["单位名称"],
            kind=KIND_BY_LABEL[row["类型"]],
            parent=by_code.get(row.get("上级单位编码", "")) if row.get("上级单位编码") else None,
            short_name=row.get("简称", ""),
            contact_name=row.get("联系人", ""),
            contact_phone=row.get("联系电话", ""),
            sort_order=int(row.get("排序") or 0),
        )
        by_code[unit.code] = unit
        created.append(unit)
    record(actor=actor, verb="org.units_imported", target_type="org.unit", changes={"count": [0, len(created)]})
    return created


def export_rows(queryset) -> list[list]:
    units = list(queryset.select_related("parent").order_by("path"))
    return [
        [
            u.code,
            u.name,
            u.get_kind_display(),
            u.parent.code if u.parent else "",
            u.short_name,
            u.contact_name,
            u.contact_phone,
            u.sort_order,
        ]
        for u in units
    ]
