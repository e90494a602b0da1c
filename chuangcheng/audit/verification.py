"""Verifying the audit chain end to end, and keeping each run (``AuditVerification``) for the office's page.

Beyond recomputing each row's hash, a run checks what the hashes alone cannot show: a position missing from
the middle (a gap in ``seq``, reported by its own position), the end of the chain against the signed
checkpoint (rows deleted from the end, or appended by SQL), and pending rows without the application's
signature (inserted by SQL; sealing refuses them).
"""

from __future__ import annotations

from django.utils import timezone

from chuangcheng.audit.models import AuditCheckpoint, AuditEvent, AuditVerification
from chuangcheng.audit.services import pending_count, seal_pending
from chuangcheng.audit.signing import head_mac, row_mac, valid
from chuangcheng.core.chains import registered_chains
from chuangcheng.core.hashchain import GENESIS, chain_hash


def _positions(first: int, last: int) -> str:
    return f"第 {first} 条" if first == last else f"第 {first}–{last} 条"


def chain_problems() -> tuple[int, list[str]]:
    """``(rows checked, problems in Chinese)`` for the audit chain; no problems means it verifies."""
    problems: list[str] = []
    expected_seq, expected_prev, checked, last = 1, GENESIS, 0, None
    rows = AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000)
    for event in rows:
        checked += 1
        gap = event.seq > expected_seq
        if gap:
            problems.append(f"审计日志链序号{_positions(expected_seq, event.seq - 1)}缺失（已被删除）")
        if chain_hash(event.prev_hash, event.chain_payload()) != event.hash or (
            not gap and event.prev_hash != expected_prev
        ):
            problems.append(f"审计日志第 {event.pk} 条记录被篡改或链断裂（链序号 {event.seq}）")
        expected_seq, expected_prev, last = event.seq + 1, event.hash, event
    problems += _tail_problems(last)
    for event in AuditEvent.objects.filter(seq__isnull=True).order_by("id"):
        if event.hash is not None or event.prev_hash:
            problems.append(f"审计日志第 {event.pk} 条记录被移出链（链断裂）")
        elif event.refused or not valid(row_mac(event.chain_payload()), event.mac):
            problems.append(f"审计日志第 {event.pk} 条待封存记录没有应用的有效签名（疑似直接写库伪造），拒绝入链")
    return checked, problems


def _tail_problems(last: AuditEvent | None) -> list[str]:
    checkpoint = AuditCheckpoint.objects.filter(pk=1).first()
    if checkpoint is None:
        return ["审计日志缺少链头检查点：无法确认链尾完整"] if last is not None else []
    if not valid(head_mac(checkpoint.seq, checkpoint.hash), checkpoint.mac):
        return ["审计链头检查点的签名无效（检查点被改动）"]
    last_seq = last.seq if last is not None else 0
    if last_seq < checkpoint.seq:
        return [f"审计日志链序号{_positions(last_seq + 1, checkpoint.seq)}缺失（链尾记录已被删除）"]
    if last_seq > checkpoint.seq:
        return [f"审计日志链序号{_positions(checkpoint.seq + 1, last_seq)}不是应用封存的（在检查点之后被追加）"]
    if last.hash != checkpoint.hash:
        return [f"审计日志链尾第 {last.pk} 条与检查点不符"]
    return []


def run_verification(*, actor=None, seal: bool = True) -> AuditVerification:
    """Seal what is pending (unless ``seal`` is false), verify every chain, and store the run."""
    if seal:
        seal_pending()
    checked, problems = chain_problems()
    for name, verify in registered_chains():
        problems += [f"{name} 第 {row_id} 条记录被篡改或链断裂" for row_id in verify()]
    label = getattr(actor, "display_name", None) or (str(actor) if actor else "系统")
    return AuditVerification.objects.create(
        at=timezone.now(),
        actor_label=label[:150],
        ok=not problems,
        checked=checked,
        pending=pending_count(),
        problems=problems,
    )


def last_verification() -> AuditVerification | None:
    return AuditVerification.objects.first()
