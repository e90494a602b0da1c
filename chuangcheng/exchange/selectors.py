"""Reads that need thought: endpoints by code for the signed inbound path (no user: the signature
decides), the 12345 endpoint, the photo behind a signed link, and a case's exchanges for its page."""

from __future__ import annotations

from chuangcheng.cases.models import CasePhoto
from chuangcheng.exchange import payloads
from chuangcheng.exchange.models import Endpoint, EndpointKind, Exchange
from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area


def endpoint_by_code(code: str) -> Endpoint | None:
    return Endpoint.objects.filter(code=code).first()


def hotline_endpoint() -> Endpoint | None:
    return Endpoint.objects.filter(is_active=True, kind=EndpointKind.HOTLINE).order_by("pk").first()


def active_units():
    return Unit.objects.filter(is_active=True).order_by("path")


def rule_areas():
    """Areas a rule may name (city down to street; a rule includes the sub-areas)."""
    return Area.objects.filter(level__lte=3).order_by("code")


def push_endpoints():
    """Endpoints the office can hand a case to (转派外部系统)."""
    return Endpoint.objects.filter(is_active=True, kind__in=(EndpointKind.CITY_MGMT, EndpointKind.DISTRICT))


def photo_for_token(token: str) -> CasePhoto | None:
    """The photo a valid, unexpired link names, while its endpoint is active."""
    found = payloads.photo_from_token(token)
    if found is None:
        return None
    endpoint_id, photo_id = found
    if not Endpoint.objects.filter(pk=endpoint_id, is_active=True).exists():
        return None
    return CasePhoto.objects.filter(pk=photo_id).first()


def case_exchanges(case, user, limit: int = 50) -> list[Exchange]:
    return list(Exchange.objects.visible_to(user).filter(case=case).select_related("endpoint").order_by("-id")[:limit])
