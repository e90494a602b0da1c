"""Official documents (公文) as .docx after GB/T 9704-2012 (党政机关公文格式): the pieces every document shares.

Issuing authority in red 小标宋 above a red rule, document number 〔年份〕, title in 小标宋 二号, addressees,
body in 仿宋_GB2312 三号 with two-character indent and 28-point fixed spacing, signature and date on the
right. Font names are the official ones; the font table lists fallbacks (仿宋/宋体/Noto CJK) for machines
without them. Used by the assessment bulletin (通报) and the campaign office's 抄告单.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
KAITI = "楷体_GB2312"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", KAITI: "楷体"}
RED = RGBColor(0xE6, 0x00, 0x12)
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
NUMERALS = "一二三四五六七八九十"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def font(run, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = "Times New Roman"
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:hint"), "eastAsia")


def paragraph(doc, text: str = "", *, font_name=BODY_FONT, size=16, align=None, indent=False, bold=False, color=None):
    para = doc.add_paragraph()
    fmt = para.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        para.alignment = align
    if text:
        font(para.add_run(text), font_name, size, bold=bold, color=color)
    return para


def red_rule(para) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    para._p.get_or_add_pPr().append(borders)


def font_fallbacks(doc) -> None:
    """Body font by default, and the official fonts declared with alternative names in the font table."""
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    for part in doc.part.package.parts:
        if not str(part.partname).endswith("fontTable.xml"):
            continue
        root = etree.fromstring(part.blob)
        for name, alt in FALLBACKS.items():
            entry = etree.SubElement(root, qn("w:font"))
            entry.set(qn("w:name"), name)
            etree.SubElement(entry, qn("w:altName")).set(qn("w:val"), alt)
            etree.SubElement(entry, qn("w:charset")).set(qn("w:val"), "86")
            etree.SubElement(entry, qn("w:family")).set(qn("w:val"), "modern")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def new_document():
    """An A4 portrait document with the GB/T 9704 margins and the font fallbacks."""
    doc = Document()
    font_fallbacks(doc)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    return doc


def masthead(doc, *, issuer: str, number: str, title: str, addressees: str) -> None:
    """版头 and the start of 主体: red issuing authority, number above the red rule, title, addressees."""
    paragraph(doc, issuer, font_name=TITLE_FONT, size=26, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    paragraph(doc)
    red_rule(paragraph(doc, number, align=WD_ALIGN_PARAGRAPH.CENTER))
    paragraph(doc)
    paragraph(doc, title, font_name=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(doc)
    paragraph(doc, f"{addressees}：")


def body(doc, parts) -> None:
    """(heading, text) paragraphs; headings are numbered 一、二、… in 黑体."""
    heading_number = 0
    for heading, text in parts:
        if heading:
            paragraph(
                doc, f"{NUMERALS[heading_number % len(NUMERALS)]}、{heading}", font_name=HEADING_FONT, indent=True
            )
            heading_number += 1
        paragraph(doc, text, indent=True)


def signature(doc, *, signer: str, day: date) -> None:
    paragraph(doc)
    paragraph(doc)
    paragraph(doc, signer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(doc, cn_date(day), align=WD_ALIGN_PARAGRAPH.RIGHT)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
