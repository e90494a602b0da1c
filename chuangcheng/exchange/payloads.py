"""What goes out (pure reads): a case as JSON, its photos as signed links the receiver fetches, and
the 12345 reply. Photos are never inlined as base64: links keep a push small (10,000 cases go through
the queue in well under a minute) and each link serves only the EXIF-free copy, for a limited time."""

from __future__ import annotations

import functools
import json

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from chuangcheng.exchange.conf import setting
from chuangcheng.exchange.signing import body_hash

PHOTO_SALT = "exchange.photo"
SCHEMA = "chuangcheng.case.v1"


def encode(payload: dict) -> bytes:
    """The exact bytes sent (and hashed): compact UTF-8 JSON with sorted keys."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def payload_hash(payload: dict) -> str:
    return body_hash(encode(payload))


def photo_token(endpoint_id: int, photo_id: int) -> str:
    return signing.TimestampSigner(salt=PHOTO_SALT).sign(f"{endpoint_id}.{photo_id}")


def photo_from_token(token: str) -> tuple[int, int] | None:
    """``(endpoint_id, photo_id)`` of a valid, unexpired link, else None."""
    try:
        value = signing.TimestampSigner(salt=PHOTO_SALT).unsign(token, max_age=setting("EXCHANGE_PHOTO_LINK_SECONDS"))
    except signing.BadSignature:
        return None
    endpoint_id, photo_id = value.split(".")
    return int(endpoint_id), int(photo_id)


def _absolute(path: str) -> str:
    return setting("EXCHANGE_BASE_URL").rstrip("/") + path


@functools.lru_cache(maxsize=256)
def _status_path(code: str) -> str:
    return reverse("exchange-inbound-status", args=[code])


@functools.lru_cache(maxsize=1)
def _photo_path_prefix() -> str:
    return reverse("exchange:photo", args=["T"])[:-2]  # ".../photos/" (the token and "/" follow)


def photo_url(endpoint_id: int, photo_id: int) -> str:
    return _absolute(f"{_photo_path_prefix()}{photo_token(endpoint_id, photo_id)}/")


def _ref(obj, code: str = "code") -> dict | None:
    return {"code": getattr(obj, code, ""), "name": obj.name} if obj is not None else None


def _moment(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def case_payload(case, *, endpoint, photos=()) -> dict:
    """The case as the other system receives it (``photos``: the case's photos, preloaded)."""
    return {
        "schema": SCHEMA,
        "event": "case.push",
        "case_number": case.number,
        "source": case.source,
        "source_label": case.get_source_display(),
        "title": case.title,
        "description": case.description,
        "severity": case.severity,
        "status": case.status,
        "status_label": case.get_status_display(),
        "category": _ref(case.category),
        "area": _ref(case.area),
        "site": {"id": case.site_id, "name": case.site.name} if case.site_id else None,
        "location": {"lng": case.lng, "lat": case.lat} if case.lng is not None else None,
        "lead_unit": _ref(case.lead_unit),
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "reported_at": _moment(case.created_at),
        "photos": [
            {
                "id": photo.pk,
                "kind": photo.kind,
                "sha256": photo.sha256,
                "url": photo_url(endpoint.pk, photo.pk),
            }
            for photo in photos
        ],
        "status_url": _absolute(_status_path(endpoint.code)),
    }


def reply_payload(order, reply: dict) -> dict:
    """The 12345 reply and 办结 of an order (``reply``: ``hotline.order_replies`` row)."""
    return {
        "schema": "chuangcheng.hotline-reply.v1",
        "event": "hotline.closed",
        "工单编号": order.number,
        "办理结果": reply["result"],
        "回复内容": reply["reply"],
        "承办单位": reply["unit"],
        "办结时间": _moment(reply["finished_at"]),
        "办理状态": reply["status"],
        "案件编号": reply["case"],
    }
