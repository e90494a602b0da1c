"""Control characters: stripped from every text a form or serializer takes, and dropped by every xlsx/XML writer
from text already stored (written before the input rule, or by SQL), so exports and the Open311 feed still open."""

import io
import json
from xml.etree import ElementTree as ET

import pytest
from django import forms
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework import serializers
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases.models import Case
from chuangcheng.core.text import strip_control, xml_safe
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.lookup import invalidate_index
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, square
from chuangcheng.public.models import Report
from chuangcheng.public.services.moderation import accept_report
from chuangcheng.public.services.reports import submit_report
from chuangcheng.public.tests.factories import photo_upload
from chuangcheng.standards.models import CheckItem
from chuangcheng.standards.tests.factories import CheckItemFactory

BAD = "垃圾\x00桶\x01满\x08溢\x0b\x0c\x0e\x1f\x7f\ufffe\uffff了\t第二\n行\r"
CLEAN = "垃圾桶满溢了\t第二\n行"
# What old rows can hold: PostgreSQL refuses NUL in text columns, every other control character is storable.
STORED_BAD = BAD.replace("\x00", "")


def test_strip_control_keeps_tab_newline_and_text():
    assert strip_control(BAD) == CLEAN + "\r"
    assert xml_safe("a\x01b\x7fc") == "ab\x7fc"  # DEL is legal XML
    assert strip_control(12) == 12 and xml_safe(None) is None


def test_every_form_and_serializer_text_field_strips():
    class AnyForm(forms.Form):
        name = forms.CharField()

    class AnySerializer(serializers.Serializer):
        name = serializers.CharField()

    form = AnyForm({"name": BAD})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == CLEAN  # forms strip surrounding whitespace as before
    serializer = AnySerializer(data={"name": BAD})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["name"] == CLEAN


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="EAST", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    AreaFactory(code="A-EAST", name="东城区", level=AreaLevel.DISTRICT, unit=east, geometry=square(120.0, 30.0, 0.01))
    invalidate_index()
    return {
        "office": user_with_role(Role.OFFICE_ADMIN, office),
        "litter": SiteCategoryFactory(code="litter", name="暴露垃圾"),
    }


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _sheet_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)


def test_citizen_report_and_case_are_stored_clean_and_exports_open(client, world):
    response = client.post(
        reverse("public:report"),
        {
            "category": world["litter"].pk,
            "description": BAD,
            "lng": "120.005",
            "lat": "30.005",
            "address": "东城路\x07 1 号",
            "phone": "",
            "website": "",
            "photos": photo_upload(),
        },
    )
    assert response.status_code in (200, 302), response.content[:500]
    report = Report.objects.get()
    assert report.description == CLEAN and report.address == "东城路 1 号"
    accept_report(report=report, actor=world["office"])
    office = _api(world["office"])
    created = office.post("/api/v1/cases/", {"source": "patrol", "title": "井盖\x1b缺失\x7f", "description": BAD})
    assert created.status_code == 201, created.content
    assert Case.objects.get(pk=created.json()["id"]).title == "井盖缺失"
    root = ET.fromstring(client.get("/open311/v2/requests.xml").content)
    assert CLEAN.replace("\t", "") in root.find("request").find("description").text.replace("\t", "")
    export = office.get("/api/v1/cases/export/")
    assert export.status_code == 200 and "井盖缺失" in _sheet_text(export.content)


def test_exports_and_feed_drop_what_xml_cannot_hold_from_stored_text(client, world):
    """Rows written before the input rule (here by a queryset update, as SQL would) still export."""
    report, _ = submit_report(
        category=world["litter"], description="路面破损严重", lng=120.005, lat=30.005, photos=[photo_upload()]
    )
    office = _api(world["office"])
    assert office.post("/api/v1/cases/", {"source": "patrol", "title": "井盖缺失"}).status_code == 201
    accept_report(report=report, actor=world["office"])
    Report.objects.update(description=STORED_BAD)
    Case.objects.update(title=STORED_BAD, description=STORED_BAD)
    Unit.objects.filter(code="EAST").update(name="东城\x01区\ufffe")
    item = CheckItemFactory()
    CheckItem.objects.filter(pk=item.pk).update(title="地面\x02无垃圾", description=STORED_BAD)

    feed = client.get("/open311/v2/requests.xml")
    assert feed.status_code == 200
    assert "垃圾桶满溢" in ET.fromstring(feed.content).find("request").find("description").text
    cases = office.get("/api/v1/cases/export/")
    assert cases.status_code == 200 and "垃圾桶满溢" in _sheet_text(cases.content)
    units = office.get("/api/v1/units/export/")
    assert units.status_code == 200 and "东城区" in _sheet_text(units.content)
    standard = office.get(f"/api/v1/standards/{item.standard_id}/export/")
    assert standard.status_code == 200
    assert "地面无垃圾" in "\n".join(
        str(value)
        for sheet in load_workbook(io.BytesIO(standard.content)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_xlsx_text_starting_with_equals_stays_text():
    from chuangcheng.core.tabular import write_xlsx

    content = write_xlsx(title="t", headers=["说明"], rows=[['=HYPERLINK("http://x","点我")']])
    cell = load_workbook(io.BytesIO(content)).active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_docx_writers_drop_characters_xml_cannot_hold():
    """Rows stored before input was cleaned (or imported raw) must not break a bulletin halfway: python-docx
    would raise ValueError from lxml on a control character in a run, a paragraph or a table cell."""
    import io

    from docx import Document

    document = Document()
    document.add_paragraph("东城区\x07城管局")
    document.add_paragraph().add_run("第\x0b二条\x00")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "背街小巷\x1f"
    buffer = io.BytesIO()
    document.save(buffer)
    reopened = Document(io.BytesIO(buffer.getvalue()))
    texts = [p.text for p in reopened.paragraphs] + [reopened.tables[0].cell(0, 0).text]
    assert texts == ["东城区城管局", "第二条", "背街小巷"]


def test_json_fields_strip_control_characters_at_every_depth():
    class Form(forms.Form):
        data = forms.JSONField()

    class Serializer(serializers.Serializer):
        data = serializers.JSONField()

    raw = {"名\x01称": ["垃\x00圾", {"说明": "满\x0b溢", "n": 3}], "ok": True}
    clean = {"名称": ["垃圾", {"说明": "满溢", "n": 3}], "ok": True}
    form = Form({"data": json.dumps(raw)})
    assert form.is_valid() and form.cleaned_data["data"] == clean
    serializer = Serializer(data={"data": raw})
    assert serializer.is_valid() and serializer.validated_data["data"] == clean
