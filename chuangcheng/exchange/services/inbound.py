"""Inbound status updates from another system: signed, never replayed, idempotent; each moves the
case through its workflow (``cases.workflow.transition``) as the endpoint's system account.

``已受理`` → 签收, ``处理中`` → 开始整改, ``已办结`` → 提交核查 (with the photos as evidence; the office
still verifies and closes), ``退回`` → 退回 (the note is the reason). An update whose state the case is
already in, or an ``event_id`` already applied, is answered as a duplicate and changes nothing.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from chuangcheng.audit.services import record
from chuangcheng.cases import workflow
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.core.errors import DomainError, NotFound
from chuangcheng.exchange import signing
from chuangcheng.exchange.conf import setting
from chuangcheng.exchange.models import Direction, Endpoint, Exchange, ExchangeKind, ExchangeStatus, InboundNonce

STATUS_ACTIONS = {
    "已受理": workflow.Action.SIGN,
    "accepted": workflow.Action.SIGN,
    "处理中": workflow.Action.START,
    "in_progress": workflow.Action.START,
    "已办结": workflow.Action.SUBMIT,
    "finished": workflow.Action.SUBMIT,
    "退回": workflow.Action.RETURN,
    "returned": workflow.Action.RETURN,
}
REACHED = {
    workflow.Action.SIGN: {CaseStatus.SIGNED, CaseStatus.RECTIFYING, CaseStatus.SUBMITTED, CaseStatus.CLOSED},
    workflow.Action.START: {CaseStatus.RECTIFYING, CaseStatus.SUBMITTED, CaseStatus.CLOSED},
    workflow.Action.SUBMIT: {CaseStatus.SUBMITTED, CaseStatus.CLOSED},
    workflow.Action.RETURN: {CaseStatus.RETURNED},
}


class Refused(Exception):
    """A request refused before it is read: 401 (unsigned, unknown, wrong signature) or 403 (replay)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def authenticate(*, code: str, headers, body: bytes) -> Endpoint:
    """The endpoint whose secret signed ``body``; the nonce is spent (in its own transaction)."""
    endpoint = Endpoint.objects.filter(code=code, is_active=True).select_related("actor").first()
    if endpoint is None:
        raise Refused(401, "未知或已停用的对接系统")
    named = headers.get(signing.HEADER_ENDPOINT, code)
    if named != code:
        raise Refused(401, "X-CC-Endpoint 与地址中的对接系统不符")
    nonce = headers.get(signing.HEADER_NONCE, "")
    refusal = signing.check(
        secret=endpoint.secret,
        timestamp=headers.get(signing.HEADER_TIMESTAMP, ""),
        nonce=nonce,
        given=headers.get(signing.HEADER_SIGNATURE, ""),
        body=body,
    )
    if refusal is not None:
        raise Refused(refusal.status, refusal.message)
    try:
        with transaction.atomic():
            InboundNonce.objects.create(endpoint=endpoint, nonce=nonce)
    except IntegrityError as exc:
        raise Refused(403, "重放的请求（X-CC-Nonce 已使用过），已拒绝") from exc
    return endpoint


@transaction.atomic
def log_refusal(*, endpoint: Endpoint | None, kind: str, body: bytes, status: int, message: str, key: str = "") -> None:
    """Every refused inbound request is logged (what came, why it was refused), nothing else changes."""
    row = Exchange.objects.create(
        direction=Direction.IN,
        kind=kind,
        endpoint=endpoint,
        idempotency_key=key[:120],
        payload={},
        payload_hash=signing.body_hash(body),
        status=ExchangeStatus.REFUSED,
        response_code=status,
        error=message[:500],
    )
    record(actor=None, verb="exchange.inbound_refused", target=row, changes={"error": [None, message[:200]]})


@dataclass
class Outcome:
    exchange: Exchange
    duplicate: bool


def _uploads(photos) -> list:
    if not photos:
        return []
    if not isinstance(photos, list) or len(photos) > setting("EXCHANGE_INBOUND_MAX_PHOTOS"):
        raise DomainError(f"photos 须为列表，至多 {setting('EXCHANGE_INBOUND_MAX_PHOTOS')} 张", field="photos")
    uploads = []
    for index, photo in enumerate(photos, start=1):
        try:
            data = base64.b64decode(str(photo.get("data", "")), validate=True)
        except (binascii.Error, AttributeError) as exc:
            raise DomainError(f"第 {index} 张照片的 data 不是有效的 base64", field="photos") from exc
        name = str(photo.get("name") or f"photo-{index}.jpg")[:100]
        uploads.append(SimpleUploadedFile(name, data, content_type="application/octet-stream"))
    return uploads


def _log(*, endpoint, case, key: str, data: dict, body: bytes, status: str) -> Exchange:
    kept = {k: v for k, v in data.items() if k != "photos"}
    kept["photos"] = [{"name": str(p.get("name", ""))[:100]} for p in data.get("photos") or [] if isinstance(p, dict)]
    return Exchange.objects.create(
        direction=Direction.IN,
        kind=ExchangeKind.STATUS,
        endpoint=endpoint,
        case=case,
        idempotency_key=key[:120],
        payload=kept,
        payload_hash=signing.body_hash(body),
        status=status,
        response_code=200,
    )


@transaction.atomic
def receive_status(*, endpoint: Endpoint, data: dict, body: bytes, key: str = "") -> Outcome:
    """Apply one status update (``data``: ``case_number``, ``status``, ``note``, ``photos``, ``event_id``)."""
    if not isinstance(data, dict):
        raise DomainError("请求体须为 JSON 对象", field="body")
    number = str(data.get("case_number") or "").strip()
    if not number:
        raise DomainError("case_number 不能为空", field="case_number")
    action = STATUS_ACTIONS.get(str(data.get("status") or "").strip())
    if action is None:
        raise DomainError("status 须为 已受理、处理中、已办结 或 退回", field="status")
    if endpoint.actor is None:
        raise DomainError("该对接系统未指定对应单位，不能回传状态", field="endpoint")
    key = str(data.get("event_id") or key or "").strip()[:120]
    if not key:
        raise DomainError("event_id 不能为空（或在 Idempotency-Key 头中给出）", field="event_id")
    case = Case.objects.visible_to(endpoint.actor).filter(number=number).first()
    if case is None:
        raise NotFound(f"案件 {number} 不存在或不属于该对接系统")
    applied = Exchange.objects.filter(
        direction=Direction.IN, endpoint=endpoint, kind=ExchangeKind.STATUS, idempotency_key=key,
        status=ExchangeStatus.ACCEPTED,
    ).exists()  # fmt: skip
    if applied or case.status in REACHED[action]:
        row = _log(endpoint=endpoint, case=case, key=key, data=data, body=body, status=ExchangeStatus.DUPLICATE)
        record(actor=endpoint.actor, verb="exchange.inbound_duplicate", target=row, changes={"key": [None, key]})
        return Outcome(row, True)
    note = str(data.get("note") or "").strip()[:2000]
    workflow.transition(
        case,
        action,
        actor=endpoint.actor,
        note=f"{endpoint.name}回传：{note}" if note else f"{endpoint.name}回传：{data.get('status')}",
        evidence=_uploads(data.get("photos")),
    )
    row = _log(endpoint=endpoint, case=case, key=key, data=data, body=body, status=ExchangeStatus.ACCEPTED)
    record(actor=endpoint.actor, verb="exchange.inbound_applied", target=row, changes={"action": [None, action]})
    return Outcome(row, False)
