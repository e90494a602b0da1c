"""Which case changes go out, written in the case change's own transaction (``cases.hooks``):

- a case dispatched (派遣/改派) that matches an automatic endpoint's rules (category, area with its
  sub-areas, lead unit, source; an empty rule matches everything) is pushed to it, once per case number;
- a 12345 case that closes sends the order's reply and 办结 to every active 12345 endpoint;
- the office may push any case by hand (``send_case``, 转派外部系统).

Cases dispatched by the batch intake do not pass through ``workflow.transition``; the periodic
``enqueue_matching_cases`` picks them up (and anything else a listener could not see), idempotently.
"""

from __future__ import annotations

from django.db import transaction

from chuangcheng.cases.models import Case, CasePhoto, CaseSource, CaseStatus
from chuangcheng.core import cache
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.exchange import payloads
from chuangcheng.exchange.models import Direction, Endpoint, EndpointKind, Exchange, ExchangeKind
from chuangcheng.exchange.permissions import can_send_case
from chuangcheng.exchange.services.outbox import enqueue, new_message
from chuangcheng.places.selectors import area_ancestors

PUSH_KINDS = (EndpointKind.CITY_MGMT, EndpointKind.DISTRICT)
VERSION_KEY = "exchange.endpoints"
SWEEP_LIMIT = 5000


def endpoints_changed() -> None:
    cache.new_version(VERSION_KEY)


def _active_kinds() -> dict:
    """Whether any automatic push / 12345 endpoint is active (cached, so a transition costs no query
    where nothing is configured)."""
    key = f"exchange.active:{cache.version_token(VERSION_KEY)}"
    found = cache.safe_get(key)
    if found is None:
        rows = list(Endpoint.objects.filter(is_active=True).values_list("kind", "manual_only"))
        found = {
            "push": any(kind in PUSH_KINDS and not manual for kind, manual in rows),
            "hotline": any(kind == EndpointKind.HOTLINE for kind, _ in rows),
        }
        cache.safe_set(key, found, 300)
    return found


def _push_endpoints() -> list[Endpoint]:
    return list(
        Endpoint.objects.filter(is_active=True, manual_only=False, kind__in=PUSH_KINDS)
        .prefetch_related("rule_categories", "rule_areas", "rule_units")
        .order_by("pk")
    )


def matches(endpoint: Endpoint, case: Case, area_ids: set[int]) -> bool:
    """``area_ids``: the case's area and its ancestors."""
    categories = {c.pk for c in endpoint.rule_categories.all()}
    areas = {a.pk for a in endpoint.rule_areas.all()}
    units = {u.pk for u in endpoint.rule_units.all()}
    return (
        (not categories or case.category_id in categories)
        and (not areas or bool(areas & area_ids))
        and (not units or case.lead_unit_id in units)
        and (not endpoint.rule_sources or case.source in endpoint.rule_sources)
    )


def _area_ids(case: Case, endpoints: list[Endpoint]) -> set[int]:
    if case.area_id is None or not any(e.rule_areas.all() for e in endpoints):
        return set()
    return {area.pk for area in area_ancestors(case.area)} | {case.area_id}


def push_message(case: Case, endpoint: Endpoint, photos: list | None = None) -> Exchange:
    """The push of ``case`` (``photos``: its photos when the caller loaded them in bulk)."""
    photos = list(case.photos.order_by("pk")) if photos is None else photos
    payload = payloads.case_payload(case, endpoint=endpoint, photos=photos)
    return new_message(endpoint=endpoint, kind=ExchangeKind.PUSH, key=case.number, payload=payload, case=case)


