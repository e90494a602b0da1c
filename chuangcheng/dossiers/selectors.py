"""Reads over the archive: the completeness matrix (clause × unit × year) from two aggregate queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone

from chuangcheng.dossiers.models import Material, MaterialAssignment, MaterialStatus
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


def percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def default_years(count: int = 3) -> list[int]:
    """The civilized-city review reads three years of materials: this year and the two before."""
    this_year = timezone.localdate().year
    return list(range(this_year - count + 1, this_year + 1))


@dataclass
class CompletenessMatrix:
    """``cells[(clause_id, unit_id, year)]``: requirements owed, submitted (not returned) and approved.

    ``required`` is the number of requirements of the clause assigned to the unit (owed every year);
    ``approved`` counts requirements with at least one approved file for that unit and year.
    """

    years: list[int]
    clauses: list[tuple[int, str]]
    units: list[Unit]
    cells: dict[tuple[int, int, int], Cell] = field(default_factory=dict)

    def cell(self, clause_id: int, unit_id: int, year: int) -> Cell | None:
        return self.cells.get((clause_id, unit_id, year))

    def _sum(self, keep) -> tuple[int, int, int]:
        required = submitted = approved = 0
        for key, cell in self.cells.items():
            if keep(key):
                required += cell.required
                submitted += cell.submitted
                approved += cell.approved
        return required, submitted, approved

    def unit_total(self, unit_id: int, year: int | None = None) -> Cell:
        return Cell(*self._sum(lambda k: k[1] == unit_id and (year is None or k[2] == year)))

    def clause_total(self, clause_id: int, year: int | None = None) -> Cell:
        return Cell(*self._sum(lambda k: k[0] == clause_id and (year is None or k[2] == year)))

    def year_total(self, year: int) -> Cell:
        return Cell(*self._sum(lambda k: k[2] == year))

    @property
    def overall(self) -> Cell:
        return Cell(*self._sum(lambda k: True))

    def rows(self, year: int | None = None) -> list[dict]:
        """Table rows for pages: one per clause, a cell per unit (summed over years unless ``year``)."""
        years = [year] if year else self.years
        rows = []
        for clause_id, label in self.clauses:
            cells = []
            for unit in self.units:
                parts = [self.cells.get((clause_id, unit.pk, y)) for y in years]
                parts = [p for p in parts if p]
                cells.append(
                    Cell(
                        sum(p.required for p in parts), sum(p.submitted for p in parts), sum(p.approved for p in parts)
                    )
                    if parts
                    else None
                )
            rows.append(
                {"clause_id": clause_id, "label": label, "cells": cells, "total": self.clause_total(clause_id, year)}
            )
        return rows

    def as_list(self) -> list[dict]:
        return [
            {
                "clause": clause_id or None,
                "unit": unit_id,
                "year": year,
                "required": cell.required,
                "submitted": cell.submitted,
                "approved": cell.approved,
                "percent": cell.percent,
            }
            for (clause_id, unit_id, year), cell in sorted(self.cells.items())
        ]


def completeness_matrix(
    *, user, years: list[int] | None = None, standard=None, units=None, clause=None
) -> CompletenessMatrix:
    """The matrix over the units the user can see: two GROUP BY queries plus two small lookups."""
    years = sorted(set(years or default_years()))
    assignments = MaterialAssignment.objects.visible_to(user)
    materials = Material.objects.visible_to(user).filter(year__in=years, requirement__assignments__unit_id=F("unit_id"))
    if standard is not None:
        assignments = assignments.filter(requirement__standard=standard)
        materials = materials.filter(requirement__standard=standard)
    if units is not None:
        assignments = assignments.filter(unit__in=units)
        materials = materials.filter(unit__in=units)
    if clause is not None:
        assignments = assignments.filter(requirement__clause=clause)
        materials = materials.filter(requirement__clause=clause)
    owed = assignments.values("requirement__clause_id", "unit_id").annotate(n=Count("id")).order_by()
    done = (
        materials.values("requirement__clause_id", "unit_id", "year")
        .annotate(
            submitted=Count("requirement_id", distinct=True, filter=~Q(status=MaterialStatus.RETURNED)),
            approved=Count("requirement_id", distinct=True, filter=Q(status=MaterialStatus.APPROVED)),
        )
        .order_by()
    )
    progress = {
        (row["requirement__clause_id"] or NO_CLAUSE, row["unit_id"], row["year"]): (row["submitted"], row["approved"])
        for row in done
    }
    cells: dict[tuple[int, int, int], Cell] = {}
    clause_ids: set[int] = set()
    unit_ids: set[int] = set()
    for row in owed:
        clause_id, unit_id = row["requirement__clause_id"] or NO_CLAUSE, row["unit_id"]
        clause_ids.add(clause_id)
        unit_ids.add(unit_id)
        for year in years:
            submitted, approved = progress.get((clause_id, unit_id, year), (0, 0))
            cells[(clause_id, unit_id, year)] = Cell(row["n"], min(submitted, row["n"]), min(approved, row["n"]))
    return CompletenessMatrix(
        years=years,
        clauses=_clause_labels(clause_ids),
        units=list(Unit.objects.filter(pk__in=unit_ids).order_by("path")),
        cells=cells,
    )


def _clause_labels(clause_ids: set[int]) -> list[tuple[int, str]]:
    found = Clause.objects.filter(pk__in=clause_ids - {NO_CLAUSE}).order_by("standard_id", "sort_order", "id")
    labels = [(clause.pk, f"{clause.number} {clause.title}".strip()) for clause in found]
    if NO_CLAUSE in clause_ids:
        labels.append((NO_CLAUSE, NO_CLAUSE_LABEL))
    return labels


def unit_requirements(*, user, unit, year: int) -> list[dict]:
    """A unit's to-do list for a year: each assigned requirement with its files' statuses."""
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
    for assignment in assignments:
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
