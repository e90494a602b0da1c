"""The live 12345 interface: work orders pushed in by API become a 12345 batch and go through the
very import the xlsx upload uses (``public.services.hotline``: the same fields and validation, one
order per 工单编号, a changed order told to its case, the case opened durably after commit). A pushed
order is idempotent by 工单编号: the same order again changes nothing, a changed one updates it.
The reply and 办结 go back to the 12345 endpoint when the case closes (``triggers``)."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError
from chuangcheng.exchange import payloads
from chuangcheng.exchange.models import Direction, Exchange, ExchangeKind, ExchangeStatus
from chuangcheng.public.models import HotlineOrder
from chuangcheng.public.services import hotline
from chuangcheng.public.workorders import FIELDS

MAX_ORDERS = 500


def _csv(orders: list[dict]) -> bytes:
    """The pushed orders as the sheet the import reads (platform field names or their labels as keys)."""
    labels = {name: spec["label"] for name, spec in FIELDS.items()}
    by_label = {spec["label"]: name for name, spec in FIELDS.items()}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(labels.values())
    for index, order in enumerate(orders, start=1):
        if not isinstance(order, dict):
            raise DomainError(f"第 {index} 个工单须为 JSON 对象", field="orders")
        unknown = [key for key in order if key not in labels and key not in by_label]
        if unknown:
            raise DomainError(f"第 {index} 个工单有未知字段：{'、'.join(map(str, unknown[:5]))}", field="orders")
        values = {by_label.get(key, key): value for key, value in order.items()}
        writer.writerow(["" if values.get(name) is None else str(values[name]) for name in labels])
    return out.getvalue().encode("utf-8")


@transaction.atomic
def receive_orders(*, actor, orders: list[dict], endpoint=None) -> dict:
    """Import pushed orders (all or nothing, at most ``MAX_ORDERS``); returns the batch's counts and,
    per order, whether it was new, changed or unchanged. Cases open after commit."""
    if not isinstance(orders, list) or not orders:
        raise DomainError("orders 须为非空列表", field="orders")
    if len(orders) > MAX_ORDERS:
        raise DomainError(f"每次至多推送 {MAX_ORDERS} 个工单", field="orders")
    data = _csv(orders)
    name = f"12345接口推送-{timezone.localtime():%Y%m%d%H%M%S}.csv"
    batch = hotline.upload_batch(actor=actor, data=data, filename=name)
    known = {order.number for order in _orders_of(orders)}
    batch = hotline.import_batch(batch=batch, actor=actor)
    changed = {c["number"] for c in batch.changes}
    rows, result = [], []
    for order in _orders_of(orders):
        state = "new" if order.number not in known else ("changed" if order.number in changed else "unchanged")
        result.append({"number": order.number, "state": state})
        rows.append(
            Exchange(
                direction=Direction.IN,
                kind=ExchangeKind.ORDER,
                endpoint=endpoint,
                idempotency_key=f"{order.number}@{order.row_hash[:16]}",  # one accepted row per version
                payload={"number": order.number, "state": state, "batch": batch.pk},
                payload_hash=order.row_hash,
                status=ExchangeStatus.DUPLICATE if state == "unchanged" else ExchangeStatus.ACCEPTED,
                response_code=200,
            )
        )
    Exchange.objects.bulk_create(rows)
    record(
        actor=actor,
        verb="exchange.orders_received",
        target=batch,
        changes={"created": [0, batch.created_count], "changed": [0, batch.changed_count]},
    )
    return {
        "batch": batch.pk,
        "created": batch.created_count,
        "changed": batch.changed_count,
        "unchanged": batch.unchanged_count,
        "orders": result,
    }


def _orders_of(orders: list[dict]) -> list[HotlineOrder]:
    numbers = [str(o.get("number") or o.get("工单编号") or "").strip() for o in orders]
    found = {o.number: o for o in HotlineOrder.objects.filter(number__in=numbers)}
    return [found[n] for n in numbers if n in found]


def open_order_cases(*, numbers: list[str], actor) -> dict[str, str | None]:
    """Open the cases of the pushed orders now (after the import committed; the import's own
    after-commit run and the periodic job find nothing left) and return each order's case number
    (None while an order is still 待立案, e.g. its case could not be opened: the reason is on the order)."""
    hotline.open_cases_for_orders(numbers=numbers, actor=actor)
    return dict(HotlineOrder.objects.filter(number__in=numbers).values_list("number", "case__number"))


def reply_preview(order) -> dict:
    """What the 12345 endpoint receives when the order's case closes."""
    from chuangcheng.public.services.hotline.bridge import order_replies

    return payloads.reply_payload(order, order_replies([order])[0])
