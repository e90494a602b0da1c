"""Reads over the archive: the completeness matrix (clause × unit × year) from two aggregate queries."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from chuangcheng.dossiers.completeness import applies
from chuangcheng.dossiers.models import (
    CompletenessSummary,
    Material,
    MaterialAssignment,
    MaterialStatus,
)
from chuangcheng.org.models import Unit
from chuangcheng.standards.models import Clause, MaterialRequirement, Standard

NO_CLAUSE = 0
NO_CLAUSE_LABEL = "未归条款"


@dataclass(frozen=True)
class Cell:
    required: int
    submitted: int = 0
    approved: int = 0

    @property
    def percent(self) -> float:
        return percent(self.approved, self.required)


def _add(parts) -> Cell:
    return Cell(sum(p[0] for p in parts), sum(p[1] for p in parts), sum(p[2] for p in parts))


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def default_years(count: int = 3) -> list[int]:
    """The civilized-city review reads three years of materials: this year and the two before."""
    this_year = timezone.localdate().year
    return list(range(this_year - count + 1, this_year + 1))


@dataclass(frozen=True)
class CompletenessFigure:
    """The archive completeness figure every page shows (dossiers, matrix, readiness): approved / required
    material items over the review years. One figure, one format, so it reads the same everywhere."""

    years: tuple[int, ...]
    cell: Cell

    @property
    def approved(self) -> int:
        return self.cell.approved

    @property
    def required(self) -> int:
        return self.cell.required

    @property
    def percent(self) -> float:
        return self.cell.percent

    @property
    def display(self) -> str:
        return f"{self.percent:.1f}%" if self.required else "—"

    @property
    def years_label(self) -> str:
        if not self.years:
            return ""
        first, last = self.years[0], self.years[-1]
        return f"{first}年" if first == last else f"{first}–{last}年"


@dataclass
class CompletenessMatrix:
    """``cells[(clause_id, unit_id, year)] = (required, submitted, approved)``.

    ``required`` is the number of requirements of the clause assigned to the unit that apply to the
    year (a requirement with 年限 N applies to the N years ending with this year, one without to every
    year; ``completeness.applies``); ``submitted`` / ``approved`` count those requirements with at least
    one live / approved file for that unit and year (several files for one requirement count once;
    returned files count nowhere, nor do files for a year the requirement does not apply to). A clause
    and unit with nothing applicable to a year has no cell for it.
    """

    years: list[int]
    clauses: list[tuple[int, str]]
    units: list[Unit]
    cells: dict[tuple[int, int, int], tuple[int, int, int]] = field(default_factory=dict)

    def cell(self, clause_id: int, unit_id: int, year: int) -> Cell | None:
        found = self.cells.get((clause_id, unit_id, year))
        return Cell(*found) if found else None

    def _sum(self, keep) -> Cell:
        return _add([value for key, value in self.cells.items() if keep(key)])

    def unit_total(self, unit_id: int, year: int | None = None) -> Cell:
        return self._sum(lambda k: k[1] == unit_id and (year is None or k[2] == year))

    def clause_total(self, clause_id: int, year: int | None = None) -> Cell:
        return self._sum(lambda k: k[0] == clause_id and (year is None or k[2] == year))

    def year_total(self, year: int) -> Cell:
        return self._sum(lambda k: k[2] == year)

    @property
    def overall(self) -> Cell:
        return _add(self.cells.values())

    @property
    def figure(self) -> CompletenessFigure:
        return CompletenessFigure(years=tuple(self.years), cell=self.overall)

    def unit_totals(self) -> dict[int, Cell]:
        """Every unit's total in one pass (the per-unit ``unit_total`` is O(cells) each)."""
        sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for (_, unit_id, _), (required, submitted, approved) in self.cells.items():
            total = sums[unit_id]
            total[0] += required
            total[1] += submitted
            total[2] += approved
        return {unit_id: Cell(*values) for unit_id, values in sums.items()}

    def rows(self, year: int | None = None) -> list[dict]:
        """Table rows for pages: one per clause, a cell per unit (summed over years unless ``year``)."""
        years = [year] if year else self.years
        rows = []
        for clause_id, label in self.clauses:
            cells, total = [], []
            for unit in self.units:
                parts = [p for p in (self.cells.get((clause_id, unit.pk, y)) for y in years) if p]
                cells.append(_add(parts) if parts else None)
                total.extend(parts)
            rows.append({"clause_id": clause_id, "label": label, "cells": cells, "total": _add(total)})
        return rows

    def as_list(self) -> list[dict]:
        return [
            {
                "clause": clause_id or None,
                "unit": unit_id,
                "year": year,
                "required": required,
                "submitted": submitted,
                "approved": approved,
                "percent": percent(approved, required),
            }
            for (clause_id, unit_id, year), (required, submitted, approved) in sorted(self.cells.items())
        ]


