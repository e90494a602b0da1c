"""GeoReport v2 encodings: schemaless, namespace-free XML and the equivalent JSON (Spark convention)."""

from __future__ import annotations

import re
from datetime import datetime, time
from xml.sax.saxutils import escape

from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from chuangcheng.core.text import XML_ILLEGAL_RE, xml_safe

# The element name of one item in each list, as the spec's XML examples write them.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def w3c(value, tz=None) -> str | None:
    """W3C date-time in the current time zone (``tz``: that zone, which a list looks up once); a date is its
    last second (a deadline). ``open311.selectors`` has PostgreSQL write the same text."""
    if value is None:
        return None
    tz = tz or timezone.get_current_timezone()
    if isinstance(value, datetime):
        return value.astimezone(tz).isoformat(timespec="seconds")
    return datetime.combine(value, time(23, 59, 59), tzinfo=tz).isoformat(timespec="seconds")


# Text that needs work before it goes into XML: markup characters, or what XML cannot hold (text stored
# before input was cleaned). Most values need none, and one search says so.
NEEDS_WORK_RE = re.compile(f"[&<>]|{XML_ILLEGAL_RE.pattern}")


def _text(value) -> str:
    """``value`` as escaped XML text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else str(value)
    return escape(xml_safe(text)) if NEEDS_WORK_RE.search(text) else text


def _element(parts: list, tag: str, value) -> None:
    """One element ``tag`` holding ``value`` (a dict's items as children, else its text)."""
    if not isinstance(value, dict):
        parts.append(f"<{tag}>{_text(value)}</{tag}>")
        return
    values = value.values()
    if any(child.__class__ in NESTED for child in values):
        parts.append(f"<{tag}>")
        for key, child in value.items():
            if isinstance(child, dict | list):
                _child(parts, key, child)
            else:
                parts.append(f"<{key}>{_text(child)}</{key}>")
        parts.append(f"</{tag}>")
        return
    # A flat item (every list row): its texts into the template of its keys, one search for text needing work.
    texts = [child if child.__class__ is str else _text(child) for child in values]
    if NEEDS_WORK_RE.search("".join(texts)):
        texts = [_text(text) for text in texts]
    template = _TEMPLATES.get((tag, keys := tuple(value)))
    if template is None:
        template = _TEMPLATES[(tag, keys)] = f"<{tag}>{''.join(f'<{key}>{{}}</{key}>' for key in keys)}</{tag}>"
    parts.append(template.format(*texts))


NESTED = {dict, list}
# ``<tag><key>{}</key>…</tag>`` for each item tag and tuple of keys seen (a handful: the spec's payloads).
_TEMPLATES: dict[tuple, str] = {}


def _child(parts: list, key: str, value) -> None:
    """A list becomes a wrapper ``key`` around one element per item (``ITEM_TAGS``)."""
    if isinstance(value, list):
        parts.append(f"<{key}>")
        tag = ITEM_TAGS.get(key, "item")
        for item in value:
            _element(parts, tag, item)
        parts.append(f"</{key}>")
    else:
        _element(parts, key, value)


def to_xml(root: str, payload) -> bytes:
    """``payload`` is a list (items under ``root``) or a dict (children of ``root``). Written as text (the
    element names are this module's constants and the spec's field names; every text is escaped): a
    1,000-request page is 17,000 elements, which an element tree builds several times slower."""
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n']
    if isinstance(payload, list):
        parts.append(f"<{root}>")
        for item in payload:
            _element(parts, ITEM_TAGS[root], item)
        parts.append(f"</{root}>")
    else:
        _element(parts, root, payload)
    return "".join(parts).encode("utf-8")


def respond(fmt: str, root: str, payload, *, status: int = 200, headers: dict | None = None) -> HttpResponse:
    if fmt == "xml":
        response = HttpResponse(to_xml(root, payload), content_type=CONTENT_TYPES["xml"], status=status)
    else:
        response = JsonResponse(payload, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def errors(fmt: str, status: int, *messages: str, code: int | None = None) -> HttpResponse:
    """The spec's error body: ``[{"code", "description"}]`` / ``<errors><error>…``."""
    payload = [{"code": code or status, "description": message} for message in messages]
    return respond(fmt, "errors", payload, status=status)
