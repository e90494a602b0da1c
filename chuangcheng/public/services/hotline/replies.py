"""The hotline's reply sheet: one row per order, the unit's own 办理结果 read from its case."""

from __future__ import annotations

from django.utils import timezone

from chuangcheng.public.services.hotline import bridge

REPLY_HEADERS = ("工单编号", "办理结果", "办结时间", "承办单位", "回复内容", "平台状态", "平台问题编号")


def reply_rows(queryset, chunk: int = 2000):
    """Rows in ``REPLY_HEADERS`` order (cases read in bulk, ``chunk`` orders at a time)."""
    batch = []
    for order in queryset:
        batch.append(order)
        if len(batch) >= chunk:
            yield from _reply_chunk(batch)
            batch = []
    yield from _reply_chunk(batch)


def _reply_chunk(orders):
    for order, reply in zip(orders, bridge.order_replies(orders), strict=True):
        finished = reply["finished_at"]
        yield [
            order.number,
            reply["result"],
            timezone.localtime(finished).strftime("%Y-%m-%d %H:%M:%S") if finished else "",
            reply["unit"],
            reply["reply"],
            reply["status"],
            reply["case"],
        ]
