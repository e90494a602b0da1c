"""Exports: the bulletin (通报) as .docx in the official document layout and the ranking ledger as .xlsx.

The layout (GB/T 9704-2012) lives in ``core.officialdoc``, shared with the campaign office's 抄告单: red
issuing authority, 〔年份〕 number, red rule, 小标宋 title, addressees, 仿宋_GB2312 body, attachment note,
signature and date on the right, the ranking table as 附件 on its own page. The body also reports the
period's decisions (奖惩决定), accountability records (问责) and meeting absences (会议缺席、迟到).
"""

from __future__ import annotations

import io
from collections import OrderedDict

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from chuangcheng.assessments import selectors
from chuangcheng.assessments.indicators import BY_CODE
from chuangcheng.assessments.models import Period, RuleKind, ScoreLine, UnitScore
from chuangcheng.core.officialdoc import (
    BODY_FONT,
    DOCX_CONTENT_TYPE,
    HEADING_FONT,
    TITLE_FONT,
    cn_date,
    font,
    masthead,
    new_document,
    paragraph,
    signature,
    to_bytes,
)
from chuangcheng.core.officialdoc import body as write_body
from chuangcheng.core.text import xlsx_row, xml_safe

__all__ = ["DOCX_CONTENT_TYPE", "bulletin_docx", "doc_number", "ledger_xlsx"]


def doc_number(period: Period) -> str:
    return period.doc_number or f"示创办〔{period.end.year}〕{period.pk}号"


def _groups(scores: list[UnitScore]) -> OrderedDict:
    groups: OrderedDict[str, list[UnitScore]] = OrderedDict()
    for score in scores:
        groups.setdefault(score.group, []).append(score)
    return groups


def _first_place(group: str, members: list[UnitScore]) -> str:
    """Who is first in a group, naming a tie as a tie (not the first of them in code order)."""
    top = [s for s in members if s.rank == members[0].rank]
    total = f"{members[0].total}分"
    if len(top) == 1:
        return f"{group}第一名：{top[0].unit.name}（{total}）"
    if len(top) <= 5:
        return f"{group}并列第一名：{'、'.join(s.unit.name for s in top)}（均为{total}）"
    return f"{group}并列第一名：{top[0].unit.name}等{len(top)}个单位（均为{total}）"


def _body(period: Period, scores: list[UnitScore]) -> list[tuple[str, str]]:
    """(heading, text) paragraphs of the bulletin body."""
    groups = _groups(scores)
    kind = period.get_kind_display()
    intro = (
        f"根据《{period.scheme.name}》，{period.signer}对{cn_date(period.start)}至{cn_date(period.end)}"
        f"各责任单位创建工作进行了{kind}。本期共考核{len(scores)}个单位，分{len(groups)}个考核组排名。"
        "现将考核结果通报如下。"
    )
    parts = [("", intro)]
    firsts = "；".join(_first_place(name, members) for name, members in groups.items())
    parts.append(("总体情况", f"{firsts}。各单位得分及排名见附件。"))
    red = "；".join(
        f"{name}：{'、'.join(s.unit.name for s in members if s.flag == 'red')}"
        for name, members in groups.items()
        if any(s.flag == "red" for s in members)
    )
    black = "；".join(
        f"{name}：{'、'.join(s.unit.name for s in members if s.flag == 'black')}"
        for name, members in groups.items()
        if any(s.flag == "black" for s in members)
    )
    parts.append(("红榜单位", f"{red}。予以通报表扬。" if red else "本期未设红榜。"))
    parts.append(("黑榜单位", f"{black}。予以通报批评，限期整改。" if black else "本期未设黑榜。"))
    fund = [s for s in scores if s.fund_deduction]
    barred = [s for s in scores if s.award_ineligible]
    outcome = []
    if fund:
        outcome.append("扣罚经费：" + "；".join(f"{s.unit.name}{s.fund_deduction}元" for s in fund) + "。")
    if barred:
        outcome.append("取消本年度评先评优资格：" + "、".join(s.unit.name for s in barred) + "。")
    parts.append(("奖惩措施", "".join(outcome) or "本期无扣罚经费和取消评先评优资格的单位。"))
    parts.extend(_accountability_parts(period))
    requirement = period.bulletin_body.strip() or (
        "各单位要坚持“谁主管谁负责、谁丢分谁担责”，对照扣分明细逐项整改，举一反三、防止反弹，"
        "确保问题按期清零。整改情况请于下期考核前报市创建办。"
    )
    parts.append(("工作要求", requirement))
    return parts


def _accountability_parts(period: Period) -> list[tuple[str, str]]:
    """奖惩决定, 问责情况 and 会议缺席、迟到 of the period (``selectors.bulletin_outcomes``)."""
    outcomes = selectors.bulletin_outcomes(period)
    decisions = "；".join(
        f"{d.unit.name}：{d.title}（{d.get_kind_display()}{'，' + d.doc_number if d.doc_number else ''}）"
        for d in outcomes.decisions
    )
    records = "；".join(
        f"{r.get_kind_display()}{r.unit.name}{'（' + r.person_label + '）' if r.person_label else ''}，事由：{r.reason}"
        for r in outcomes.accountability
    )
    lapses = "；".join(
        f"{lapse.meeting_title}（{cn_date(lapse.day)}）{lapse.status_label}：{'、'.join(lapse.names)}"
        for lapse in outcomes.meeting_lapses
    )
    return [
        ("奖惩决定", f"{decisions}。" if decisions else "本期无奖惩决定。"),
        ("问责情况", f"{records}。" if records else "本期无约谈、通报批评等问责事项。"),
        ("会议缺席和迟到情况", f"{lapses}。予以通报。" if lapses else "本期调度会、推进会无缺席和迟到。"),
    ]


