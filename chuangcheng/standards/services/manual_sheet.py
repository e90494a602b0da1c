"""The 测评操作手册 workbook: export of a standard's 测评体系, the template and its 说明 sheet.

Sheet 1 (“测评手册”) is what ``manual_io.read_manual`` reads; sheet 2 (“说明”) documents every column.
Exporting a standard and importing the file into an empty draft gives the same 测评体系 (tested).
"""

from __future__ import annotations

import io

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font

from chuangcheng.core.tabular import write_xlsx
from chuangcheng.standards.builtin.categories import SEPARATOR
from chuangcheng.standards.models import (
    UNKNOWN,
    CheckItem,
    Clause,
    ClauseLevel,
    MaterialRequirement,
    Standard,
    method_labels,
)
from chuangcheng.standards.services.manual_io import (
    JUDGEMENT_LABEL,
    MANUAL_COLUMNS,
    MAX_OBSERVATIONS,
    NEGATIVE_DEDUCT,
    NEGATIVE_VETO,
)

SHEET_TITLE = "测评手册"
WIDTHS = (10, 18, 8, 10, 24, 18, 8, 30, 12, 36, 10, 6, 8, 24, 6, 10, 6, 6, 6, 24, 16)
COLUMN_NOTES = (
    ("测评项目编号", "必填", "测评项目（一级）的编号，如 A1；同一测评项目的各行填相同编号"),
    ("测评项目", "首行必填", "测评项目名称；同一编号的各行须一致，也可只在首行填写"),
    ("测评项目分值", "选填", "留空或“待核实”表示未知；填写且各测评内容分值齐全时须等于其测评内容分值之和"),
    ("测评内容编号", "必填", "测评内容（二级）的编号，如 A1-1；不能与测评项目编号相同"),
    ("测评内容", "首行必填", "测评内容名称"),
    ("测评方法", "必填", "实地考察、问卷调查、材料审核、网络调查、听取汇报、整体观察，可多选，以“、”分隔"),
    ("测评内容分值", "选填", "留空表示待核实；填写且各测评标准分值齐全时须等于其测评标准分值之和（负面清单不计）"),
    ("申报材料", "选填", "网上申报材料名称，多项以“；”分隔；只有测评方法含“材料审核”的测评内容可以填写"),
    ("测评标准编码", "选填", "每个测评标准一个编码，全表不能重复；留空的行只声明测评内容（如只有材料审核的内容）"),
    ("测评标准", "有编码时必填", "测评标准（三级）的内容"),
    ("计分方式", "选填", "观察计分（分值×达标率，默认）、达标不达标（达标得满分）或扣分；负面清单为扣分"),
    ("分值", "观察计分/达标不达标必填", "测评标准的满分；扣分方式可留空（作为扣分上限）"),
    ("观察频次", "观察计分必填", f"每个测评点的观察次数，1~{MAX_OBSERVATIONS} 的整数；其他计分方式不填"),
    ("适用点位类别", "选填", "点位类别名称或编码，以“、”分隔，须是系统中已有的点位类别"),
    ("负面清单", "选填", "是/否，默认否"),
    ("负面清单处理", "负面清单必填", f"“{NEGATIVE_DEDUCT}”或“{NEGATIVE_VETO}”（取消资格即一票否决）"),
    ("扣分", "扣分方式必填", "每次扣分；负面清单处理为“取消资格”时不填"),
    ("示例", "选填", "是/否：示例数据在页面上标“示例”"),
    ("待核实", "选填", "是/否：来源不确定的内容标“待核实”"),
    ("说明", "选填", "测评标准的说明"),
    ("来源", "选填", "出处"),
)
RULES = (
    "导入是“全部成功或全部不导入”：只要有一处错误就不写入任何数据，并逐条列出行、列、值和原因。",
    "只能导入到草稿（全国文明城市、未成年人思想道德建设测评或地方标准），导入后在标准页面发布为新版本。",
    "按编号/编码更新：再次导入同一编号的测评项目、测评内容或同一编码的测评标准会更新原有内容。",
    "分值之和不一致视为错误（不是警告），请先核对手册。",
    "“示例”行仅为演示，正式导入前请删除。",
)