def case_transitioned(case: Case, action: str, from_status: str, to_status: str, actor) -> None:
    """``cases.hooks`` listener: runs inside the transition's transaction."""
    if to_status == CaseStatus.DISPATCHED and from_status != to_status:
        if _active_kinds()["push"]:
            endpoints = _push_endpoints()
            area_ids = _area_ids(case, endpoints)
            enqueue([push_message(case, e) for e in endpoints if matches(e, case, area_ids)], actor=actor)
    elif to_status == CaseStatus.CLOSED and case.source == CaseSource.HOTLINE and _active_kinds()["hotline"]:
        enqueue_hotline_reply(case=case, actor=actor)


def enqueue_hotline_reply(*, case: Case, actor) -> list[Exchange]:
    from chuangcheng.public.models import HotlineOrder
    from chuangcheng.public.services.hotline.bridge import order_replies

    order = HotlineOrder.objects.filter(case=case).select_related("unit").first()
    if order is None:
        return []
    order.case = case
    reply = order_replies([order])[0]
    payload = payloads.reply_payload(order, reply)
    endpoints = Endpoint.objects.filter(is_active=True, kind=EndpointKind.HOTLINE).order_by("pk")
    messages = [
        new_message(endpoint=e, kind=ExchangeKind.REPLY, key=f"{order.number}:closed", payload=payload, case=case)
        for e in endpoints
    ]
    return enqueue(messages, actor=actor, verb="exchange.reply_queued")


@transaction.atomic
def send_case(*, actor, case: Case, endpoint: Endpoint) -> Exchange:
    """转派外部系统: push this case to ``endpoint`` now (once per case number and endpoint)."""
    if not can_send_case(actor):
        raise NotPermitted("只有创建办可以转派外部系统")
    if not endpoint.is_active or endpoint.kind not in PUSH_KINDS:
        raise DomainError("请选择已启用的数字城管/区县系统", field="endpoint")
    case = Case.objects.select_related("category", "area", "site", "lead_unit").get(pk=case.pk)
    if Exchange.objects.filter(direction=Direction.OUT, endpoint=endpoint, idempotency_key=case.number).exists():
        raise Conflict(f"该案件已推送至“{endpoint.name}”，可在交换记录中查看或重发")
    rows = enqueue([push_message(case, endpoint)], actor=actor, verb="exchange.case_sent")
    return rows[0]


def enqueue_matching_cases(*, limit: int = SWEEP_LIMIT) -> int:
    """Queue the push of every dispatched case an automatic endpoint's rules match and that has not
    gone to it yet (cases the batch intake dispatched). Idempotent; returns how many were queued."""
    if not _active_kinds()["push"]:
        return 0
    queued = 0
    for endpoint in _push_endpoints():
        sent = Exchange.objects.filter(direction=Direction.OUT, endpoint=endpoint).values("idempotency_key")
        candidates = list(
            Case.objects.filter(dispatched_at__gte=endpoint.created_at, status__in=OPEN_AFTER_DISPATCH)
            .exclude(number__in=sent)
            .select_related("category", "area", "site", "lead_unit")
            .order_by("pk")[:limit]
        )
        photos = _photos_of(candidates)
        with transaction.atomic():
            messages = []
            for case in candidates:
                if matches(endpoint, case, _area_ids(case, [endpoint])):
                    messages.append(push_message(case, endpoint, photos=photos[case.pk]))
            queued += len(enqueue(messages, actor=None, known_new=True))
    return queued


def _photos_of(cases: list[Case]) -> dict[int, list]:
    """The photos of many cases in one query over their id range (no long id list to send)."""
    by_case: dict[int, list] = {case.pk: [] for case in cases}
    if cases:
        rows = CasePhoto.objects.filter(case_id__gte=cases[0].pk, case_id__lte=cases[-1].pk).order_by("pk")
        for photo in rows:
            if photo.case_id in by_case:
                by_case[photo.case_id].append(photo)
    return by_case


OPEN_AFTER_DISPATCH = (
    CaseStatus.DISPATCHED,
    CaseStatus.SIGNED,
    CaseStatus.RECTIFYING,
    CaseStatus.DEFERRED,
    CaseStatus.SUBMITTED,
)
