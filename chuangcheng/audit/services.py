"""The audit log's only writer. Every service calls ``record`` inside its transaction.

Two steps keep the chain without serialising every business transaction:
``record`` inserts the row *pending* (no chain position, no hash) inside the
caller's transaction, taking no lock; after that transaction commits,
``seal_pending`` runs in a short transaction of its own, takes the chain lock,
and appends every committed pending row in id order (``seq``, ``prev_hash``,
``hash``). ``manage.py seal_audit`` (and the Celery beat task) seal anything a
failed after-commit call left behind; ``manage.py verify_audit`` seals, then
recomputes the chain.

Both ends of the chain are protected: ``record`` signs each pending row with the application's key
(``audit.signing``) and sealing refuses a row without a valid signature (one inserted by SQL); each seal
writes the signed head of the chain (``AuditCheckpoint``), so rows deleted from the end, or appended by SQL,
no longer verify. ``audit.verification`` runs and stores the checks.
"""

from __future__ import annotations

import json
import logging

from django.db import connection, models, transaction
from django.utils import timezone

from chuangcheng.audit.models import AuditCheckpoint, AuditEvent
from chuangcheng.audit.signing import head_mac, row_mac, valid
from chuangcheng.core.hashchain import GENESIS, chain_hash, verify_chain
from chuangcheng.core.inserts import insert

logger = logging.getLogger(__name__)

# Serialises sealing on PostgreSQL; SQLite serialises writers already.
AUDIT_CHAIN_LOCK = 7_210_001
SEAL_BATCH = 1000


def lock_chain(key: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


_PLAIN = frozenset((str, int, float, bool, type(None)))  # what JSON takes as it is


def _jsonable(value):
    """``value`` when JSON can hold it, a model's pk, else its text. Plain values and ``[old, new]`` pairs of
    them (nearly every change) need no trial ``json.dumps``."""
    kind = type(value)
    if kind in _PLAIN or ((kind is list or kind is tuple) and all(type(item) in _PLAIN for item in value)):
        return value
    if isinstance(value, models.Model):
        return value.pk
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)


def diff(instance: models.Model, new_values: dict) -> dict:
    """``{field: [old, new]}`` for the fields whose value changes."""
    changes = {}
    for name, new in new_values.items():
        old = getattr(instance, name, None)
        if old != new:
            changes[name] = [_jsonable(old), _jsonable(new)]
    return changes


@transaction.atomic(savepoint=False)
def record(
    *,
    actor,
    verb: str,
    target: models.Model | None = None,
    target_type: str = "",
    unit=None,
    changes: dict | None = None,
) -> AuditEvent:
    """Write one audit row in the caller's transaction, pending; it is sealed into the chain after commit.

    No lock is taken here, so concurrent business transactions do not queue
    behind each other on the audit log (see ``seal_pending``). No savepoint
    either: a failed insert fails the caller's transaction, as it must.
    ``unit`` may be a unit or its id.
    """
    event = _event(actor=actor, verb=verb, target=target, target_type=target_type, unit=unit, changes=changes)
    event.save(force_insert=True)
    _schedule_seal()
    return event


def record_many(entries: list[dict]) -> list[AuditEvent]:
    """``record`` for many rows at once: one multi-row INSERT of pending rows, in ``entries`` order.

    Each entry holds ``record``'s keyword arguments. The rows are sealed after commit like any other.
    """
    events = [_event(**entry) for entry in entries]
    if events:
        insert(events)
        _schedule_seal()
    return events