def _assemble(years, owed_rows, done_rows, this_year: int) -> CompletenessMatrix:
    """Cells from ``(clause_id, unit_id, span, required)`` and
    ``(clause_id, unit_id, year, span, submitted, approved)`` rows, counting only applicable years."""
    progress: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0, 0])
    for clause_id, unit_id, year, span, submitted, approved in done_rows:
        if applies(span, year, this_year):
            total = progress[(clause_id or NO_CLAUSE, unit_id, year)]
            total[0] += submitted
            total[1] += approved
    owed: dict[tuple[int, int, int], int] = defaultdict(int)
    for clause_id, unit_id, span, required in owed_rows:
        for year in years:
            if applies(span, year, this_year):
                owed[(clause_id or NO_CLAUSE, unit_id, year)] += required
    cells = {}
    for key, required in owed.items():
        submitted, approved = progress.get(key, (0, 0))
        cells[key] = (required, min(submitted, required), min(approved, required))
    return _matrix(years, cells)


def _matrix(years, cells) -> CompletenessMatrix:
    clause_ids = {key[0] for key in cells}
    unit_ids = {key[1] for key in cells}
    return CompletenessMatrix(
        years=years,
        clauses=_clause_labels(clause_ids),
        units=list(Unit.objects.filter(pk__in=unit_ids).order_by("path")),
        cells=cells,
    )


def completeness_matrix(
    *, user, years: list[int] | None = None, standard=None, units=None, clause=None
) -> CompletenessMatrix:
    """The matrix over the units the user can see, read from the pre-aggregated summary
    (``dossiers.completeness``): one plain query of one row per clause and unit, plus two lookups."""
    years = sorted(set(years or default_years()))
    summaries = CompletenessSummary.objects.visible_to(user)
    if standard is not None:
        summaries = summaries.filter(standard=standard)
    if units is not None:
        summaries = summaries.filter(unit__in=units)
    if clause is not None:
        summaries = summaries.filter(clause=clause)
    this_year = timezone.localdate().year
    slot = {year: 3 * index for index, year in enumerate(years)}
    cells: dict[tuple[int, int, int], tuple[int, int, int]] = {}
    # the counts come back as text and are decoded in one call (12,000 small decodes cost more)
    rows = list(summaries.values_list("clause_id", "unit_id", "required", Cast("counts", TextField())))
    decoded = json.loads("[" + ",".join(row[3] for row in rows) + "]")
    for (clause_id, unit_id, required, _), counts in zip(rows, decoded, strict=True):
        clause_id = clause_id or NO_CLAUSE
        acc = [required, 0, 0] * len(years)
        for k in range(0, len(counts), 4):
            year, span = counts[k], counts[k + 1]
            if year == 0:  # requirements kept only ``span`` years: owed in the years they cover
                for other, at in slot.items():
                    if other > this_year - span:
                        acc[at] += counts[k + 2]
                continue
            at = slot.get(year)
            if at is None or (span and year <= this_year - span):
                continue
            acc[at + 1] += counts[k + 2]
            acc[at + 2] += counts[k + 3]
        for year, at in slot.items():
            owed = acc[at]
            if not owed:
                continue
            key = (clause_id, unit_id, year)
            old = cells.get(key)
            if old is None:
                cells[key] = (owed, acc[at + 1], acc[at + 2])
            else:  # clause-less requirements of several standards share a row
                cells[key] = (old[0] + owed, old[1] + acc[at + 1], old[2] + acc[at + 2])
    return _matrix(years, cells)


