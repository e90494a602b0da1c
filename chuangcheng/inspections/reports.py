"""The round report: one data set, rendered as xlsx (openpyxl) and docx (python-docx)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from chuangcheng.core.text import xlsx_row
from chuangcheng.inspections import selectors
from chuangcheng.inspections.models import Finding, FindingResult, InspectionRound, SiteVisit, VisitStatus
from chuangcheng.inspections.scoring import RoundScore, compare
from chuangcheng.places.models import Area, SiteCategory

UNKNOWN_NOTE = (
    "说明：部分检查项的扣分分值在现行标准资料中未找到（待核实），这些问题只计入问题数，"
    "不计扣分，也不推算分值；分值核实后可重新计算。"
)


@dataclass
class ReportData:
    round: InspectionRound
    score: RoundScore
    previous: InspectionRound | None
    area_rows: list[list] = field(default_factory=list)
    category_rows: list[list] = field(default_factory=list)
    finding_rows: list[list] = field(default_factory=list)
    planned: int = 0
    done: int = 0


AREA_HEADERS = (
    "排名",
    "区域",
    "检查点位",
    "问题数",
    "扣分",
    "点均扣分",
    "负面清单",
    "待核实分值问题",
    "上轮点均扣分",
    "变化",
)
CATEGORY_HEADERS = (
    "点位类别",
    "检查点位",
    "问题数",
    "扣分",
    "点均扣分",
    "负面清单",
    "待核实分值问题",
    "上轮点均扣分",
    "变化",
)
FINDING_HEADERS = ("点位", "类别", "区域", "检查项", "处数", "单处扣分", "扣分", "负面清单", "说明", "问题编号")


def _prev(change, *, has_previous_round: bool = True) -> tuple[str, str]:
    if not has_previous_round:
        return "—", "—"  # a first round has nothing to compare with
    if change.previous is None:
        return "—", "新增"
    return str(change.previous), f"{change.trend}（{change.delta:+}）"


def build(round_: InspectionRound) -> ReportData:
    score = selectors.round_score(round_)
    previous = selectors.previous_round(round_)
    before = selectors.round_score(previous) if previous else RoundScore()
    area_changes = {c.key: c for c in compare(score.by_area, before.by_area)}
    category_changes = {c.key: c for c in compare(score.by_category, before.by_category)}
    areas = Area.objects.in_bulk([k for k in score.by_area if k is not None])
    categories = SiteCategory.objects.in_bulk([k for k in score.by_category if k is not None])
    data = ReportData(round=round_, score=score, previous=previous)
    for rank_no, area_id, t in score.ranking():
        name = areas[area_id].name if area_id in areas else "未划定区域"
        data.area_rows.append(
            [
                rank_no,
                name,
                t.visits,
                t.findings,
                t.lost,
                t.lost_per_visit,
                t.negative_hits,
                t.unknown_findings,
                *_prev(area_changes[area_id], has_previous_round=previous is not None),
            ]
        )
    for category_id, t in score.by_category.items():
        name = categories[category_id].name if category_id in categories else "其他"
        data.category_rows.append(
            [
                name,
                t.visits,
                t.findings,
                t.lost,
                t.lost_per_visit,
                t.negative_hits,
                t.unknown_findings,
                *_prev(category_changes[category_id], has_previous_round=previous is not None),
            ]
        )
    findings = (
        Finding.objects.filter(visit__round=round_, visit__status=VisitStatus.DONE, result=FindingResult.DEDUCT)
        .select_related("visit__site", "visit__category", "visit__area", "check_item")
        .order_by("visit__sort_order", "pk")
    )
    for f in findings:
        lost = f.points * f.count if f.points is not None else None
        data.finding_rows.append(
            [
                f.visit.site.name if f.visit.site else "复查",
                f.visit.category.name if f.visit.category else "",
                f.visit.area.name if f.visit.area else "",
                f"{f.check_item.code} {f.check_item.title}",
                f.count,
                f.points if f.points is not None else "待核实",
                lost if lost is not None else "待核实",
                "是" if f.is_negative_list else "",
                f.note,
                f.case_id or "",
            ]
        )
    visits = SiteVisit.objects.filter(round=round_)
    data.planned = visits.count()
    data.done = visits.filter(status=VisitStatus.DONE).count()
    return data


def _summary(data: ReportData) -> list[tuple[str, str]]:
    r, t = data.round, data.score.total
    return [
        ("轮次", r.name),
        ("类型", r.get_kind_display() + ("（保密）" if r.is_secret else "")),
        ("标准版本", str(r.standard) if r.standard else "未指定"),
        ("检查时间", f"{r.period_start:%Y年%m月%d日}至{r.period_end:%Y年%m月%d日}"),
        ("随机种子", str(r.seed) if r.seed is not None else "未抽样"),
        ("抽取点位", f"{data.planned} 个，已检查 {data.done} 个"),
        ("发现问题", f"{t.findings} 条"),
        ("扣分合计", f"{t.lost} 分（点均 {t.lost_per_visit} 分，封顶扣减 {t.capped} 分）"),
        ("负面清单问题", f"{t.negative_hits} 条"),
        ("分值待核实的问题", f"{t.unknown_findings} 条（共 {t.unknown_count} 处），未计分"),
        ("对比轮次", data.previous.name if data.previous else "无（首次）"),
    ]


def to_xlsx(data: ReportData) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "概况"
    sheet.append(xlsx_row([f"{data.round.name} 督查测评情况"]))
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in _summary(data):
        sheet.append(xlsx_row([label, value]))
    sheet.append([])
    sheet.append([UNKNOWN_NOTE])
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 60
    for title, headers, rows in (
        ("区域排名", AREA_HEADERS, data.area_rows),
        ("点位类别", CATEGORY_HEADERS, data.category_rows),
        ("问题清单", FINDING_HEADERS, data.finding_rows),
    ):
        ws = workbook.create_sheet(title)
        ws.append(list(headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for row in rows:
            ws.append(xlsx_row(float(v) if hasattr(v, "as_tuple") else v for v in row))
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 14
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _font(run, size=12, bold=False, family="仿宋"):
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = family
    run._element.rPr.rFonts.set(qn("w:eastAsia"), family)


def _table(document, headers, rows):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(str(text)), size=10.5, bold=True, family="黑体")
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(value)), size=10.5)
    return table


def to_docx(data: ReportData, *, max_findings: int = 200) -> bytes:
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(f"关于{data.round.name}情况的通报"), size=22, bold=True, family="方正小标宋简体")
    heading = document.add_paragraph()
    _font(heading.add_run("一、基本情况"), size=16, family="黑体")
    for label, value in _summary(data):
        _font(document.add_paragraph().add_run(f"{label}：{value}"), size=14)
    heading = document.add_paragraph()
    _font(heading.add_run("二、各区域排名（按点均扣分，触及负面清单的排在最后）"), size=16, family="黑体")
    _table(document, AREA_HEADERS, data.area_rows)
    heading = document.add_paragraph()
    _font(heading.add_run("三、各类点位情况"), size=16, family="黑体")
    _table(document, CATEGORY_HEADERS, data.category_rows)
    heading = document.add_paragraph()
    _font(heading.add_run("四、问题清单"), size=16, family="黑体")
    shown = data.finding_rows[:max_findings]
    _table(document, FINDING_HEADERS[:7], [row[:7] for row in shown])
    if len(data.finding_rows) > max_findings:
        _font(document.add_paragraph().add_run(f"（另有 {len(data.finding_rows) - max_findings} 条，详见 Excel 附件）"))
    _font(document.add_paragraph().add_run(UNKNOWN_NOTE), size=12)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
