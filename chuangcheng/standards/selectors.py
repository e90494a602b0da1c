"""Reads over the standards catalog: current versions, the searchable tree, the indicator board."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from chuangcheng.standards.comparison import compare_versions  # noqa: F401  (re-exported for other apps)
from chuangcheng.standards.compliance import judge
from chuangcheng.standards.models import (
    CheckItem,
    Clause,
    ClauseLevel,
    Compliance,
    Indicator,
    IndicatorReport,
    Judgement,
    MaterialRequirement,
    QuotaRow,
    SamplingQuota,
    Standard,
    StandardKind,
    StandardStatus,
)


def current_standard(kind: str) -> Standard | None:
    """The latest published version of ``kind`` (by effective date, then publication)."""
    return (
        Standard.objects.filter(kind=kind, status=StandardStatus.PUBLISHED)
        .order_by("-effective_date", "-published_at", "-id")
        .first()
    )


def check_items_for_category(standard: Standard, category) -> QuerySet[CheckItem]:
    """Check items of ``standard`` that apply to a ``places.SiteCategory``."""
    return (
        CheckItem.objects.filter(standard=standard, site_categories=category)
        .select_related("clause")
        .order_by("sort_order", "id")
    )


def sampling_totals(standard: Standard) -> tuple[int | None, int | None, int | None]:
    """The (small, medium, large) totals of a standard's minimum-sample table."""
    total = SamplingQuota.objects.filter(standard=standard, row_kind="total").first()
    if total is None:
        return (None, None, None)
    return (total.min_samples_small, total.min_samples_medium, total.min_samples_large)


@dataclass
class Node:
    clause: Clause | None
    title: str = ""
    children: list[Node] = field(default_factory=list)
    items: list[CheckItem] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    materials: list[MaterialRequirement] = field(default_factory=list)
    match: bool = False

    @property
    def items_points(self) -> tuple[Decimal, int]:
        """(sum of the 测评标准 分值, how many are 待核实) over the node's own items, 负面清单 left out."""
        scored = [i.full_points for i in self.items if not i.is_negative_list]
        return sum((p for p in scored if p is not None), Decimal(0)), sum(1 for p in scored if p is None)

    @property
    def is_empty(self) -> bool:
        return not (self.match or self.children or self.items or self.indicators or self.materials)


def _contains(q: str, *texts: str) -> bool:
    return any(q in (t or "").lower() for t in texts)


def standard_tree(standard: Standard, q: str = "") -> list[Node]:
    """Sections → articles → items, each with its check items, indicators and materials.

    Articles whose section is unknown go under a pseudo node “未归类条文”. With ``q``
    only matching rows and their ancestors are kept. Constant number of queries.
    """
    q = (q or "").strip().lower()
    clauses = list(Clause.objects.filter(standard=standard).order_by("sort_order", "id"))
    items = CheckItem.objects.filter(standard=standard).prefetch_related("site_categories").order_by("sort_order", "id")
    indicators = Indicator.objects.filter(standard=standard).order_by("sort_order", "id")
    materials = MaterialRequirement.objects.filter(standard=standard).order_by("sort_order", "id")
    nodes = {c.pk: Node(clause=c, title=f"{c.number} {c.title}") for c in clauses}
    loose = Node(clause=None, title="未归类条文（所属大类待核实）")
    roots: list[Node] = []
    for row_set, attr in ((items, "items"), (indicators, "indicators"), (materials, "materials")):
        for row in row_set:
            target = nodes.get(row.clause_id, loose) if row.clause_id else loose
            getattr(target, attr).append(row)
    for clause in clauses:
        node = nodes[clause.pk]
        if clause.parent_id and clause.parent_id in nodes:
            nodes[clause.parent_id].children.append(node)
        elif clause.level == ClauseLevel.SECTION:
            roots.append(node)
        else:
            loose.children.append(node)
    if loose.children or loose.items or loose.indicators or loose.materials:
        roots.append(loose)
    if not q:
        return roots
    return [node for node in (_filter(node, q) for node in roots) if node is not None]


def _filter(node: Node, q: str) -> Node | None:
    clause = node.clause
    node.match = clause is not None and _contains(q, clause.number, clause.title, clause.text)
    if not node.match:
        node.items = [i for i in node.items if _contains(q, i.code, i.title, i.description, i.site_category_names)]
        node.indicators = [i for i in node.indicators if _contains(q, i.code, i.name, i.note)]
        node.materials = [m for m in node.materials if _contains(q, m.title, m.description)]
    node.children = [child for child in (_filter(c, q) for c in node.children) if child is not None]
    return None if node.is_empty else node


@dataclass
class EvaluationSummary:
    """Counts and totals of a 测评体系 (测评项目 → 测评内容 → 测评标准)."""

    projects: int
    contents: int
    items: int
    observed: int
    negative: int
    total: Decimal
    unknown_projects: int
    observations_per_point: int


