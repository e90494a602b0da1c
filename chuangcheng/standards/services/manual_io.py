"""The 测评操作手册 (evaluation manual) as one flat sheet: all-or-nothing import into a draft.

One row per 测评标准 (``CheckItem``); the 测评项目 (section clause) and 测评内容 (article clause) columns
repeat on every row of theirs (or are left blank after their first row). A row without 测评标准编码 only
declares its 测评内容 (e.g. a 材料审核 content without field standards). The layout, the checks and the
template are documented in ``manual_sheet.py`` (the 说明 sheet) and docs/architecture.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from chuangcheng.core.tabular import ImportFailed, ImportReport, read_table
from chuangcheng.standards.builtin.categories import SEPARATOR, split_names
from chuangcheng.standards.models import (
    UNKNOWN,
    EvalMethod,
    Judgement,
    Severity,
    StandardKind,
)
from chuangcheng.standards.models.evaluation import METHOD_CODES
from chuangcheng.standards.services.rubric_io import _parse_bool, _parse_decimal, catalog_names

MANUAL_COLUMNS = (
    "测评项目编号",
    "测评项目",
    "测评项目分值",
    "测评内容编号",
    "测评内容",
    "测评方法",
    "测评内容分值",
    "申报材料",
    "测评标准编码",
    "测评标准",
    "计分方式",
    "分值",
    "观察频次",
    "适用点位类别",
    "负面清单",
    "负面清单处理",
    "扣分",
    "示例",
    "待核实",
    "说明",
    "来源",
)
REQUIRED = ("测评项目编号", "测评内容编号", "测评标准编码")
MANUAL_KINDS = (StandardKind.CIVILIZED_CITY, StandardKind.MINORS, StandardKind.LOCAL)
JUDGEMENT_BY_LABEL = {
    "观察计分": Judgement.OBSERVE,
    "达标不达标": Judgement.PASS_FAIL,
    "达标/不达标": Judgement.PASS_FAIL,
    "扣分": Judgement.DEDUCT,
} | {value: value for value in Judgement.values}
JUDGEMENT_LABEL = {Judgement.OBSERVE: "观察计分", Judgement.PASS_FAIL: "达标不达标", Judgement.DEDUCT: "扣分"}
NEGATIVE_DEDUCT, NEGATIVE_VETO = "扣分", "取消资格"
LIST_SPLIT = re.compile(r"[、,，;；/\s]+")
MATERIAL_SPLIT = re.compile(r"[;；\n]+")
MAX_OBSERVATIONS = 1000


@dataclass
class Content:
    """A 测评内容 as gathered from its rows."""

    number: str
    row: int
    project: str
    title: str = ""
    methods: list[str] = field(default_factory=list)
    points: Decimal | None = None
    materials: list[str] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    sample: bool = False


@dataclass
class Project:
    number: str
    row: int
    title: str = ""
    points: Decimal | None = None
    contents: list[str] = field(default_factory=list)


@dataclass
class Manual:
    projects: dict[str, Project] = field(default_factory=dict)
    contents: dict[str, Content] = field(default_factory=dict)

    @property
    def item_count(self) -> int:
        return sum(len(c.items) for c in self.contents.values())

    def summary(self) -> dict[str, int]:
        return {"projects": len(self.projects), "contents": len(self.contents), "items": self.item_count}


def parse_methods(report: ImportReport, row: int, text: str) -> list[str]:
    codes = []
    for part in LIST_SPLIT.split(text.strip()):
        if not part:
            continue
        code = METHOD_CODES.get(part) or (part if part in EvalMethod.values else None)
        if code is None:
            choices = "、".join(label for _, label in EvalMethod.choices)
            report.add(row, "测评方法", part, f"未知测评方法（可选：{choices}）")
        elif code not in codes:
            codes.append(code)
    return codes


def _merge(report: ImportReport, row: int, column: str, first_row: int, old, new, what: str):
    """Content/project attributes may repeat on every row or be given once; they must agree."""
    if new in (None, "", []):
        return old
    if old in (None, "", []):
        return new
    if old != new:
        report.add(
            row, column, new if not isinstance(new, list) else "、".join(new), f"与第{first_row}行的{what}不一致"
        )
    return old


def _required_number(report, row, column, text, *, what: str) -> Decimal | None:
    if text.strip() in ("", UNKNOWN):
        report.add(row, column, text, f"{what}必须填写分值（导入时不接受“待核实”）")
        return None
    value = _parse_decimal(report, row, column, text)
    if value is not None and value <= 0:
        report.add(row, column, text, "分值应大于 0")
    return value


def _parse_item(report: ImportReport, row: int, data: dict, names: set[str]) -> dict:
    code, title = data.get("测评标准编码", "").strip(), data.get("测评标准", "").strip()
    if not title:
        report.add(row, "测评标准", "", "填写了测评标准编码时测评标准不能为空")
    negative = _parse_bool(report, row, "负面清单", data.get("负面清单", ""))
    handling = data.get("负面清单处理", "").strip()
    judgement_text = data.get("计分方式", "").strip()
    judgement = JUDGEMENT_BY_LABEL.get(judgement_text or ("扣分" if negative else "观察计分"))
    if judgement is None:
        report.add(row, "计分方式", judgement_text, "应为“观察计分”“达标不达标”或“扣分”")
    full_points, observations, points, veto = None, None, None, False
    points_text, observations_text = data.get("分值", ""), data.get("观察频次", "").strip()
    if negative:
        if judgement not in (None, Judgement.DEDUCT):
            report.add(row, "计分方式", judgement_text, "负面清单测评标准的计分方式应为“扣分”（或留空）")
        if handling not in (NEGATIVE_DEDUCT, NEGATIVE_VETO):
            report.add(row, "负面清单处理", handling, "负面清单应填写处理方式：“扣分”或“取消资格”")
        veto = handling == NEGATIVE_VETO
        if handling == NEGATIVE_DEDUCT:
            points = _required_number(report, row, "扣分", data.get("扣分", ""), what="负面清单扣分")
        judgement = Judgement.DEDUCT
    else:
        if handling:
            report.add(row, "负面清单处理", handling, "不是负面清单（负面清单列为“否”）时不填处理方式")
        if judgement == Judgement.OBSERVE:
            full_points = _required_number(report, row, "分值", points_text, what="观察计分的测评标准")
            if not observations_text or observations_text == UNKNOWN:
                report.add(
                    row, "观察频次", observations_text, "观察计分的测评标准必须填写观察频次（每个测评点观察次数）"
                )
            elif not observations_text.isdigit() or not 1 <= int(observations_text) <= MAX_OBSERVATIONS:
                report.add(row, "观察频次", observations_text, f"应为 1~{MAX_OBSERVATIONS} 的整数")
            else:
                observations = int(observations_text)
        elif judgement == Judgement.PASS_FAIL:
            full_points = _required_number(report, row, "分值", points_text, what="达标不达标的测评标准")
        elif judgement == Judgement.DEDUCT:
            points = _required_number(report, row, "扣分", data.get("扣分", ""), what="扣分的测评标准")
            full_points = _parse_decimal(report, row, "分值", points_text)
        if judgement != Judgement.OBSERVE and observations_text:
            report.add(row, "观察频次", observations_text, "只有观察计分的测评标准填写观察频次")
    category_names = split_names(data.get("适用点位类别", ""))
    for name in category_names:
        if name not in names:
            report.add(row, "适用点位类别", name, "未知点位类别（请先在点位类别中维护）")
    return {
        "row": row,
        "code": code,
        "title": title,
        "judgement": judgement or Judgement.OBSERVE,
        "full_points": full_points,
        "observations": observations,
        "points": points,
        "is_negative_list": negative,
        "is_veto": veto,
        "severity": Severity.SERIOUS if negative else Severity.NORMAL,
        "site_category_names": SEPARATOR.join(category_names),
        "is_sample": _parse_bool(report, row, "示例", data.get("示例", "")),
        "uncertain": _parse_bool(report, row, "待核实", data.get("待核实", "")),
        "description": data.get("说明", "").strip(),
        "source": data.get("来源", "").strip(),
    }


def parse_manual(report: ImportReport, table, names: set[str]) -> Manual:
    manual, item_rows = Manual(), {}
    for row, data in zip(table.row_numbers, table.rows, strict=True):
        project_no, content_no = data.get("测评项目编号", "").strip(), data.get("测评内容编号", "").strip()
        if not project_no:
            report.add(row, "测评项目编号", "", "测评项目编号不能为空")
        if not content_no:
            report.add(row, "测评内容编号", "", "测评内容编号不能为空")
        if not project_no or not content_no:
            continue
        if content_no in manual.projects or project_no in manual.contents:
            report.add(row, "测评内容编号", content_no, "测评项目编号与测评内容编号不能相同（同属一棵条款树）")
            continue
        project = manual.projects.setdefault(project_no, Project(number=project_no, row=row))
        project.title = _merge(
            report, row, "测评项目", project.row, project.title, data.get("测评项目", "").strip(), "测评项目名称"
        )
        points = _parse_decimal(report, row, "测评项目分值", data.get("测评项目分值", ""))
        project.points = _merge(report, row, "测评项目分值", project.row, project.points, points, "测评项目分值")
        content = manual.contents.get(content_no)
        if content is None:
            content = manual.contents[content_no] = Content(number=content_no, row=row, project=project_no)
            project.contents.append(content_no)
        elif content.project != project_no:
            report.add(
                row,
                "测评项目编号",
                project_no,
                f"测评内容“{content_no}”在第{content.row}行属于测评项目“{content.project}”",
            )
        content.title = _merge(
            report, row, "测评内容", content.row, content.title, data.get("测评内容", "").strip(), "测评内容名称"
        )
        methods = parse_methods(report, row, data.get("测评方法", ""))
        content.methods = _merge(report, row, "测评方法", content.row, content.methods, methods, "测评方法")
        points = _parse_decimal(report, row, "测评内容分值", data.get("测评内容分值", ""))
        content.points = _merge(report, row, "测评内容分值", content.row, content.points, points, "测评内容分值")
        for title in MATERIAL_SPLIT.split(data.get("申报材料", "")):
            if title.strip() and title.strip() not in content.materials:
                content.materials.append(title.strip()[:200])
        code = data.get("测评标准编码", "").strip()
        if not code:
            for column in ("测评标准", "计分方式", "分值", "观察频次", "适用点位类别", "扣分"):
                if data.get(column, "").strip():
                    report.add(row, column, data[column], "没有测评标准编码的行只声明测评内容，不能填写测评标准的列")
            content.sample = content.sample or _parse_bool(report, row, "示例", data.get("示例", ""))
            continue
        if code in item_rows:
            report.add(row, "测评标准编码", code, f"与第{item_rows[code]}行重复")
        item_rows[code] = row
        item = _parse_item(report, row, data, names)
        content.sample = content.sample or item["is_sample"]
        content.items.append(item)
    _check_tree(report, manual)
    return manual


def _check_tree(report: ImportReport, manual: Manual) -> None:
    for project in manual.projects.values():
        if not project.title:
            report.add(project.row, "测评项目", "", f"测评项目“{project.number}”没有名称")
    for content in manual.contents.values():
        if not content.title:
            report.add(content.row, "测评内容", "", f"测评内容“{content.number}”没有名称")
        if not content.methods:
            report.add(content.row, "测评方法", "", f"测评内容“{content.number}”没有填写测评方法")
        if content.materials and EvalMethod.MATERIAL not in content.methods:
            report.add(content.row, "申报材料", content.materials[0], "测评方法不含“材料审核”时不能填写申报材料")
        scored = [item["full_points"] for item in content.items if not item["is_negative_list"]]
        if content.points is not None and scored and None not in scored and sum(scored) != content.points:
            report.add(
                content.row,
                "测评内容分值",
                _fmt(content.points),
                f"与其测评标准分值之和 {_fmt(sum(scored))} 不一致",
            )
    for project in manual.projects.values():
        parts = [manual.contents[number].points for number in project.contents]
        if project.points is not None and parts and None not in parts and sum(parts) != project.points:
            report.add(
                project.row, "测评项目分值", _fmt(project.points), f"与其测评内容分值之和 {_fmt(sum(parts))} 不一致"
            )


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def read_manual(*, data: bytes, filename: str = "") -> Manual:
    """Parse and check a manual without writing; ``ImportFailed`` lists every problem."""
    table = read_table(data, filename=filename, required=REQUIRED, header_hint=MANUAL_COLUMNS)
    report = ImportReport()
    manual = parse_manual(report, table, catalog_names())
    if not manual.contents and report.ok:
        report.add(None, "文件", filename, "没有数据行")
    if not report.ok:
        raise ImportFailed(report)
    return manual
