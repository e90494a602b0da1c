"""Text that every writer can store and export: no control characters.

A citizen's report, a pasted unit name or an imported 12345 row may carry control characters
(``\\x00``–``\\x1f``, ``\\x7f``) or the non-characters ``U+FFFE``/``U+FFFF``. XML 1.0 (the Open311 feed, xlsx,
docx) cannot hold most of them, so one such character made a whole export fail. Two defences, one module:

- on input, ``strip_control`` removes them (tab, newline and carriage return are kept) from every text form
  and serializer field: ``install()``, run once from ``CoreConfig.ready``, hooks the two base text fields
  (Django ``forms.CharField`` and DRF ``serializers.CharField``; e-mail, slug, URL and choice-free text
  fields derive from them), so no form or serializer can forget it;
- on output, ``xml_safe`` removes whatever XML cannot hold from text already stored (rows written before the
  input rule, or by SQL), used by ``core.tabular.write_xlsx``, every other openpyxl writer and the Open311 XML
  renderer.
"""

from __future__ import annotations

import re

# C0 controls except \t \n \r, DEL, lone surrogates and the non-characters U+FFFE/U+FFFF.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# What XML 1.0 cannot hold (DEL is legal XML and kept on output).
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def strip_control(value):
    """``value`` without control characters when it is a string; anything else unchanged."""
    if isinstance(value, str) and CONTROL_RE.search(value):
        return CONTROL_RE.sub("", value)
    return value


def strip_nested(value):
    """``strip_control`` through JSON data: every string in nested lists and dicts (keys too)."""
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, list):
        return [strip_nested(item) for item in value]
    if isinstance(value, dict):
        return {strip_nested(key): strip_nested(item) for key, item in value.items()}
    return value


def xml_safe(value):
    """``value`` without the characters XML 1.0 (and so xlsx and docx) cannot hold; non-strings unchanged."""
    if isinstance(value, str) and XML_ILLEGAL_RE.search(value):
        return XML_ILLEGAL_RE.sub("", value)
    return value


def xlsx_row(row) -> list:
    """One worksheet row, every text cell made XML-safe and ``None`` written as an empty cell."""
    return ["" if value is None else xml_safe(value) for value in row]


_installed = False


def install() -> None:
    """Strip control characters in the two base text fields of forms and serializers, and make every text python-docx
    writes XML-safe (idempotent)."""
    global _installed
    if _installed:
        return
    from django import forms
    from rest_framework import serializers

    form_to_python = forms.CharField.to_python
    serializer_to_internal = serializers.CharField.to_internal_value

    def to_python(self, value):
        return strip_control(form_to_python(self, strip_control(value)))

    def to_internal_value(self, data):
        return strip_control(serializer_to_internal(self, strip_control(data)))

    forms.CharField.to_python = to_python
    serializers.CharField.to_internal_value = to_internal_value
    json_form_to_python = forms.JSONField.to_python
    json_serializer_to_internal = serializers.JSONField.to_internal_value
    forms.JSONField.to_python = lambda self, value: strip_nested(json_form_to_python(self, value))
    serializers.JSONField.to_internal_value = lambda self, data: strip_nested(json_serializer_to_internal(self, data))
    _install_docx()
    _installed = True


def _install_docx() -> None:
    """Every run of text python-docx writes (paragraphs, runs, table cells) goes through ``CT_R.text``; rows stored
    before input was cleaned may hold characters XML cannot, which lxml refuses with a ValueError mid-document."""
    from docx.oxml.text.run import CT_R

    original = CT_R.text
    CT_R.text = property(original.fget, lambda self, text: original.fset(self, xml_safe(text)), original.fdel)
