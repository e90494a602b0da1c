"""The audit log's only writer. Every service calls ``record`` inside its transaction."""

from __future__ import annotations

import json

from django.db import connection, models, transaction
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.hashchain import GENESIS, chain_hash, verify_chain

# Serialises appends to the chain on PostgreSQL; SQLite serialises writers already.
AUDIT_CHAIN_LOCK = 7_210_001


def lock_chain(key: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _jsonable(value):
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


@transaction.atomic
def record(
    *,
    actor,
    verb: str,
    target: models.Model | None = None,
    target_type: str = "",
    unit=None,
    changes: dict | None = None,
) -> AuditEvent:
    lock_chain(AUDIT_CHAIN_LOCK)
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        at=timezone.now(),
        actor=actor_obj,
        actor_label=(actor_obj.display_name if actor_obj else (str(actor) if actor else "系统")),
        verb=str(verb),
        target_type=target_type or (target._meta.label_lower if target is not None else ""),
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=(str(target)[:255] if target is not None else ""),
        unit=unit,
        changes={key: _jsonable(value) for key, value in (changes or {}).items()},
        prev_hash=last or GENESIS,
    )
    event.hash = chain_hash(event.prev_hash, event.chain_payload())
    event.save()
    return event


def verify_audit_chain() -> list[int]:
    """Ids of audit rows whose content or position no longer matches the chain."""
    rows = (
        (event.pk, event.prev_hash, event.hash, event.chain_payload())
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    )
    return verify_chain(rows)