def _amount(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _item_cells(item: CheckItem | None) -> list:
    if item is None:
        return [""] * 13
    names = SEPARATOR.join(c.name for c in item.site_categories.all()) or item.site_category_names
    handling = "" if not item.is_negative_list else (NEGATIVE_VETO if item.is_veto else NEGATIVE_DEDUCT)
    judgement = "" if item.is_negative_list else JUDGEMENT_LABEL.get(item.judgement, item.judgement)
    return [
        item.code,
        item.title,
        judgement,
        _amount(item.full_points),
        "" if item.observations is None else item.observations,
        names,
        _yes(item.is_negative_list),
        handling,
        _amount(item.points),
        _yes(item.is_sample),
        _yes(item.uncertain),
        item.description,
        item.source,
    ]


def export_manual_rows(standard: Standard) -> list[list]:
    """One row per 测评标准 (plus one per 测评内容 without any), in the order of the tree."""
    clauses = list(Clause.objects.filter(standard=standard).order_by("sort_order", "id"))
    items: dict[int, list[CheckItem]] = {}
    for item in (
        CheckItem.objects.filter(standard=standard, clause__isnull=False)
        .prefetch_related("site_categories")
        .order_by("sort_order", "id")
    ):
        items.setdefault(item.clause_id, []).append(item)
    materials: dict[int, list[str]] = {}
    for material in MaterialRequirement.objects.filter(standard=standard, clause__isnull=False).order_by(
        "sort_order", "id"
    ):
        materials.setdefault(material.clause_id, []).append(material.title)
    rows = []
    for section in (c for c in clauses if c.level == ClauseLevel.SECTION):
        project = [section.number, section.title, _amount(section.full_points) or UNKNOWN]
        for article in (c for c in clauses if c.parent_id == section.pk):
            content = [
                article.number,
                article.title,
                "、".join(method_labels(article.methods)),
                _amount(article.full_points) or UNKNOWN,
            ]
            for index, item in enumerate(items.get(article.pk) or [None]):
                listed = "；".join(materials.get(article.pk, [])) if index == 0 else ""
                rows.append(project + content + [listed] + _item_cells(item))
    return rows


def write_manual_xlsx(rows: list[list], *, title: str = SHEET_TITLE) -> bytes:
    """The manual workbook: the rows on sheet 1, the column notes on sheet “说明”."""
    data = write_xlsx(title=title, headers=MANUAL_COLUMNS, rows=rows, widths=WIDTHS)
    workbook = load_workbook(io.BytesIO(data))
    notes = workbook.create_sheet("说明")
    notes.append(["列", "是否必填", "说明"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for row in COLUMN_NOTES:
        notes.append(list(row))
    notes.append([])
    for rule in RULES:
        notes.append(["规则", "", rule])
    for letter, width in (("A", 16), ("B", 22), ("C", 90)):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TEMPLATE_ROWS = (
    ["A1", "示例测评项目", "10", "A1-1", "示例测评内容（实地考察）", "实地考察", "6", "", "A1-1-1"]
    + ["示例：路面整洁，无暴露垃圾", "观察计分", "4", "5", "主次干道、背街小巷", "否", "", "", "是", "否", "", ""],
    ["A1", "示例测评项目", "10", "A1-1", "示例测评内容（实地考察）", "实地考察", "6", "", "A1-1-2"]
    + ["示例：公益广告设置规范", "达标不达标", "2", "", "公园广场", "否", "", "", "是", "否", "", ""],
    ["A1", "示例测评项目", "10", "A1-2", "示例测评内容（材料审核）", "材料审核", "4", "示例：工作方案；示例：台账"]
    + [""] * 9
    + ["是", "", "", ""],
    ["Z1", "示例负面清单", "", "Z1-1", "示例负面清单内容", "整体观察", "", "", "Z1-1-1"]
    + ["示例：发生负面清单情形", "扣分", "", "", "", "是", "取消资格", "", "是", "是", "", ""],
)


def manual_template() -> bytes:
    """The template to download: the columns, four 示例 rows and the 说明 sheet."""
    return write_manual_xlsx([list(row) for row in TEMPLATE_ROWS])
