"""The case timeline: append-only transitions, hash-chained per case."""

from __future__ import annotations

from django.utils import timezone

from chuangcheng.cases.models import Case, CaseTransition
from chuangcheng.core.hashchain import GENESIS, chain_hash, verify_chain


def actor_label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "系统"
    return actor.display_name


def append(case: Case, **fields) -> CaseTransition:
    """Append one row (``build``'s fields); the caller holds the case row lock and saves ``case.timeline_head``."""
    row = build(case, **fields)
    row.save()
    return row


def build(
    case: Case,
    *,
    action: str,
    from_status: str,
    to_status: str,
    actor,
    note: str = "",
    data: dict | None = None,
    at=None,
    actor_unit=None,
) -> CaseTransition:
    """The next row of ``case``'s timeline, hashed but unsaved (``append`` saves it; batch intake
    bulk-inserts many); moves ``case.timeline_head`` to it. ``case`` must have its id."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    row = CaseTransition(
        case=case,
        from_status=from_status,
        to_status=to_status,
        action=action,
        actor=user,
        actor_label=actor_label(actor),
        actor_unit=actor_unit,
        at=at or timezone.now(),
        note=note,
        data=data or {},
        prev_hash=case.timeline_head or GENESIS,
    )
    row.hash = chain_hash(row.prev_hash, row.chain_payload())
    case.timeline_head = row.hash
    return row


def verify_case_timelines() -> list:
    """Ids of altered transition rows (and ``案件<id>`` when a case's newest rows were removed)."""
    bad: list = []
    heads = dict(Case.objects.values_list("pk", "timeline_head"))
    current_case = None
    rows: list = []

    def flush():
        if current_case is None:
            return
        bad.extend(verify_chain(rows))
        last = rows[-1][2] if rows else ""
        if heads.get(current_case, "") != last:
            bad.append(f"案件{current_case}（末尾记录缺失）")

    for row in CaseTransition.objects.order_by("case_id", "id").iterator(chunk_size=5000):
        if row.case_id != current_case:
            flush()
            current_case, rows = row.case_id, []
        rows.append((row.pk, row.prev_hash, row.hash, row.chain_payload()))
    flush()
    return bad