def bulletin_docx(period: Period) -> bytes:
    scores = selectors.ranking(period)
    doc = new_document()
    section = doc.sections[0]
    masthead(doc, issuer=period.issuer, number=doc_number(period), title=period.title, addressees=period.addressees)
    write_body(doc, _body(period, scores))
    paragraph(doc)
    paragraph(doc, f"附件：{period.name}得分排名表", indent=True)
    signature(doc, signer=period.signer, day=period.sign_date or period.end)

    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    paragraph(doc, "附件", font_name=HEADING_FONT)
    paragraph(doc, f"{period.name}得分排名表", font_name=TITLE_FONT, size=18, align=WD_ALIGN_PARAGRAPH.CENTER)
    headers = ("考核组", "名次", "单位", "基础分", "扣分", "加分", "得分", "红黑榜")
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        font(cell.paragraphs[0].add_run(header), HEADING_FONT, 12)
    for score in scores:
        values = (
            score.group,
            str(score.rank),
            score.unit.name,
            str(score.base),
            str(score.deductions),
            str(score.bonuses),
            str(score.total),
            score.get_flag_display() if score.flag else "",
        )
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            font(cell.paragraphs[0].add_run(value), BODY_FONT, 12)
    if section.orientation != WD_ORIENT.PORTRAIT:  # pragma: no cover - A4 portrait by construction
        section.orientation = WD_ORIENT.PORTRAIT
    return to_bytes(doc)


LEDGER_HEADERS = (
    "考核组",
    "名次",
    "单位编码",
    "单位",
    "基础分",
    "扣分",
    "加分",
    "得分",
    "红黑榜",
    "扣罚经费（元）",
    "扣罚依据",
    "取消评先评优资格",
    "取消依据",
    "本期立案数",
    "明细条数",
)
LINE_HEADERS = ("单位", "序号", "类型", "规则", "分值", "说明", "案件ID", "来源编号", "指标")
CASE_HEADERS = ("单位", "明细序号", "规则", "案件ID", "案件编号", "数量", "分值", "情况")


def _sheet(workbook, title: str, headers, rows, *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append(xlsx_row(row))
    sheet.freeze_panes = "A2"
    return sheet


KIND_LABELS = dict(RuleKind.choices)


def _kind_label(kind: str) -> str:
    """The Chinese name of a line's kind (the ledger is read by people, not programs)."""
    return KIND_LABELS.get(kind, kind)


def _indicator_label(code: str) -> str:
    return BY_CODE[code].name if code in BY_CODE else code


def _case_rows(period: Period):
    """One row per case behind each per-case line (the line's ``items``), so every point has its case."""
    lines = (
        ScoreLine.objects.filter(period=period)
        .exclude(items=[])
        .select_related("unit", "rule")
        .order_by("unit__code", "sort")
        .iterator(chunk_size=200)
    )
    for line in lines:
        rule = str(line.rule) if line.rule_id else _kind_label(line.kind)
        for item in line.items:
            case_id, number, quantity, points, note = (list(item) + [""] * 5)[:5]
            yield (line.unit.name, line.sort, rule, case_id, number, quantity, float(points), note)


def ledger_xlsx(period: Period, *, with_lines: bool = True) -> bytes:
    """排名台账: one sheet of unit results, and (for the office) one of every score line."""
    scores = selectors.ranking(period)
    workbook = Workbook()
    rows = (
        (
            s.group,
            s.rank,
            s.unit.code,
            s.unit.name,
            float(s.base),
            float(s.deductions),
            float(s.bonuses),
            float(s.total),
            s.get_flag_display() if s.flag else "",
            float(s.fund_deduction),
            s.fund_reasons,
            "是" if s.award_ineligible else "否",
            s.ineligible_reasons,
            s.workload,
            s.line_count,
        )
        for s in scores
    )
    _sheet(workbook, "排名台账", LEDGER_HEADERS, rows, first=True)
    info = workbook.active
    info.insert_rows(1)
    info["A1"] = xml_safe(f"{period.name}（{period.get_status_display()}）内容哈希：{period.content_hash or '未发布'}")
    if with_lines:
        lines = (
            ScoreLine.objects.filter(period=period)
            .select_related("unit", "rule")
            .order_by("unit__code", "sort")
            .iterator(chunk_size=5000)
        )
        line_rows = (
            (
                line.unit.name,
                line.sort,
                _kind_label(line.kind),
                str(line.rule) if line.rule_id else "",
                float(line.points),
                line.explanation,
                line.case_ref,
                line.ref,
                _indicator_label(line.indicator_code),
            )
            for line in lines
        )
        _sheet(workbook, "得分明细", LINE_HEADERS, line_rows)
        _sheet(workbook, "案件明细", CASE_HEADERS, _case_rows(period))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
