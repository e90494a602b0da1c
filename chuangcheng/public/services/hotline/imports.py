"""12345 work-order import: upload (the header row found, or picked by the person), map columns,
preview with itemised validation, then an all-or-nothing import that de-duplicates by 工单编号,
reports the rows that changed and takes each change to its case's timeline. The cases of new orders
are opened after commit by ``pending.open_pending_order_cases``."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.core.tabular import ImportFailed, Table
from chuangcheng.public.models import BatchStatus, HotlineBatch, HotlineOrder
from chuangcheng.public.permissions import can_import_hotline
from chuangcheng.public.services.hotline import bridge, sheet
from chuangcheng.public.workorders import ORDER_FIELDS, guess_mapping, urge_count, validate

PREVIEW_ROWS = 20

logger = logging.getLogger(__name__)


def _require_importer(actor) -> None:
    if not can_import_hotline(actor):
        raise NotPermitted("只有创建办可以导入 12345 工单")


@transaction.atomic
def upload_batch(*, actor, data: bytes, filename: str) -> HotlineBatch:
    """Store the file, find its header row (after any title and blank rows) and guess the mapping;
    nothing is imported yet."""
    _require_importer(actor)
    head = sheet.read_sheet(data, filename=filename, head_only=True)
    header_row = sheet.find_header(head)
    headers = sheet.headers_at(head, header_row)
    batch = HotlineBatch(
        filename=filename[:200],
        headers=headers,
        header_row=header_row,
        head_rows=sheet.head_rows(head),
        mapping=guess_mapping(headers),
        uploaded_by=actor,
    )
    batch.file.save(filename or "orders.xlsx", ContentFile(data), save=False)
    batch.save()
    record(
        actor=actor,
        verb="public.hotline_uploaded",
        target=batch,
        changes={"filename": [None, batch.filename], "header_row": [None, header_row], "headers": [None, headers]},
    )
    return batch


@transaction.atomic
def choose_header_row(*, batch: HotlineBatch, actor, header_row: int) -> HotlineBatch:
    """The person says which row holds the header: its names become the columns, the mapping is guessed
    again from them."""
    _require_importer(actor)
    batch = HotlineBatch.objects.select_for_update(no_key=True).get(pk=batch.pk)
    if batch.status == BatchStatus.IMPORTED:
        raise Conflict("该批次已导入，不能再更改表头行")
    if header_row not in {row["row"] for row in batch.head_rows}:
        raise DomainError(f"表头所在行须为文件开头的非空行（第 {header_row} 行不是）", field="header_row")
    with batch.file.open("rb") as handle:
        head = sheet.read_sheet(handle.read(), filename=batch.filename, head_only=True)
    old = batch.header_row
    batch.header_row = header_row
    batch.headers = sheet.headers_at(head, header_row)
    batch.mapping = guess_mapping(batch.headers)
    batch.save(update_fields=["header_row", "headers", "mapping"])
    record(
        actor=actor,
        verb="public.hotline_header_chosen",
        target=batch,
        changes={"header_row": [old, header_row], "headers": [None, batch.headers]},
    )
    return batch


def _existing(numbers: list[str]) -> dict[str, tuple[int, str]]:
    found = {}
    for start in range(0, len(numbers), 900):
        chunk = numbers[start : start + 900]
        for pk, number, row_hash in HotlineOrder.objects.filter(number__in=chunk).values_list(
            "pk", "number", "row_hash"
        ):
            found[number] = (pk, row_hash)
    return found


def _table(batch: HotlineBatch) -> Table:
    with batch.file.open("rb") as handle:
        return sheet.to_table(sheet.read_sheet(handle.read(), filename=batch.filename), batch.header_row)


def preview(*, batch: HotlineBatch, mapping: dict) -> dict:
    """What an import would do, without writing: issues, counts and the first rows mapped."""
    rows, report = validate(_table(batch), mapping)
    existing = _existing([row["number"] for row in rows])
    new = sum(1 for row in rows if row["number"] not in existing)
    changed = sum(1 for row in rows if row["number"] in existing and existing[row["number"]][1] != row["row_hash"])
    return {
        "report": report,
        "rows": rows[:PREVIEW_ROWS],
        "new": new,
        "changed": changed,
        "unchanged": len(rows) - new - changed,
        "valid": len(rows),
    }


def _insert_orders(rows: list[dict], batch: HotlineBatch, chunk: int = 5000) -> None:
    """Insert new orders with one ``executemany`` per chunk: the ORM's bulk_create builds a model
    instance and compiles SQL per row, which dominated the import at 100,000 rows. Values are
    adapted exactly as the ORM would (``get_db_prep_save``) once per column type."""
    now = timezone.now()
    names = ("number", *ORDER_FIELDS, "row_hash")
    fields = [HotlineOrder._meta.get_field(name) for name in names]
    fields += [HotlineOrder._meta.get_field(name) for name in ("case_error", "batch", "created_at", "updated_at")]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(HotlineOrder._meta.db_table)} ({columns}) VALUES ({placeholders})"
    prep = [field.get_db_prep_save for field in fields]
    fixed = ["", prep[-3](batch.pk, connection), prep[-2](now, connection), prep[-1](now, connection)]
    simple = {
        index
        for index, field in enumerate(fields[: len(names)])
        if field.get_internal_type() in ("CharField", "TextField", "FloatField", "ForeignKey")
    }
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            params = []
            for row in rows[start : start + chunk]:
                values = [
                    row[name] if index in simple else prep[index](row[name], connection)
                    for index, name in enumerate(names)
                ]
                params.append((*values, *fixed))
            cursor.executemany(sql, params)


LABELS = {"category_id": "诉求分类", "unit_id": "承办单位", "category_text": "诉求分类", "handler_text": "承办单位"}


def _changed_fields(order: HotlineOrder, values: dict) -> list[str]:
    changed = []
    for name in ORDER_FIELDS:
        if getattr(order, name) != values.get(name):
            label = LABELS.get(name) or HotlineOrder._meta.get_field(name).verbose_name
            if label not in changed:
                changed.append(str(label))
    return changed


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else "无"


def _case_change(order: HotlineOrder, values: dict, fields: list[str]) -> dict:
    """What the case hears about a changed order: a 催办, a new 承办单位, a new deadline, other fields."""
    notes, urged = [], False
    if urge_count(values["urge_text"]) > urge_count(order.urge_text):
        urged = True
        notes.append(f"催办（{values['urge_text']}）")
    if values["handler_text"] != order.handler_text:
        notes.append(f"承办单位 {order.handler_text or '无'} → {values['handler_text'] or '无'}")
    deadline = values["deadline"] if values["deadline"] != order.deadline else None
    if deadline is not None:
        notes.append(f"办理时限 {_day(order.deadline)} → {_day(values['deadline'])}")
    notes += [f for f in fields if f not in ("催办", "承办单位", "办理时限")]
    new_unit = values["unit_id"] is not None and values["unit_id"] != order.unit_id
    return {
        "case_id": order.case_id, "number": order.number, "notes": notes, "deadline": deadline, "urged": urged,
        "order": order if new_unit else None,
    }  # fmt: skip


@transaction.atomic
def import_batch(*, batch: HotlineBatch, actor, mapping: dict | None = None, open_cases: bool = True) -> HotlineBatch:
    """All or nothing: any invalid row rejects the file. New 工单编号 are created, known ones are
    updated only when a value changed (listed in ``batch.changes``, and each change reaches the order's
    case as a timeline entry in this same transaction); re-importing the same file changes nothing.
    After commit, every order still without a case gets one (``open_pending_order_cases``), including
    orders an earlier, interrupted import left behind."""
    _require_importer(actor)
    batch = HotlineBatch.objects.select_for_update(no_key=True).get(pk=batch.pk)
    if batch.status == BatchStatus.IMPORTED:
        raise Conflict("该批次已导入；如需更新，请重新上传文件")
    mapping = mapping if mapping is not None else batch.mapping
    rows, report = validate(_table(batch), mapping)
    if not report.ok:
        raise ImportFailed(report)
    if not rows:
        raise DomainError("文件中没有工单数据", field="file")
    existing = _existing([row["number"] for row in rows])
    new_rows = [row for row in rows if row["number"] not in existing]
    changed_rows = [row for row in rows if row["number"] in existing and existing[row["number"]][1] != row["row_hash"]]
    _insert_orders(new_rows, batch)
    changes, case_changes = [], []
    if changed_rows:
        by_number = {row["number"]: row for row in changed_rows}
        orders = []
        for start in range(0, len(changed_rows), 900):
            chunk = [row["number"] for row in changed_rows[start : start + 900]]
            orders.extend(HotlineOrder.objects.select_for_update(no_key=True).filter(number__in=chunk))
        for order in orders:
            values = by_number[order.number]
            fields = _changed_fields(order, values)
            changes.append({"number": order.number, "row": values["row_number"], "fields": fields})
            if order.case_id:
                case_changes.append(_case_change(order, values, fields))
            for name in (*ORDER_FIELDS, "row_hash"):
                setattr(order, name, values[name])
            order.batch = batch
            order.updated_at = timezone.now()
        HotlineOrder.objects.bulk_update(orders, [*ORDER_FIELDS, "row_hash", "batch", "updated_at"], batch_size=1000)
    for start in range(0, len(case_changes), 500):
        bridge.note_order_changes(actor=actor, changes=case_changes[start : start + 500])
    changes.sort(key=lambda item: item["row"])
    batch.mapping = mapping
    batch.status = BatchStatus.IMPORTED
    batch.total = len(rows)
    batch.created_count = len(new_rows)
    batch.changed_count = len(changed_rows)
    batch.unchanged_count = len(rows) - len(new_rows) - len(changed_rows)
    batch.changes = changes[:2000]
    batch.imported_at = timezone.now()
    batch.save()
    record(
        actor=actor,
        verb="public.hotline_imported",
        target=batch,
        changes={
            "created": [0, batch.created_count],
            "changed": [0, batch.changed_count],
            "unchanged": [0, batch.unchanged_count],
            "changed_numbers": [None, [c["number"] for c in changes[:200]]],
            "cases_told": [0, len(case_changes)],
        },
    )
    if open_cases:
        transaction.on_commit(_resume_after_commit, robust=True)
    return batch


def _resume_after_commit() -> None:
    """Open the pending cases in the worker (eagerly where tasks run eagerly). If the task cannot be
    queued (broker down), nothing is lost: the orders stay 待立案 for the beat task and the command."""
    from chuangcheng.public.tasks import open_pending_order_cases_task

    try:
        open_pending_order_cases_task.delay()
    except Exception:  # noqa: BLE001  the broker is optional for correctness, never for the import
        logger.warning("未能排队 12345 待立案任务；将由定时任务补立案", exc_info=True)