def archive_completeness(*, user) -> CompletenessFigure:
    """档案资料完整率 over the review years (``default_years``) for the units the user sees: the one figure
    the dossiers pages, the readiness page and any other page show."""
    return completeness_matrix(user=user).figure


def completeness_matrix_live(
    *, user, years: list[int] | None = None, standard=None, units=None, clause=None
) -> CompletenessMatrix:
    """The same matrix computed from assignments and materials directly (the reference the summary
    tables must agree with; slower: it groups every material)."""
    years = sorted(set(years or default_years()))
    assignments = MaterialAssignment.objects.visible_to(user)
    materials = Material.objects.visible_to(user).filter(year__in=years, requirement__assignments__unit_id=F("unit_id"))
    filters = {}
    if standard is not None:
        filters["requirement__standard"] = standard
    if units is not None:
        filters["unit__in"] = units
    if clause is not None:
        filters["requirement__clause"] = clause
    assignments, materials = assignments.filter(**filters), materials.filter(**filters)
    owed_rows = (
        assignments.values_list("requirement__clause_id", "unit_id", "requirement__years")
        .annotate(n=Count("id"))
        .order_by()
    )
    done_rows = (
        materials.values_list("requirement__clause_id", "unit_id", "year", "requirement__years")
        .annotate(
            s=Count("requirement_id", distinct=True, filter=~Q(status=MaterialStatus.RETURNED)),
            a=Count("requirement_id", distinct=True, filter=Q(status=MaterialStatus.APPROVED)),
        )
        .order_by()
    )
    return _assemble(years, owed_rows, done_rows, timezone.localdate().year)


def _clause_labels(clause_ids: set[int]) -> list[tuple[int, str]]:
    found = Clause.objects.filter(pk__in=clause_ids - {NO_CLAUSE}).order_by("standard_id", "sort_order", "id")
    labels = [(clause.pk, f"{clause.number} {clause.title}".strip()) for clause in found]
    if NO_CLAUSE in clause_ids:
        labels.append((NO_CLAUSE, NO_CLAUSE_LABEL))
    return labels


def unit_requirements(*, user, unit, year: int) -> list[dict]:
    """A unit's to-do list for a year: each assigned requirement that applies to the year, with its files."""
    assignments = (
        MaterialAssignment.objects.visible_to(user)
        .filter(unit=unit)
        .select_related("requirement__clause")
        .order_by("requirement__clause__sort_order", "requirement__sort_order")
    )
    files = defaultdict(list)
    for material in Material.objects.visible_to(user).filter(unit=unit, year=year).order_by("uploaded_at"):
        files[material.requirement_id].append(material)
    rows = []
    this_year = timezone.localdate().year
    for assignment in assignments:
        if not applies(assignment.requirement.years, year, this_year):
            continue
        materials = files.get(assignment.requirement_id, [])
        rows.append(
            {
                "requirement": assignment.requirement,
                "materials": materials,
                "approved": any(m.status == MaterialStatus.APPROVED for m in materials),
            }
        )
    return rows


def requirements_assigned(assignments):
    """Requirements owed through the given assignments, in the standard's order (for upload choices)."""
    return (
        MaterialRequirement.objects.filter(pk__in=assignments.values("requirement"))
        .select_related("clause")
        .order_by("standard_id", "sort_order", "id")
    )


def standard_by_id(pk: int) -> Standard | None:
    return Standard.objects.filter(pk=pk).first()
