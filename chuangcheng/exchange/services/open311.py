"""Open311 client mode: pull requests from another GeoReport v2 server on a schedule.

Each run reads ``requests.json`` over the window from the last run (less an overlap, so a request
updated at the edge is not missed; the first run reads the last 90 days) up to now, page by page
(``page``/``page_size``, stopping on a short page or at ``X-Total-Count``). A remote
``service_request_id`` becomes a case once (``RemoteRequest``, unique per endpoint); a later run that
sees another status records it on the case's timeline (``cases.external``: the remote system's
status is its own, so it is noted and the lead unit alerted, never taken as our verification).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.cases import external
from chuangcheng.cases import services as case_services
from chuangcheng.cases.models import CaseSource
from chuangcheng.core.errors import DomainError
from chuangcheng.exchange import payloads, transport
from chuangcheng.exchange.models import (
    Direction,
    Endpoint,
    EndpointKind,
    Exchange,
    ExchangeKind,
    ExchangeStatus,
    RemoteRequest,
)
from chuangcheng.places.models import SiteCategory

logger = logging.getLogger(__name__)
OVERLAP = timedelta(minutes=10)
FIRST_WINDOW = timedelta(days=89)
PAGE_SIZE = 100
MAX_PAGES = 200
STATUS_LABELS = {"open": "处理中", "closed": "已办结"}


@dataclass
class PullResult:
    pages: int = 0
    seen: int = 0
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)


def _stamp(value) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _number(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _open_case(endpoint: Endpoint, item: dict, categories: dict):
    sid = str(item["service_request_id"])
    text = str(item.get("description") or item.get("service_name") or "").strip()
    title = str(item.get("service_name") or text[:40] or "Open311 请求").strip()
    lng, lat = _number(item.get("long")), _number(item.get("lat"))
    if lng is not None and not (-180 <= lng <= 180 and -90 <= (lat or 0) <= 90) or (lng is None) != (lat is None):
        lng = lat = None
    return case_services.create_case(
        actor=endpoint.actor,
        source=CaseSource.CITIZEN,
        title=f"{title}（{endpoint.name}）"[:200],
        description="\n".join(filter(None, [text, str(item.get("address") or "")])),
        category=categories.get(str(item.get("service_code") or "")),
        lng=lng,
        lat=lat,
        external_ref=f"{endpoint.code}:{sid}"[:60],
        auto_register=True,
    )


def _apply(endpoint: Endpoint, items: list, result: PullResult, categories: dict) -> None:
    ids = [str(item.get("service_request_id") or "") for item in items if isinstance(item, dict)]
    known = {
        r.service_request_id: r for r in RemoteRequest.objects.filter(endpoint=endpoint, service_request_id__in=ids)
    }
    updates = []
    for item in items:
        if not isinstance(item, dict) or not item.get("service_request_id"):
            result.errors.append("缺少 service_request_id 的记录已跳过")
            continue
        sid = str(item["service_request_id"])[:100]
        status = str(item.get("status") or "")[:20]
        updated = str(item.get("updated_datetime") or "")[:40]
        remote = known.get(sid)
        if remote is None:
            try:
                with transaction.atomic():
                    case = _open_case(endpoint, item, categories)
                    remote = RemoteRequest.objects.create(
                        endpoint=endpoint, service_request_id=sid, case=case, remote_status=status,
                        remote_updated_at=updated,
                    )  # fmt: skip
            except DomainError as exc:
                result.errors.append(f"{sid}：{exc.message}")
                continue
            known[sid] = remote
            result.created += 1
        elif remote.remote_status != status:
            if remote.case_id:
                label = STATUS_LABELS.get(status, status)
                updates.append(
                    external.ExternalUpdate(
                        case_id=remote.case_id,
                        note=f"{endpoint.name} 请求 {sid} 状态：{STATUS_LABELS.get(remote.remote_status, '无')} → "
                        f"{label}",
                        data={"system": "open311", "endpoint": endpoint.code, "request": sid, "status": status},
                        alert=f"{endpoint.name}：该请求已{label}" if status == "closed" else "",
                    )
                )
            remote.remote_status, remote.remote_updated_at = status, updated
            remote.save(update_fields=["remote_status", "remote_updated_at", "updated_at"])
            result.updated += 1
    external.apply_external_updates(actor=endpoint.actor, updates=updates)


def pull_endpoint(*, endpoint: Endpoint, now=None, page_size: int = PAGE_SIZE) -> PullResult:
    """One pull of ``endpoint`` (kind Open311); each page is applied in its own transaction, the
    window advances only when every page was read."""
    now = now or timezone.now()
    start = endpoint.pulled_until - OVERLAP if endpoint.pulled_until else now - FIRST_WINDOW
    categories = {c.code: c for c in SiteCategory.objects.all()}
    result = PullResult()
    base = endpoint.url.rstrip("/") + "/requests.json"
    params = {"start_date": _stamp(start), "end_date": _stamp(now), "page_size": page_size}
    if endpoint.open311_jurisdiction:
        params["jurisdiction_id"] = endpoint.open311_jurisdiction
    if endpoint.open311_api_key:
        params["api_key"] = endpoint.open311_api_key
    complete = False
    for page in range(1, MAX_PAGES + 1):
        data, answer = transport.get_json(base, {**params, "page": page})
        if not isinstance(data, list):
            result.errors.append(answer.error or f"HTTP {answer.status}：{answer.body[:200]}")
            break
        with transaction.atomic():
            _apply(endpoint, data, result, categories)
        result.pages, result.seen = page, result.seen + len(data)
        total = (answer.headers or {}).get("x-total-count")
        if len(data) < page_size or (total and total.isdigit() and result.seen >= int(total)):
            complete = True
            break
    _finish(endpoint=endpoint, now=now, result=result, complete=complete, window=params)
    return result


@transaction.atomic
def _finish(*, endpoint: Endpoint, now, result: PullResult, complete: bool, window: dict) -> None:
    endpoint = Endpoint.objects.select_for_update(no_key=True).get(pk=endpoint.pk)
    endpoint.last_pulled_at = now
    if complete:
        endpoint.pulled_until = now
    endpoint.save(update_fields=["last_pulled_at", "pulled_until", "updated_at"])
    summary = {
        "window": [window["start_date"], window["end_date"]],
        "pages": result.pages, "seen": result.seen, "created": result.created, "updated": result.updated,
        "errors": result.errors[:20],
    }  # fmt: skip
    row = Exchange.objects.create(
        direction=Direction.IN,
        kind=ExchangeKind.PULL,
        endpoint=endpoint,
        idempotency_key=f"{window['start_date']}/{window['end_date']}",
        payload=summary,
        payload_hash=payloads.payload_hash(summary),
        status=ExchangeStatus.ACCEPTED if complete else ExchangeStatus.FAILED,
        attempts=1,
        error="；".join(result.errors)[:500],
        finished_at=now,
    )
    record(actor=None, verb="exchange.pulled", target=row, changes={"created": [0, result.created]})


def pull_due(*, now=None) -> dict[str, PullResult]:
    """Pull every active Open311 endpoint whose interval has passed (the beat entry and the command)."""
    now = now or timezone.now()
    results = {}
    for endpoint in Endpoint.objects.filter(is_active=True, kind=EndpointKind.OPEN311).select_related("actor"):
        due = endpoint.last_pulled_at is None or endpoint.last_pulled_at + timedelta(
            minutes=endpoint.pull_every_minutes
        ) <= now + timedelta(seconds=5)
        if due:
            results[endpoint.code] = pull_endpoint(endpoint=endpoint, now=now)
    return results
