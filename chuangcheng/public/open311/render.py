"""GeoReport v2 encodings: schemaless, namespace-free XML and the equivalent JSON (Spark convention)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from django.http import HttpResponse, JsonResponse

from chuangcheng.core.text import xml_safe

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


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_safe(str(value))  # text stored before input was cleaned may hold what XML cannot


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    else:
        element.text = _text(value)


def _append(parent: ET.Element, key: str, value) -> None:
    if isinstance(value, list):
        wrapper = ET.SubElement(parent, key)
        for item in value:
            _fill(ET.SubElement(wrapper, ITEM_TAGS.get(key, "item")), item)
    else:
        _fill(ET.SubElement(parent, key), value)


def to_xml(root: str, payload) -> bytes:
    """``payload`` is a list (items under ``root``) or a dict (children of ``root``)."""
    element = ET.Element(root)
    if isinstance(payload, list):
        for item in payload:
            _fill(ET.SubElement(element, ITEM_TAGS[root]), item)
    else:
        _fill(element, payload)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


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