def _event(*, actor, verb: str, target=None, target_type: str = "", unit=None, changes=None, at=None) -> AuditEvent:
    """The unsaved pending row ``record`` and ``record_many`` write."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    unit_id = getattr(unit, "pk", unit)
    event = AuditEvent(
        at=at or timezone.now(),
        actor=actor_obj,
        actor_label=(actor_obj.display_name if actor_obj else (str(actor) if actor else "系统")),
        verb=str(verb),
        target_type=target_type or (target._meta.label_lower if target is not None else ""),
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=(str(target)[:255] if target is not None else ""),
        unit_id=int(unit_id) if unit_id is not None else None,
        changes={key: _jsonable(value) for key, value in (changes or {}).items()},
    )
    event.mac = row_mac(event.chain_payload())
    return event


def _seal_after_commit() -> None:
    from chuangcheng.audit.sealer import request_seal

    request_seal()  # now, or within AUDIT_SEAL_DELAY_MS by this process's sealing thread (``audit.sealer``)


def _schedule_seal() -> None:
    """Seal once after the outermost commit, however many rows the transaction recorded.

    ``robust``: a failure to seal is logged, never turned into an error for a
    request whose work is already committed; the periodic ``seal_audit`` picks
    the rows up.
    """
    conn = transaction.get_connection()
    if any(entry[1] is _seal_after_commit for entry in getattr(conn, "run_on_commit", ())):
        return
    transaction.on_commit(_seal_after_commit, robust=True)


def seal_pending(*, batch: int = SEAL_BATCH) -> int:
    """Give committed pending rows their chain position and hashes, in id order; return how many.

    Each batch is one short transaction holding the chain lock (on SQLite the
    write transaction serialises sealers). Only committed rows are visible, so a
    row whose transaction is still open is sealed by a later call.
    """
    sealed = 0
    while True:
        with transaction.atomic():
            _lock_for_sealing()
            pending = list(
                AuditEvent.objects.filter(seq__isnull=True, refused=False)
                .order_by("id")
                .values_list("id", "mac", *AuditEvent.PAYLOAD_FIELDS)[:batch]
            )
            if not pending:
                return sealed
            head = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
            seq, prev = head or (0, GENESIS)
            updates, refused = [], []
            for row_id, mac, *fields in pending:
                payload = AuditEvent.payload(*fields)
                if not valid(row_mac(payload), mac):
                    refused.append(row_id)
                    continue
                seq += 1
                digest = chain_hash(prev, payload)
                updates.append((seq, prev, digest, row_id))
                prev = digest
            if refused:
                AuditEvent.objects.filter(pk__in=refused).update(refused=True)
                logger.warning("审计日志：%s 条待封存记录没有应用的有效签名，拒绝入链（id %s）", len(refused), refused)
            if updates:
                _write_seals(updates)
                _write_checkpoint(seq, prev)
        sealed += len(updates)
        if len(pending) < batch:
            return sealed


def _write_checkpoint(seq: int, digest: str) -> None:
    """Record the signed head of the chain (in the sealing transaction, under the chain lock)."""
    values = {"seq": seq, "hash": digest, "mac": head_mac(seq, digest), "at": timezone.now()}
    if not AuditCheckpoint.objects.filter(pk=1).update(**values):
        AuditCheckpoint.objects.create(pk=1, **values)


def _write_seals(updates: list[tuple]) -> None:
    """``(seq, prev_hash, hash, id)`` per row: on PostgreSQL one UPDATE for the whole batch (the chain lock
    is held meanwhile, so it should be short), elsewhere one UPDATE per row."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s", updates)
            return
        values = ", ".join(["(%s::bigint, %s, %s, %s::bigint)"] * len(updates))
        cursor.execute(
            f"UPDATE {table} AS t SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash"
            f" FROM (VALUES {values}) AS v(seq, prev_hash, hash, id) WHERE t.id = v.id",
            [value for row in updates for value in row],
        )


def _lock_for_sealing() -> None:
    """Take the chain lock for this transaction, which commits without waiting for the WAL flush.

    Sealing is derived state: if a crash loses the last seal commits, their rows are pending again
    (their own transactions were durable) and are sealed anew; so the seal need not wait for the
    disk while it holds the lock (PostgreSQL ``synchronous_commit``; one round trip for both).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(%s)", [AUDIT_CHAIN_LOCK]
            )


def pending_count() -> int:
    return AuditEvent.objects.filter(seq__isnull=True, refused=False).count()


def verify_audit_chain() -> list[int]:
    """Ids of audit rows whose content or position no longer matches the chain.

    Sealed rows are checked in chain order. A pending row carries no hash yet,
    so it cannot be checked until sealed; but a pending row that has a hash was
    taken out of the chain (its successor is named as well) and is named here.
    """
    rows = (
        (event.pk, event.prev_hash, event.hash, event.chain_payload())
        for event in AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000)
    )
    unsealed_with_hash = AuditEvent.objects.filter(seq__isnull=True).exclude(hash__isnull=True, prev_hash="")
    return verify_chain(rows) + list(unsealed_with_hash.order_by("id").values_list("pk", flat=True))
