"""网上申报 by the 测评体系: a 创文 (or minors) standard's material requirements grouped by 测评项目 → 测评内容.

Reads only. Requirements belong to 测评内容 (article clauses whose 测评方法 include 材料审核); their units are the
existing ``MaterialAssignment`` rows and their progress the materials of the chosen year (two-stage review:
待一审 → 待二审 → 已通过). Group totals come from the completeness matrix so the figure is the same one the
matrix page shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from chuangcheng.dossiers.models import Material, MaterialAssignment, MaterialStatus
from chuangcheng.dossiers.selectors import NO_CLAUSE, Cell, _add, completeness_matrix
from chuangcheng.standards.models import (
    Clause,
    ClauseLevel,
    MaterialRequirement,
    Standard,
    StandardKind,
    StandardStatus,
    method_labels,
)

EVALUATION_KINDS = (StandardKind.CIVILIZED_CITY, StandardKind.MINORS, StandardKind.LOCAL)
NO_PROJECT_LABEL = "未归测评项目"


def evaluation_standards():
    """Standards with a 测评体系 and material requirements, newest first (the page's choices)."""
    return (
        Standard.objects.filter(kind__in=EVALUATION_KINDS, material_requirements__isnull=False)
        .distinct()
        .order_by("kind", "-published_at", "-id")
    )


def evaluation_standard(pk: int) -> Standard | None:
    """A standard of a 测评体系 kind by id (with or without material requirements)."""
    return Standard.objects.filter(kind__in=EVALUATION_KINDS, pk=pk).first()


def default_evaluation_standard() -> Standard | None:
    return (
        evaluation_standards()
        .filter(kind=StandardKind.CIVILIZED_CITY, status=StandardStatus.PUBLISHED)
        .order_by("-published_at", "-id")
        .first()
        or evaluation_standards().first()
    )


@dataclass
class RequirementRow:
    requirement: MaterialRequirement
    units: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def missing(self) -> int:
        return max(0, len(self.units) - self.counts.get("live", 0))


@dataclass
class ContentGroup:
    clause: Clause | None
    methods: str
    requirements: list[RequirementRow] = field(default_factory=list)
    total: Cell = field(default_factory=lambda: Cell(0))


@dataclass
class ProjectGroup:
    clause: Clause | None
    contents: list[ContentGroup] = field(default_factory=list)
    total: Cell = field(default_factory=lambda: Cell(0))

    @property
    def label(self) -> str:
        return f"{self.clause.number} {self.clause.title}" if self.clause else NO_PROJECT_LABEL


def evaluation_materials(*, user, standard: Standard, year: int) -> tuple[list[ProjectGroup], Cell]:
    """Projects → contents → requirements with units and this year's progress; five queries in all."""
    clauses = {c.pk: c for c in Clause.objects.filter(standard=standard).order_by("sort_order", "id")}
    requirements = list(
        MaterialRequirement.objects.filter(standard=standard).order_by("clause__sort_order", "sort_order", "id")
    )
    units = defaultdict(list)
    for assignment in (
        MaterialAssignment.objects.visible_to(user)
        .filter(requirement__standard=standard)
        .select_related("unit")
        .order_by("unit__path")
    ):
        units[assignment.requirement_id].append(assignment.unit)
    counts = {
        row["requirement_id"]: row
        for row in Material.objects.visible_to(user)
        .filter(requirement__standard=standard, year=year)
        .values("requirement_id")
        .annotate(
            live=Count("unit", distinct=True, filter=~Q(status=MaterialStatus.RETURNED)),
            first=Count("id", filter=Q(status=MaterialStatus.SUBMITTED)),
            second=Count("id", filter=Q(status=MaterialStatus.FIRST_PASSED)),
            approved=Count("unit", distinct=True, filter=Q(status=MaterialStatus.APPROVED)),
            returned=Count("id", filter=Q(status=MaterialStatus.RETURNED)),
        )
        .order_by()
    }
    matrix = completeness_matrix(user=user, years=[year], standard=standard)
    projects: dict[int | None, ProjectGroup] = {}
    contents: dict[int | None, ContentGroup] = {}
    for requirement in requirements:
        clause = clauses.get(requirement.clause_id)
        project_clause = _project_of(clause, clauses)
        project = projects.get(project_clause.pk if project_clause else None)
        if project is None:
            project = projects[project_clause.pk if project_clause else None] = ProjectGroup(clause=project_clause)
        content = contents.get(requirement.clause_id)
        if content is None:
            content = contents[requirement.clause_id] = ContentGroup(
                clause=clause,
                methods="、".join(method_labels(clause.methods)) if clause else "",
                total=matrix.clause_total(requirement.clause_id or NO_CLAUSE),
            )
            project.contents.append(content)
        content.requirements.append(
            RequirementRow(
                requirement=requirement, units=units.get(requirement.pk, []), counts=counts.get(requirement.pk, {})
            )
        )
    ordered = sorted(projects.values(), key=lambda p: (p.clause is None, p.clause.sort_order if p.clause else 0))
    for project in ordered:
        project.total = _add([(c.total.required, c.total.submitted, c.total.approved) for c in project.contents])
    return ordered, matrix.overall


def _project_of(clause: Clause | None, clauses: dict[int, Clause]) -> Clause | None:
    """The 测评项目 (section) above a 测评内容; a section clause is its own project."""
    if clause is None:
        return None
    if clause.level == ClauseLevel.SECTION:
        return clause
    parent = clauses.get(clause.section_id or clause.parent_id)
    return parent if parent is not None and parent.level == ClauseLevel.SECTION else None


def group_matrix_rows(rows: list[dict], standard: Standard) -> list[dict]:
    """Matrix rows (one per clause) under 测评项目 headers with a subtotal cell per unit."""
    clauses = {c.pk: c for c in Clause.objects.filter(standard=standard)}
    groups: dict[int | None, dict] = {}
    for row in rows:
        project = _project_of(clauses.get(row["clause_id"]), clauses)
        key = project.pk if project else None
        group = groups.get(key)
        if group is None:
            label = f"{project.number} {project.title}" if project else NO_PROJECT_LABEL
            group = groups[key] = {"label": label, "rows": [], "order": project.sort_order if project else 10**9}
        group["rows"].append(row)
    result = []
    for group in sorted(groups.values(), key=lambda g: g["order"]):
        width = len(group["rows"][0]["cells"])
        cells = []
        for index in range(width):
            parts = [(c.required, c.submitted, c.approved) for r in group["rows"] if (c := r["cells"][index])]
            cells.append(_add(parts) if parts else None)
        total = _add([(r["total"].required, r["total"].submitted, r["total"].approved) for r in group["rows"]])
        result.append(group | {"cells": cells, "total": total})
    return result
