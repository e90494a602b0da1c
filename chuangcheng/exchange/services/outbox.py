"""The outbox: outbound messages are rows written in the same transaction as the case change that
causes them (so a crash never loses one), sent after commit and by the periodic worker, retried with
exponential backoff and full jitter, and finally 失败 with the reason (never dropped).

Delivery is at least once: the receiver may get a message twice (a crash after the send, before the
row is marked) and de-duplicates by ``Idempotency-Key`` (the case number for a push).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.exchange import bulk, payloads, signing, transport
from chuangcheng.exchange.conf import setting
from chuangcheng.exchange.models import DUE_STATUSES, Direction, Exchange, ExchangeStatus

logger = logging.getLogger(__name__)


def backoff_seconds(attempt: int, *, base: float | None = None, cap: float | None = None, rng=random) -> float:
    """Full jitter: a uniform wait in ``[0, min(cap, base × 2^(attempt-1))]`` after the ``attempt``-th try."""
    base = setting("EXCHANGE_BACKOFF_BASE_SECONDS") if base is None else base
    cap = setting("EXCHANGE_BACKOFF_MAX_SECONDS") if cap is None else cap
    return rng.uniform(0, min(cap, base * 2 ** max(0, attempt - 1)))


def new_message(*, endpoint, kind: str, key: str, payload: dict, case=None) -> Exchange:
    """An unsaved outbound row (due now)."""
    return Exchange(
        direction=Direction.OUT,
        kind=kind,
        endpoint=endpoint,
        case=case,
        idempotency_key=key[:120],
        payload=payload,
        payload_hash=payloads.payload_hash(payload),
        status=ExchangeStatus.PENDING,
        next_attempt_at=timezone.now(),
    )


def enqueue(
    messages: list[Exchange], *, actor=None, verb: str = "exchange.enqueued", known_new: bool = False
) -> list[Exchange]:
    """Write the rows in the caller's transaction; a key already queued for the endpoint is skipped
    (idempotent; ``known_new``: the caller's query already left those out, and the unique constraint
    refuses a key a concurrent run queued meanwhile). Sending is scheduled after commit. Returns the rows
    written."""
    if not messages:
        return []
    existing = set()
    if not known_new:
        existing = set(
            Exchange.objects.filter(
                direction=Direction.OUT,
                endpoint_id__in={m.endpoint_id for m in messages},
                idempotency_key__in=[m.idempotency_key for m in messages],
            ).values_list("endpoint_id", "idempotency_key")
        )
    fresh, seen = [], set(existing)
    for message in messages:
        key = (message.endpoint_id, message.idempotency_key)
        if key not in seen:
            seen.add(key)
            fresh.append(message)
    if not fresh:
        return []
    rows = bulk.insert(fresh)
    if len(rows) <= 20:
        for row in rows:
            record(actor=actor, verb=verb, target=row, changes={"key": [None, row.idempotency_key]})
    else:
        record(actor=actor, verb=verb, target=rows[0].endpoint, changes={"queued": [0, len(rows)]})
    if setting("EXCHANGE_SEND_ON_COMMIT"):
        transaction.on_commit(_kick, robust=True)
    return rows


def _kick() -> None:
    from chuangcheng.exchange.tasks import deliver_due_task

    try:
        deliver_due_task.delay()
    except Exception:  # noqa: BLE001  the periodic worker sends it anyway
        logger.warning("未能排队对接推送任务；将由定时任务发送", exc_info=True)


@dataclass
class DeliveryRun:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


def _claim(limit: int, now) -> list[Exchange]:
    """Take due rows (``SKIP LOCKED``: two workers never take the same one) and lease them: the
    attempt is counted and the row is due again after the lease, so a crash mid-send retries it."""
    with transaction.atomic():
        rows = list(
            Exchange.objects.filter(status__in=DUE_STATUSES, next_attempt_at__lte=now)
            .filter(Q(direction=Direction.OUT))
            .select_for_update(no_key=True, skip_locked=True, of=("self",))
            .select_related("endpoint")
            .order_by("next_attempt_at", "id")[:limit]
        )
        lease = now + timedelta(seconds=setting("EXCHANGE_LEASE_SECONDS"))
        for row in rows:
            row.attempts += 1
            row.next_attempt_at = lease
        bulk.update([row.pk for row in rows], attempts=("+", 1), next_attempt_at=lease)
    return rows


def _send(row: Exchange, sender: Callable, timeout: float) -> transport.Result:
    endpoint = row.endpoint
    if endpoint is None or not endpoint.is_active:
        return transport.Result(None, error="对接系统已停用")
    body = payloads.encode(row.payload)
    headers = signing.signed_headers(
        code=endpoint.code, secret=endpoint.secret, body=body, idempotency_key=row.idempotency_key
    )
    try:
        return sender(endpoint.url, body, headers, timeout)
    except Exception as exc:  # noqa: BLE001  a sender bug must not lose the row
        return transport.Result(None, error=f"发送异常：{exc}"[:500])


def _settle(row: Exchange, result: transport.Result, now, max_attempts: int, run: DeliveryRun) -> None:
    row.response_code = result.status
    if result.ok:
        row.status, row.error, row.finished_at, row.next_attempt_at = ExchangeStatus.SENT, "", now, None
        run.sent += 1
        return
    reason = result.error or f"对方返回 HTTP {result.status}：{result.body[:200]}"
    if result.retriable and row.attempts < max_attempts:
        row.status = ExchangeStatus.RETRYING
        row.next_attempt_at = now + timedelta(seconds=backoff_seconds(row.attempts))
        row.error = reason[:500]
        run.retrying += 1
        return
    row.status, row.finished_at, row.next_attempt_at = ExchangeStatus.FAILED, now, None
    final = "重试已达上限" if result.retriable else "对方拒收"
    row.error = f"{final}（第 {row.attempts} 次）：{reason}"[:500]
    run.failed += 1
    run.errors.append((row.idempotency_key, row.error))


def deliver_due(*, limit: int | None = None, sender: Callable | None = None, workers: int | None = None) -> DeliveryRun:
    """Send every due outbound message (``limit``: at most that many this run), ``workers`` at a time.
    Idempotent and safe to run concurrently; rows are marked in bulk per batch."""
    sender = sender or transport.post_json
    workers = workers or setting("EXCHANGE_WORKERS")
    batch = setting("EXCHANGE_BATCH")
    timeout = setting("EXCHANGE_TIMEOUT_SECONDS")
    max_attempts = setting("EXCHANGE_MAX_ATTEMPTS")
    run = DeliveryRun()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while limit is None or run.handled < limit:
            size = batch if limit is None else min(batch, limit - run.handled)
            rows = _claim(size, timezone.now())
            if not rows:
                break
            results = list(pool.map(lambda row: _send(row, sender, timeout), rows))
            _mark(rows, results, max_attempts, run)
    return run


@transaction.atomic
def _mark(rows: list[Exchange], results: list, max_attempts: int, run: DeliveryRun) -> None:
    now = timezone.now()
    for row, result in zip(rows, results, strict=True):
        _settle(row, result, now, max_attempts, run)
    # One UPDATE per outcome (all delivered rows share one); ``bulk_update``'s CASE per row dominated at 10,000.
    groups: dict[tuple, list[int]] = {}
    for row in rows:
        key = (row.status, row.next_attempt_at, row.response_code, row.error, row.finished_at)
        groups.setdefault(key, []).append(row.pk)
    for (status, next_at, code, error, finished), ids in groups.items():
        bulk.update(ids, status=status, next_attempt_at=next_at, response_code=code, error=error, finished_at=finished)
    counts: dict = {}
    for row in rows:
        tally = counts.setdefault(row.endpoint_id, {"endpoint": row.endpoint, "sent": 0, "retrying": 0, "failed": 0})
        if row.status in (ExchangeStatus.SENT, ExchangeStatus.RETRYING, ExchangeStatus.FAILED):
            tally[row.status] += 1
    for tally in counts.values():
        if tally["endpoint"] is not None:  # one summary row per endpoint and batch; each message is in the log
            changes = {name: [0, tally[name]] for name in ("sent", "retrying", "failed") if tally[name]}
            record(actor=None, verb="exchange.delivered", target=tally["endpoint"], changes=changes)


@transaction.atomic
def retry_message(*, actor, message: Exchange) -> Exchange:
    """The office sends a 失败 message again (attempts start over)."""
    from chuangcheng.core.errors import Conflict, NotPermitted
    from chuangcheng.exchange.permissions import can_manage_exchange

    if not can_manage_exchange(actor):
        raise NotPermitted("只有创建办可以重发对接消息")
    message = Exchange.objects.select_for_update(no_key=True).get(pk=message.pk)
    if message.direction != Direction.OUT or message.status != ExchangeStatus.FAILED:
        raise Conflict("只有发送失败的推送可以重发")
    old = message.status
    message.status, message.attempts, message.next_attempt_at = ExchangeStatus.PENDING, 0, timezone.now()
    message.finished_at = None
    message.save(update_fields=["status", "attempts", "next_attempt_at", "finished_at"])
    record(actor=actor, verb="exchange.retried", target=message, changes={"status": [old, message.status]})
    transaction.on_commit(_kick, robust=True)
    return message
