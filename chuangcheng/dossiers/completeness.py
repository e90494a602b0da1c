"""Keeps the completeness summary tables in step with assignments and materials.

The matrix page reads two small pre-aggregated tables instead of grouping every material on every
view (300 units × 200 requirements × 3 years is ~130,000 files). Services call ``refresh_completeness``
in their own transaction for the units and requirements they touched; it recomputes those cells with
two GROUP BY queries and replaces them. ``rebuild_completeness`` (a command and a daily beat entry)
recomputes everything, e.g. after a requirement moved to another clause in the standards app.

A requirement's ``years`` (年限) limits the years it applies to: ``years = N`` means the N years ending
with the current year (this year and the N - 1 before; later years too), empty means every year
(``applies``). The summary keeps requirements with a limit apart, per limit, so which years count is
decided when the matrix is read and never goes stale when the calendar year turns. The counts are one
flat list of integers per row (see ``CompletenessSummary``): decoding it makes one container per row,
which keeps the 12,000-row read of the benchmark clear of the garbage collector.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, Q

from chuangcheng.audit.services import lock_chain
from chuangcheng.dossiers.models import (
    CompletenessSummary,
    Material,
    MaterialAssignment,
    MaterialStatus,
)
from chuangcheng.standards.models import MaterialRequirement

# Serialises refreshes on PostgreSQL so two uploads to the same cell cannot both write a stale count.
COMPLETENESS_LOCK = 7_210_901


def applies(span: int | None, year: int, this_year: int) -> bool:
    """Does a requirement kept for ``span`` years (None/0: every year) apply to ``year``?"""
    return not span or year > this_year - span


def _pairs_q(pairs: set[tuple[int, int | None]], prefix: str) -> Q:
    query = Q(pk__in=[])
    for standard_id, clause_id in pairs:
        clause = Q(**{f"{prefix}clause__isnull": True}) if clause_id is None else Q(**{f"{prefix}clause_id": clause_id})
        query |= Q(**{f"{prefix}standard_id": standard_id}) & clause
    return query


def refresh_completeness(
    *, unit_ids: Iterable[int] | None = None, requirement_ids: Iterable[int] | None = None
) -> None:
    """Recompute the summary cells of the given units × the clauses of the given requirements (None: all)."""
    lock_chain(COMPLETENESS_LOCK)
    owed = MaterialAssignment.objects.all()
    done = Material.objects.filter(requirement__assignments__unit_id=F("unit_id"))
    old = CompletenessSummary.objects.all()
    if unit_ids is not None:
        unit_ids = list(unit_ids)
        owed, done, old = (
            owed.filter(unit_id__in=unit_ids),
            done.filter(unit_id__in=unit_ids),
            old.filter(unit_id__in=unit_ids),
        )
    if requirement_ids is not None:
        pairs = set(
            MaterialRequirement.objects.filter(pk__in=list(requirement_ids)).values_list("standard_id", "clause_id")
        )
        owed, done = owed.filter(_pairs_q(pairs, "requirement__")), done.filter(_pairs_q(pairs, "requirement__"))
        old = old.filter(_pairs_q(pairs, ""))
    old.delete()
    key = ("requirement__standard_id", "requirement__clause_id", "unit_id")
    rows: dict[tuple, CompletenessSummary] = {}
    for standard_id, clause_id, unit_id, span, n in (
        owed.values_list(*key, "requirement__years").annotate(n=Count("id")).order_by()
    ):
        summary = rows.get((standard_id, clause_id, unit_id))
        if summary is None:
            summary = rows[(standard_id, clause_id, unit_id)] = CompletenessSummary(
                standard_id=standard_id, clause_id=clause_id, unit_id=unit_id, required=0, counts=[]
            )
        if span:
            summary.counts += [0, span, n, 0]
        else:
            summary.required += n
    progress = (
        done.values_list(*key, "year", "requirement__years")
        .annotate(
            submitted=Count("requirement_id", distinct=True, filter=~Q(status=MaterialStatus.RETURNED)),
            approved=Count("requirement_id", distinct=True, filter=Q(status=MaterialStatus.APPROVED)),
        )
        .order_by()
    )
    for standard_id, clause_id, unit_id, year, span, submitted, approved in progress:
        summary = rows.get((standard_id, clause_id, unit_id))
        if summary is not None and (submitted or approved):
            summary.counts += [year, span or 0, submitted, approved]
    CompletenessSummary.objects.bulk_create(rows.values(), batch_size=5000)


def rebuild_completeness() -> None:
    refresh_completeness()