def evaluation_summary(standard: Standard) -> EvaluationSummary | None:
    """None when the standard has no 测评体系 (no 测评方法 on any clause and no observation-scored item)."""
    clauses = list(Clause.objects.filter(standard=standard).values_list("level", "full_points", "methods"))
    items = list(
        CheckItem.objects.filter(standard=standard).values_list("judgement", "is_negative_list", "observations")
    )
    observed = [obs for judgement, _, obs in items if judgement == Judgement.OBSERVE]
    if not observed and not any(methods for _, _, methods in clauses):
        return None
    sections = [points for level, points, _ in clauses if level == ClauseLevel.SECTION]
    return EvaluationSummary(
        projects=len(sections),
        contents=sum(1 for level, _, _ in clauses if level == ClauseLevel.ARTICLE),
        items=len(items),
        observed=len(observed),
        negative=sum(1 for _, negative, _ in items if negative),
        total=sum((p for p in sections if p is not None), Decimal(0)),
        unknown_projects=sum(1 for p in sections if p is None),
        observations_per_point=sum(obs or 0 for obs in observed),
    )


def search_check_items(standard: Standard, q: str) -> QuerySet[CheckItem]:
    return CheckItem.objects.filter(standard=standard).filter(
        Q(code__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
    )


@dataclass
class BoardCell:
    unit: object
    history: list[dict]

    @property
    def latest(self) -> dict | None:
        return self.history[-1] if self.history else None


@dataclass
class BoardRow:
    indicator: Indicator
    cells: list[BoardCell]

    @property
    def status(self) -> str:
        """Worst latest verdict over the units: fail > insufficient/unknown/manual > pass."""
        verdicts = {c.latest["compliance"] for c in self.cells if c.latest}
        if not verdicts:
            return "none"
        if Compliance.FAIL in verdicts:
            return Compliance.FAIL
        if verdicts == {Compliance.PASS}:
            return Compliance.PASS
        return Compliance.UNKNOWN


def indicator_board(standard: Standard, user, *, hard_only: bool = False, unit=None) -> list[BoardRow]:
    """Indicators of ``standard`` with each visible unit's history, judged against the
    current indicator (reports of earlier versions count: matched by indicator code)."""
    indicators = list(Indicator.objects.filter(standard=standard).order_by("sort_order", "id"))
    if hard_only:
        indicators = [i for i in indicators if i.is_hard]
    reports = (
        IndicatorReport.objects.visible_to(user)
        .filter(indicator__standard__code=standard.code)
        .select_related("unit", "indicator")
        .prefetch_related("evidence")
        .order_by("period", "id")
    )
    if unit is not None:
        reports = reports.filter(unit=unit)
    grouped: dict[str, dict[int, list[IndicatorReport]]] = defaultdict(lambda: defaultdict(list))
    units = {}
    for report in reports:
        grouped[report.indicator.code][report.unit_id].append(report)
        units[report.unit_id] = report.unit
    rows = []
    for indicator in indicators:
        cells = []
        for unit_id, unit_reports in sorted(grouped.get(indicator.code, {}).items(), key=lambda kv: units[kv[0]].path):
            history, earlier = [], []
            for report in unit_reports:
                manual = (report.manual_verdict, report.manual_reason)
                verdict, reason = judge(indicator, report.value, report.value_text, earlier, manual)
                history.append({"report": report, "period": report.period, "compliance": verdict, "reason": reason})
                earlier.append((report.period, report.value, report.value_text))
            cells.append(BoardCell(unit=units[unit_id], history=history))
        rows.append(BoardRow(indicator=indicator, cells=cells))
    return rows


def reportable_units(user):
    """Units ``user`` may report indicator values for (office: every active unit)."""
    from chuangcheng.accounts.permissions import is_office
    from chuangcheng.core.scoping import scope_of
    from chuangcheng.org.models import Unit
    from chuangcheng.standards.permissions import REPORTING_ROLES

    units = Unit.objects.filter(is_active=True).order_by("path")
    scope = scope_of(user)
    if is_office(user):
        return units if scope.sees_all else units.filter(pk__in=scope.office_unit_ids)
    if not scope.has_role(*REPORTING_ROLES):
        return units.none()
    return units.filter(pk__in=scope.unit_ids)


def quota_standard_for(standard: Standard) -> Standard:
    """The standard whose sampling quotas drive a draw: its own; for a sanitary-city standard without
    any, the current published review method's (评审办法, where the official quotas are published)."""
    rows = SamplingQuota.objects.filter(category__isnull=False, row_kind=QuotaRow.ITEM)
    if rows.filter(standard=standard).exists() or standard.kind != StandardKind.SANITARY_CITY:
        return standard
    review = current_standard(StandardKind.SANITARY_REVIEW)
    if review is None or not rows.filter(standard=review).exists():
        return standard
    return review


def quotas_of(standard: Standard) -> QuerySet[SamplingQuota]:
    return SamplingQuota.objects.filter(standard=standard).select_related("category").order_by("sort_order", "id")


def other_versions(standard: Standard) -> QuerySet[Standard]:
    return Standard.objects.filter(code=standard.code).exclude(pk=standard.pk).order_by("-effective_date", "-id")
