"""Opening the cases of imported 12345 orders, durably.

The import commits the orders first (one transaction), their cases are opened after it (other
transactions): a crash in between must lose nothing. The record of the work to do is the data itself,
written in the import's transaction: an order without a case is 待立案. ``open_pending_order_cases``
finds those orders and opens their cases, 500 per transaction, with the orders locked (``SKIP LOCKED``
on PostgreSQL, so two runners never take the same order) and re-read under the lock, so a run after a
crash, a second runner and a re-run all end with exactly one case per order. It runs on the import's
commit, from the beat task ``public.open_pending_order_cases`` and from ``manage.py
open_pending_order_cases``.

Each case is placed from the order's point, else from its 事发地址 (``places.addresses``), routed like
any other, falls back to the hotline's 承办单位, and takes the hotline's 受理时间 and 办理时限.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q

from chuangcheng.core.errors import DomainError
from chuangcheng.places.addresses import match_address
from chuangcheng.public.models import HotlineOrder
from chuangcheng.public.services.hotline import bridge

CHUNK = 500
logger = logging.getLogger(__name__)


@dataclass
class PendingResult:
    opened: int = 0
    placed: int = 0
    routed: int = 0
    failed: list = field(default_factory=list)  # (工单编号, reason)

    def add(self, other: PendingResult) -> None:
        self.opened += other.opened
        self.placed += other.placed
        self.routed += other.routed
        self.failed += other.failed


class _Places:
    """The site/area of each distinct address, matched once per run."""

    def __init__(self):
        self.found: dict[str, dict] = {}

    def of(self, order) -> dict:
        if order.lng is not None:
            return {}  # the point places the case
        text = f"{order.district_text}{order.address}" if order.district_text not in order.address else order.address
        if not text.strip():
            return {}
        if text not in self.found:
            match = match_address(text)
            place = {}
            if match is not None and match.site is not None:
                place["site"] = match.site
                if match.site.area_id is None and match.area is not None:
                    place["area"] = match.area
            elif match is not None and match.area is not None:
                place["area"] = match.area
            self.found[text] = place
        return self.found[text]


def _pending(numbers=None):
    orders = HotlineOrder.objects.filter(case__isnull=True)
    return orders.filter(number__in=numbers) if numbers is not None else orders


def _open_chunk(orders: list, actor, places: _Places) -> PendingResult:
    """Open the chunk's cases through the batch intake; if it refuses the chunk, order by order so that
    one bad order holds back only itself (its reason kept on the order, tried again next run)."""
    result = PendingResult()
    place = [places.of(order) for order in orders]
    try:
        with transaction.atomic():
            bridge.open_cases_for_orders(orders=orders, actor=actor, places=place)
    except DomainError:
        for order, where in zip(orders, place, strict=True):
            order.case, order.case_id = None, None
            try:
                with transaction.atomic():
                    bridge.open_case_for_order(order=order, actor=actor, place=where)
            except DomainError as exc:
                order.case, order.case_id = None, None
                result.failed.append((order.number, exc.message))
                logger.warning("12345 工单 %s 未能立案：%s", order.number, exc.message)
                HotlineOrder.objects.filter(pk=order.pk).update(case_error=exc.message[:300])
    opened = [order for order in orders if order.case_id]
    bridge.adopt_order_terms(actor=actor, orders=opened)
    result.opened = len(opened)
    result.placed = sum(1 for order in opened if order.case.area_id or order.case.site_id)
    result.routed = sum(1 for order in opened if order.case.lead_unit_id)
    return result


def open_pending_order_cases(
    *, numbers: list[str] | None = None, limit: int | None = None, actor=None
) -> PendingResult:
    """Open a case for every order that has none (``numbers``: only those; ``limit``: at most that many
    this run). Idempotent and safe to run concurrently. Acts as ``actor``, by default the person who
    uploaded each order's batch (the office member who brought it in)."""
    result = PendingResult()
    places = _Places()
    last_pk = 0
    while limit is None or result.opened + len(result.failed) < limit:
        size = CHUNK if limit is None else min(CHUNK, limit - result.opened - len(result.failed))
        with transaction.atomic():
            orders = list(
                _pending(numbers)
                .filter(pk__gt=last_pk)
                .select_for_update(no_key=True, skip_locked=True, of=("self",))
                .select_related("unit", "category", "batch__uploaded_by")
                .order_by("pk")[:size]
            )
            if not orders:
                break
            last_pk = orders[-1].pk
            by_actor: dict = {}
            for order in orders:
                by_actor.setdefault(order.batch.uploaded_by_id, []).append(order)
            for group in by_actor.values():
                result.add(_open_chunk(group, actor or group[0].batch.uploaded_by, places))
    return result


def open_cases_for_orders(*, numbers: list[str], actor=None) -> int:
    """The cases of the given orders (those still without one); returns how many were opened."""
    return open_pending_order_cases(numbers=numbers, actor=actor).opened


def batch_progress(batch) -> dict:
    """What became of the orders this batch brought in (new or changed): cases opened, placed, routed,
    still 待立案 (and of those, how many failed with a reason)."""
    counts = HotlineOrder.objects.filter(batch=batch).aggregate(
        orders=Count("pk"),
        opened=Count("pk", filter=Q(case__isnull=False)),
        placed=Count("pk", filter=Q(case__isnull=False) & (Q(case__area__isnull=False) | Q(case__site__isnull=False))),
        routed=Count("pk", filter=Q(case__lead_unit__isnull=False)),
        pending=Count("pk", filter=Q(case__isnull=True)),
        failed=Count("pk", filter=Q(case__isnull=True) & ~Q(case_error="")),
    )
    counts["unrouted"] = counts["opened"] - counts["routed"]
    counts["errors"] = list(
        HotlineOrder.objects.filter(batch=batch, case__isnull=True)
        .exclude(case_error="")
        .order_by("pk")
        .values_list("number", "case_error")[:20]
    )
    return counts
