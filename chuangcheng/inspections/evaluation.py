"""The 模拟测评 report: 得分率 per 测评项目, 测评内容, district, category and point, with the change from the
previous 模拟测评 on the same standard code (one data set for the page, the API and the xlsx).

Scoring itself is ``observation.py`` (pure); this module reads the rows (``round_evaluation``, five queries)
and lays them out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from chuangcheng.core.text import xlsx_row
from chuangcheng.inspections.models import (
    Finding,
    FindingResult,
    InspectionRound,
    Observation,
    RoundKind,
    RoundStatus,
    SiteVisit,
    VisitStatus,
)
from chuangcheng.inspections.observation import (
    EvalScore,
    GroupRow,
    ItemInfo,
    PointRow,
    Tally,
    delta_text,
    percent,
    rate_delta,
    score_observations,
)
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.places.models import SiteCategory
from chuangcheng.standards.models import CheckItem

NOTE = (
    "说明：得分率 =（Σ 分值 × 达标率 − 负面清单扣分）÷ Σ 分值，只计分值已知且有观察的测评标准；"
    "分值待核实的测评标准只计观察次数，不计分，也不推算分值；“不适用”的观察不计入达标率。"
    "变化为与上一轮模拟测评（同一标准编码）相比的百分点。"
)
ITEM_FIELDS = (
    "pk",
    "full_points",
    "points",
    "is_negative_list",
    "is_veto",
    "clause__number",
    "clause__title",
    "clause__section__number",
    "clause__section__title",
    "clause__parent__number",
    "clause__parent__title",
)
TABLES = (
    ("section", "by_section", "测评项目"),
    ("clause", "by_clause", "测评内容"),
    ("district", "by_district", "区县"),
    ("category", "by_category", "点位类别"),
    ("point", "by_point", "点位"),
)
HEADERS = (
    "排名",
    "名称",
    "得分率",
    "得分",
    "分值合计",
    "观察次数",
    "达标次数",
    "分值待核实的测评标准",
    "负面清单扣分",
    "取消资格情形",
    "上轮得分率",
    "变化（百分点）",
)


def districts_of(unit_paths) -> dict[str, Unit | None]:
    """``{unit path: its district}``: the nearest unit of kind 区县 on the path (itself included), else the
    unit one level below the nearest 市 (one query for all paths)."""
    paths = {p for p in unit_paths if p}
    ids = {int(part) for p in paths for part in p.strip("/").split("/")}
    units = Unit.objects.only("pk", "name", "kind", "path").in_bulk(ids)
    found: dict[str, Unit | None] = {}
    for path in paths:
        chain = [units.get(int(part)) for part in path.strip("/").split("/")]
        district = next((u for u in reversed(chain) if u is not None and u.kind == UnitKind.DISTRICT), None)
        if district is None:
            cities = [n for n, u in enumerate(chain) if u is not None and u.kind == UnitKind.CITY]
            below = cities[-1] + 1 if cities else 1
            district = chain[below] if below < len(chain) else None
        found[path] = district
    return found


def _items(standard_id) -> tuple[list[ItemInfo], dict]:
    items, names = [], {}
    for row in CheckItem.objects.filter(standard_id=standard_id).values(*ITEM_FIELDS):
        clause = row["clause__number"]
        section = row["clause__section__number"] or row["clause__parent__number"] or clause
        items.append(
            ItemInfo(
                item_id=row["pk"],
                full_points=row["full_points"],
                clause=clause,
                section=section,
                is_negative_list=row["is_negative_list"],
                is_veto=row["is_veto"],
                points=row["points"],
            )
        )
        names[("clause", clause)] = row["clause__title"] or "未归入测评内容"
        names[("section", section)] = (
            row["clause__section__title"] or row["clause__parent__title"] or row["clause__title"] or "未归入测评项目"
        )
    return items, names


def round_evaluation(round_: InspectionRound) -> tuple[EvalScore, dict]:
    """得分率 of a round scored by observation (five queries) and the display names of its keys.

    Points are the submitted visits keyed by site (so rounds compare), 测评内容/测评项目 by clause number;
    负面清单 deductions recorded with the deduction form count as hits too.
    """
    done = SiteVisit.objects.filter(round=round_, status=VisitStatus.DONE)
    visits = list(done.values_list("pk", "site_id", "site__name", "category_id", "unit__path"))
    districts = districts_of(row[4] for row in visits)
    points = [PointRow(v[0], v[1] or -v[0], v[3], getattr(districts.get(v[4]), "pk", None)) for v in visits]
    counted = (
        Observation.objects.filter(visit__in=done)
        .values("visit_id", "check_item_id")
        .annotate(p=Count("pk", filter=Q(passed=True)), n=Count("pk", filter=Q(passed__isnull=False)))
        .values_list("visit_id", "check_item_id", "p", "n")
    )
    groups = [GroupRow(*row) for row in counted]
    negative = Finding.objects.filter(visit__in=done, result=FindingResult.DEDUCT, is_negative_list=True)
    groups += [GroupRow(v, i, 0, 1) for v, i in negative.values_list("visit_id", "check_item_id")]
    items, names = _items(round_.standard_id)
    names |= {("point", v[1] or -v[0]): v[2] or "复查" for v in visits}
    names |= {("district", d.pk): d.name for d in districts.values() if d is not None}
    return score_observations(points, items, groups), names


def previous_evaluation_round(round_: InspectionRound) -> InspectionRound | None:
    """The latest earlier 模拟测评 on a standard of the same code whose field work is closed or published."""
    if round_.standard_id is None:
        return None
    return (
        InspectionRound.objects.filter(
            kind=RoundKind.MOCK,
            standard__code=round_.standard.code,
            status__in=(RoundStatus.CLOSED, RoundStatus.PUBLISHED),
            period_start__lt=round_.period_start,
        )
        .exclude(pk=round_.pk)
        .order_by("-period_start", "-id")
        .first()
    )


@dataclass
class Row:
    rank: int | None
    key: object
    name: str
    tally: Tally
    previous: Tally | None
    has_previous_round: bool = False

    @property
    def delta(self) -> Decimal | None:
        return rate_delta(self.tally, self.previous)

    @property
    def rate_text(self) -> str:
        return percent(self.tally.rate)

    @property
    def delta_text(self) -> str:
        return delta_text(self.delta)

    def cells(self) -> list:
        t = self.tally
        before = (
            percent(self.previous.rate) if self.previous is not None else ("—" if self.has_previous_round else "无")
        )
        return [
            self.rank or "",
            self.name,
            self.rate_text,
            t.score.quantize(Decimal("0.01")),
            t.full,
            t.observed,
            t.passed,
            t.unknown_items,
            t.deduction if not t.unknown_deductions else f"{t.deduction}（另 {t.unknown_deductions} 处待核实）",
            t.veto_hits,
            before,
            self.delta_text,
        ]

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "rank": self.rank,
            **self.tally.as_dict(),
            "previous_rate": None if self.previous is None or self.previous.rate is None else str(self.previous.rate),
            "delta": None if self.delta is None else str(self.delta),
        }


@dataclass
class EvalReport:
    round: InspectionRound
    previous: InspectionRound | None
    score: EvalScore
    total: Row
    tables: dict[str, list[Row]] = field(default_factory=dict)
    planned: int = 0
    done: int = 0

    def payload(self) -> dict:
        return {
            "round": self.round.pk,
            "previous_round": self.previous and {"id": self.previous.pk, "name": self.previous.name},
            "visits": {"planned": self.planned, "done": self.done},
            "total": self.total.as_dict(),
            **{f"by_{name}": [row.as_dict() for row in rows] for name, rows in self.tables.items()},
        }


def _ranked(tallies: dict, before: dict | None, names) -> list[Row]:
    ordered = sorted(tallies.items(), key=lambda kv: (kv[1].rate is None, -(kv[1].rate or 0), str(names(kv[0]))))
    rows, last, last_rank = [], None, 0
    for position, (key, tally) in enumerate(ordered, start=1):
        rank = None if tally.rate is None else (last_rank if tally.rate == last else position)
        last, last_rank = tally.rate, rank or last_rank
        rows.append(Row(rank, key, names(key), tally, None if before is None else before.get(key), before is not None))
    return rows


def build(round_: InspectionRound) -> EvalReport:
    """The report of one round (about a dozen queries, whatever its size)."""
    score, names = round_evaluation(round_)
    previous = previous_evaluation_round(round_)
    before, before_names = round_evaluation(previous) if previous else (None, {})
    names = before_names | names
    categories = dict(SiteCategory.objects.filter(pk__in=list(score.by_category)).values_list("pk", "name"))
    report = EvalReport(
        round=round_,
        previous=previous,
        score=score,
        total=Row(None, "total", "全部", score.total, before.total if before else None, before is not None),
    )
    for name, attr, _label in TABLES:
        previous_tallies = getattr(before, attr) if before else None
        if name == "category":
            label = lambda key: categories.get(key, "未分类")  # noqa: E731
        else:
            label = lambda key, name=name: names.get((name, key), "未划定" if name == "district" else str(key))  # noqa: E731
        rows = _ranked(getattr(score, attr), previous_tallies, label)
        if name in ("section", "clause"):
            rows.sort(key=lambda row: str(row.key))
        report.tables[name] = rows
    counts = SiteVisit.objects.filter(round=round_).aggregate(
        planned=Count("pk"), done=Count("pk", filter=Q(status=VisitStatus.DONE))
    )
    report.planned, report.done = counts["planned"], counts["done"]
    return report


def to_xlsx(report: EvalReport) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "概况"
    r, t = report.round, report.total
    sheet.append(xlsx_row([f"{r.name} 模拟测评得分率"]))
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in (
        ("标准版本", str(r.standard) if r.standard else "未指定"),
        ("测评点位", f"{report.planned} 个，已提交 {report.done} 个"),
        ("得分率", t.rate_text),
        ("对比轮次", report.previous.name if report.previous else "无（首次）"),
        ("变化（百分点）", t.delta_text),
        ("分值待核实的测评标准", f"{t.tally.unknown_items} 项（只计观察，不计分）"),
        ("负面清单", f"扣分 {t.tally.deduction}；取消资格情形 {t.tally.veto_hits} 处"),
    ):
        sheet.append(xlsx_row([label, value]))
    sheet.append([])
    sheet.append([NOTE])
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 60
    for name, _attr, label in TABLES:
        ws = workbook.create_sheet(label)
        ws.append(list(HEADERS))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for row in report.tables[name]:
            cells = row.cells()
            ws.append(xlsx_row(float(v) if isinstance(v, Decimal) else v for v in cells))
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 14
        ws.column_dimensions["B"].width = 30
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
