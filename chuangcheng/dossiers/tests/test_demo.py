import io

import pytest
from django.core.management import call_command
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from chuangcheng.accounts.models import User
from chuangcheng.dossiers.demo import seed_dossiers_demo
from chuangcheng.dossiers.demo_files import DEMO_NOTE, docx_bytes, pdf_bytes, xlsx_bytes
from chuangcheng.dossiers.models import Material, MaterialAssignment, MaterialStatus
from chuangcheng.dossiers.selectors import completeness_matrix, completeness_matrix_live
from chuangcheng.places.demo.seed import seed_demo_city

pytestmark = pytest.mark.django_db


def test_demo_documents_are_real_files():
    text = PdfReader(io.BytesIO(pdf_bytes("东城区工作计划（示例）", ["一、目标"]))).pages[0].extract_text()
    assert "东城区工作计划（示例）" in text and DEMO_NOTE in text
    paragraphs = [p.text for p in Document(io.BytesIO(docx_bytes("总结（示例）", ["正文"]))).paragraphs]
    assert paragraphs[:3] == ["总结（示例）", DEMO_NOTE, "正文"]
    sheet = load_workbook(io.BytesIO(xlsx_bytes("台账", ["月份"], [["1月"]]))).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["月份", "1月", DEMO_NOTE]


def test_seed_dossiers_demo_is_idempotent_with_mixed_states():
    seed_demo_city(actor=None, scale=1)
    call_command("load_standards", verbosity=0)
    message = seed_dossiers_demo()
    assert message.startswith("资料要求 11 项已分解")
    assert MaterialAssignment.objects.count() == 10 + 10
    statuses = set(Material.objects.values_list("status", flat=True))
    assert statuses == set(MaterialStatus.values)
    assert all("示例" in title for title in Material.objects.values_list("title", flat=True))
    assert set(Material.objects.values_list("kind", flat=True)) == {"pdf", "docx", "xlsx"}
    returned = Material.objects.filter(status=MaterialStatus.RETURNED).first()
    assert returned.reason and returned.reviews.count() == 1
    office = User.objects.get(username="office")
    assert completeness_matrix(user=office).cells == completeness_matrix_live(user=office).cells
    count = Material.objects.count()
    assert seed_dossiers_demo().startswith("已有") and Material.objects.count() == count
