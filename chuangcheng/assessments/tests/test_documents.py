"""The bulletin converts to PDF with LibreOffice headless; its text shows the title and the first-ranked unit."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from docx import Document

from chuangcheng.assessments import documents
from chuangcheng.assessments.tests.test_api import published  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def pdf_text(path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pypdf = pytest.importorskip("pypdf", reason="需要 pdftotext 或 pypdf 读取 PDF 文本")
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages)


def test_bulletin_docx_has_official_layout(published):  # noqa: F811
    content = documents.bulletin_docx(published)
    doc = Document(io.BytesIO(content))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[0] == published.issuer
    assert texts[1] == "示创办〔2026〕12号"
    assert texts[2] == "关于2026年3月专项考核结果的通报"
    assert texts[3].endswith("：")  # 主送机关
    assert "附件：2026年3月专项考核得分排名表" in texts
    first = doc.paragraphs[0].runs[0]
    assert str(first.font.color.rgb) == "E60012"
    assert first._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "方正小标宋简体"
    )
    table = doc.tables[0]
    assert [c.text for c in table.rows[1].cells][:3] == ["区县", "1", "西城区"]


def test_bulletin_converts_to_pdf_with_title_and_first_unit(published, tmp_path):  # noqa: F811
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("未安装 LibreOffice（soffice），跳过 PDF 转换测试")
    source = tmp_path / "bulletin.docx"
    source.write_bytes(documents.bulletin_docx(published))
    # a reused profile saves LibreOffice its first-start setup on later runs
    profile = (Path(tempfile.gettempdir()) / "chuangcheng-assessments-lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = "".join(pdf_text(tmp_path / "bulletin.pdf").split())
    assert "关于2026年3月专项考核结果的通报" in text
    assert "西城区" in text
    assert "示创办〔2026〕12号" in text


def test_ledger_names_line_kinds_in_chinese(published):  # noqa: F811
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(documents.ledger_xlsx(published)))
    lines = workbook["得分明细"]
    headers = [cell.value for cell in lines[1]]
    kinds = {row[headers.index("类型")] for row in lines.iter_rows(min_row=2, values_only=True)}
    assert kinds == {"表彰加分（每项）"}  # not the stored code "commendation"


def test_bulletin_names_a_tie_for_first_place(published, tree):  # noqa: F811
    from decimal import Decimal

    from chuangcheng.assessments.models import UnitScore

    west = UnitScore.objects.get(period=published, unit=tree["west"])
    UnitScore.objects.filter(period=published, unit=tree["east"]).update(rank=1, total=west.total)
    doc = Document(io.BytesIO(documents.bulletin_docx(published)))
    overview = next(p.text for p in doc.paragraphs if p.text.startswith("区县"))
    assert "区县并列第一名：" in overview
    assert "西城区" in overview.split("；")[0] and "东城区" in overview.split("；")[0]
    assert f"均为{west.total.quantize(Decimal('0.01'))}分" in overview
    assert "街道第一名：东城一街道" in overview  # a single first place stays as it was
