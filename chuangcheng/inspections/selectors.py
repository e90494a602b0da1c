"""Reads that need thought: draw inputs, round scores, and findings for other domains.

Other domains (assessments, readiness) use ``findings_for_period``, ``finding_rates`` and, for rounds scored
by observation, ``observation_rates``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from chuangcheng.inspections.models import (
    Finding,
    FindingResult,
    InspectionRound,
    Observation,
    RoundStatus,
    SiteVisit,
    VisitStatus,
)
from chuangcheng.inspections.scoring import FindingRow, RoundScore, VisitRow, score_round
from chuangcheng.places.models import Area, Site


def owner_ground(round_: InspectionRound):
    """The territory a round without areas covers: its campaign's unit, else the organising unit's
    jurisdiction; None (every site) when that is the root of the tree (a single-city installation)."""
    from chuangcheng.accounts.jurisdiction import jurisdiction_of

    unit = round_.campaign.unit if round_.campaign_id else jurisdiction_of(round_.unit)
    return None if unit.parent_id is None else unit


def area_subtree_ids(area_ids) -> set[int]:
    """The areas and all their descendants (one query per level, at most five)."""
    found = set(area_ids)
    frontier = set(area_ids)
    while frontier:
        frontier = set(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found


def candidate_sites(round_: InspectionRound, category_ids) -> dict[int, list[int]]:
    """Active sites of the given categories inside the round's areas (all sites when it has none)."""
    sites = Site.objects.filter(is_active=True, category_id__in=list(category_ids))
    area_ids = list(round_.areas.values_list("pk", flat=True))
    if area_ids:
        sites = sites.filter(area_id__in=area_subtree_ids(area_ids))
    else:
        ground = owner_ground(round_)
        if ground is not None:
            sites = sites.filter(unit__path__startswith=ground.path)
    by_category: dict[int, list[int]] = defaultdict(list)
    for site_id, category_id in sites.values_list("pk", "category_id").order_by("pk"):
        by_category[category_id].append(site_id)
    return dict(by_category)


def recently_inspected_site_ids(round_: InspectionRound, *, on: date | None = None) -> list[int]:
    """Sites visited in another round within ``exclusion_days`` before the round starts."""
    if not round_.exclusion_days:
        return []
    start = on or round_.period_start
    since = timezone.make_aware(datetime.combine(start - timedelta(days=round_.exclusion_days), time.min))
    return sorted(
        set(
            SiteVisit.objects.filter(status=VisitStatus.DONE, submitted_at__gte=since, site__isnull=False)
            .exclude(round=round_)
            .values_list("site_id", flat=True)
        )
    )


def visible_rounds(user):
    return InspectionRound.objects.visible_to(user)


def round_score(round_: InspectionRound) -> RoundScore:
    """Points lost per site, category, area and round (two queries)."""
    visits = [
        VisitRow(visit_id=v[0], site_id=v[1] or -v[0], category_id=v[2], area_id=v[3])
        for v in SiteVisit.objects.filter(round=round_, status=VisitStatus.DONE).values_list(
            "pk", "site_id", "category_id", "area_id"
        )
    ]
    findings = [
        FindingRow(
            visit_id=f[0],
            check_item_id=f[1],
            count=f[2],
            points=f[3],
            cap_per_site=f[4],
            is_negative_list=f[5],
            is_veto=f[6],
        )
        for f in Finding.objects.filter(
            visit__round=round_, visit__status=VisitStatus.DONE, result=FindingResult.DEDUCT
        ).values_list("visit_id", "check_item_id", "count", "points", "cap_per_site", "is_negative_list", "is_veto")
    ]
    return score_round(visits, findings)


def previous_round(round_: InspectionRound) -> InspectionRound | None:
    """The latest earlier round of the same kind with field work done, for comparison."""
    return (
        InspectionRound.objects.filter(
            kind=round_.kind,
            status__in=(RoundStatus.CLOSED, RoundStatus.PUBLISHED),
            period_start__lt=round_.period_start,
        )
        .exclude(pk=round_.pk)
        .order_by("-period_start", "-id")
        .first()
    )


def _countable_findings():
    """Findings other domains may count: not from a secret round that is still unpublished."""
    return Finding.objects.filter(
        Q(visit__round__is_secret=False) | Q(visit__round__published_at__isnull=False),
        visit__status=VisitStatus.DONE,
    )


def findings_for_period(start: date, end: date):
    """Deductions recorded from ``start`` to ``end`` (inclusive), with visit, site, round and check item loaded.

    Each row has ``visit.unit`` (territorial), ``visit.department`` (sectoral), ``check_item``,
    ``points`` (NULL = 待核实), ``count``, ``is_negative_list``, ``case_id``.
    """
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return (
        _countable_findings()
        .filter(result=FindingResult.DEDUCT, visit__submitted_at__gte=since, visit__submitted_at__lt=until)
        .select_related("visit__round", "visit__site", "visit__unit", "visit__department", "check_item")
        .order_by("visit__submitted_at", "pk")
    )


