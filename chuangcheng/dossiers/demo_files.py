"""Small real documents for demo data (示例): a one-page PDF, a Word file and a spreadsheet, built in code.

The PDF uses the standard CJK font STSong-Light (Adobe-GB1, not embedded), so it needs no font file
here and any PDF reader with the Chinese font pack shows the text. Every document says it is a demo.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from chuangcheng.core.tabular import write_xlsx

DEMO_NOTE = "示例材料：演示数据，非真实文件"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _pdf_text(text: str) -> str:
    return "<" + text.encode("utf-16-be").hex().upper() + ">"


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    """A valid one-page A4 PDF (objects, xref table, trailer) with a title and lines of text."""
    body = ["BT", "/F1 18 Tf", "60 770 Td", "26 TL", f"{_pdf_text(title)} Tj", "T*", "/F1 12 Tf", "18 TL"]
    for line in [DEMO_NOTE, *lines]:
        body += [f"{_pdf_text(line[:44])} Tj", "T*"]
    body.append("ET")
    stream = "\n".join(body).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + content + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_bytes(title: str, lines: list[str]) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(DEMO_NOTE)
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(title: str, headers: list[str], rows: list[list]) -> bytes:
    return write_xlsx(title=title[:31], headers=headers, rows=[*rows, [DEMO_NOTE]])


def demo_upload(kind: str, name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.{kind}", data, content_type=CONTENT_TYPES[kind])