@dataclass(frozen=True)
class FindingRate:
    category_id: int
    check_item_id: int
    visits: int  # done visits of sites of this category
    findings: int  # of which the item was found wanting
    total_count: int  # sum of counts (处数)

    @property
    def rate(self) -> float:
        """Findings per visit for this check item (0..1)."""
        return self.findings / self.visits if self.visits else 0.0

    @property
    def mean_count(self) -> float:
        return self.total_count / self.findings if self.findings else 0.0


def finding_rates(category_ids, *, since: date | None = None) -> dict[int, dict[int, FindingRate]]:
    """Historical finding rates: ``{category_id: {check_item_id: FindingRate}}`` (two queries).

    Items never found wanting are absent (rate 0); ``visits_per_category`` is in every rate.
    """
    visits = SiteVisit.objects.filter(status=VisitStatus.DONE, category_id__in=list(category_ids)).filter(
        Q(round__is_secret=False) | Q(round__published_at__isnull=False)
    )
    findings = _countable_findings().filter(result=FindingResult.DEDUCT, visit__category_id__in=list(category_ids))
    if since is not None:
        moment = timezone.make_aware(datetime.combine(since, time.min))
        visits = visits.filter(submitted_at__gte=moment)
        findings = findings.filter(visit__submitted_at__gte=moment)
    per_category = dict(visits.values("category_id").annotate(n=Count("pk")).values_list("category_id", "n"))
    rates: dict[int, dict[int, FindingRate]] = defaultdict(dict)
    rows = (
        findings.values("visit__category_id", "check_item_id")
        .annotate(n=Count("pk"), total=Sum("count"))
        .values_list("visit__category_id", "check_item_id", "n", "total")
    )
    for category_id, item_id, n, total in rows:
        rates[category_id][item_id] = FindingRate(category_id, item_id, per_category.get(category_id, 0), n, total or 0)
    return dict(rates)


@dataclass
class HeldRoundResult:
    """The latest round with field work in a leader's territory: its totals there and the worst sites."""

    round: InspectionRound
    total: object
    sites: list  # (site name, Tally), most points lost first


def latest_round_results(user, *, unit_paths=(), area_ids=(), worst: int = 10) -> HeldRoundResult | None:
    """Results of the latest visible round with done visits in the held units/areas (four queries).

    ``area_ids`` should already include descendants; secret unpublished rounds stay hidden (``visible_to``).
    """
    held = Q(area_id__in=list(area_ids)) if area_ids else Q(pk__in=[])
    for path in unit_paths:
        held |= Q(unit__path__startswith=path)
    visits = SiteVisit.objects.visible_to(user).filter(held, status=VisitStatus.DONE)
    round_id = visits.order_by("-round__period_end", "-round_id").values_list("round_id", flat=True).first()
    if round_id is None:
        return None
    rows = list(visits.filter(round_id=round_id).values_list("pk", "site_id", "category_id", "area_id", "site__name"))
    names = {row[1] or -row[0]: row[4] or "复查" for row in rows}
    findings = Finding.objects.filter(visit_id__in=[row[0] for row in rows], result=FindingResult.DEDUCT).values_list(
        "visit_id", "check_item_id", "count", "points", "cap_per_site", "is_negative_list", "is_veto"
    )
    score = score_round(
        [VisitRow(visit_id=r[0], site_id=r[1] or -r[0], category_id=r[2], area_id=r[3]) for r in rows],
        [FindingRow(*f) for f in findings],
    )
    worst_sites = sorted(score.by_site.items(), key=lambda pair: (-pair[1].lost, -pair[1].findings, pair[0]))
    return HeldRoundResult(
        round=InspectionRound.objects.get(pk=round_id),
        total=score.total,
        sites=[(names.get(site_id, ""), tally) for site_id, tally in worst_sites[:worst] if tally.findings],
    )


def _countable_observations():
    """Observations other domains may count: done visits, not of a secret round that is still unpublished."""
    return Observation.objects.filter(
        Q(visit__round__is_secret=False) | Q(visit__round__published_at__isnull=False),
        visit__status=VisitStatus.DONE,
    )


def observation_rates(*, standard, rounds=None) -> dict[int, tuple[int, int]]:
    """Per 测评标准 of ``standard``: ``{check_item_id: (passed, observed)}`` (one query).

    ``rounds`` (rounds or ids) limits the count to those rounds; None counts every round. Only submitted
    visits count, 不适用 observations are left out, and a secret round still unpublished never counts.
    Items never observed are absent.
    """
    rows = _countable_observations().filter(check_item__standard=standard, passed__isnull=False)
    if rounds is not None:
        rows = rows.filter(visit__round_id__in=[getattr(r, "pk", r) for r in rounds])
    counted = (
        rows.values("check_item_id")
        .annotate(p=Count("pk", filter=Q(passed=True)), n=Count("pk"))
        .values_list("check_item_id", "p", "n")
    )
    return {item_id: (passed, observed) for item_id, passed, observed in counted}
