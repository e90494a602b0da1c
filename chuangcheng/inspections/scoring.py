"""Points lost in a round, by site, category, area and round (pure: plain data in, plain data out).

The rubric, applied in this order:

1. A finding on a check item with known points loses ``points × count``.
2. Per site and check item the loss is capped at the item's ``cap_per_site`` (when set).
3. Negative-list items (负面清单) and veto items (一票否决) are never capped and are counted as
   ``negative_hits`` / ``veto_hits`` at every level; an area with a hit ranks below every area without one.
4. A check item whose points are unknown (NULL, 待核实) loses no points that we would have to invent:
   the finding is counted in ``unknown_findings`` (rows) and ``unknown_count`` (sum of counts), and
   reports say so.
5. Every visited site counts in the denominators, with or without findings; areas are ranked by points
   lost per visited site (fewer is better), then by unknown findings per site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")


@dataclass(frozen=True)
class VisitRow:
    visit_id: int
    site_id: int
    category_id: Hashable
    area_id: Hashable


@dataclass(frozen=True)
class FindingRow:
    visit_id: int
    check_item_id: int
    count: int = 1
    points: Decimal | None = None
    cap_per_site: Decimal | None = None
    is_negative_list: bool = False
    is_veto: bool = False


@dataclass
class Tally:
    """Totals for one site, category, area or the whole round."""

    visits: int = 0
    findings: int = 0
    lost: Decimal = ZERO
    unknown_findings: int = 0
    unknown_count: int = 0
    negative_hits: int = 0
    veto_hits: int = 0
    capped: Decimal = ZERO

    @property
    def lost_per_visit(self) -> Decimal:
        if not self.visits:
            return ZERO
        return (self.lost / self.visits).quantize(Decimal("0.01"))

    @property
    def has_red_line(self) -> bool:
        return bool(self.negative_hits or self.veto_hits)

    def add(self, other: Tally) -> None:
        self.visits += other.visits
        self.findings += other.findings
        self.lost += other.lost
        self.unknown_findings += other.unknown_findings
        self.unknown_count += other.unknown_count
        self.negative_hits += other.negative_hits
        self.veto_hits += other.veto_hits
        self.capped += other.capped

    def as_dict(self) -> dict:
        return {
            "visits": self.visits,
            "findings": self.findings,
            "lost": str(self.lost),
            "lost_per_visit": str(self.lost_per_visit),
            "unknown_findings": self.unknown_findings,
            "unknown_count": self.unknown_count,
            "negative_hits": self.negative_hits,
            "veto_hits": self.veto_hits,
            "capped": str(self.capped),
        }


@dataclass
class RoundScore:
    total: Tally = field(default_factory=Tally)
    by_site: dict[int, Tally] = field(default_factory=dict)
    by_category: dict[Hashable, Tally] = field(default_factory=dict)
    by_area: dict[Hashable, Tally] = field(default_factory=dict)

    def ranking(self) -> list[tuple[int, Hashable, Tally]]:
        """Areas best first as ``(rank, area_id, tally)``; equal keys share a rank."""
        return rank(self.by_area)


def site_tally(findings: Iterable[FindingRow]) -> Tally:
    """Apply the rubric to the findings of one site visit."""
    tally = Tally(visits=1)
    raw_by_item: dict[int, Decimal] = defaultdict(lambda: ZERO)
    caps: dict[int, Decimal] = {}
    red_lines: set[int] = set()
    for finding in findings:
        if finding.count <= 0:
            continue
        tally.findings += 1
        if finding.is_negative_list:
            tally.negative_hits += 1
        if finding.is_veto:
            tally.veto_hits += 1
        if finding.points is None:
            tally.unknown_findings += 1
            tally.unknown_count += finding.count
            continue
        raw_by_item[finding.check_item_id] += Decimal(finding.points) * finding.count
        if finding.is_negative_list or finding.is_veto:
            red_lines.add(finding.check_item_id)
        if finding.cap_per_site is not None:
            known = caps.get(finding.check_item_id)
            caps[finding.check_item_id] = (
                min(known, finding.cap_per_site) if known is not None else finding.cap_per_site
            )
    for item_id, raw in raw_by_item.items():
        cap = None if item_id in red_lines else caps.get(item_id)
        lost = min(raw, Decimal(cap)) if cap is not None else raw
        tally.lost += lost
        tally.capped += raw - lost
    return tally


def score_round(visits: Iterable[VisitRow], findings: Iterable[FindingRow]) -> RoundScore:
    """Totals per site, category, area and round."""
    by_visit: dict[int, list[FindingRow]] = defaultdict(list)
    for finding in findings:
        by_visit[finding.visit_id].append(finding)
    score = RoundScore()
    for visit in visits:
        tally = site_tally(by_visit.get(visit.visit_id, ()))
        site = score.by_site.setdefault(visit.site_id, Tally())
        site.add(tally)
        score.by_category.setdefault(visit.category_id, Tally()).add(tally)
        score.by_area.setdefault(visit.area_id, Tally()).add(tally)
        score.total.add(tally)
    return score


def _rank_key(tally: Tally) -> tuple:
    unknown_rate = (Decimal(tally.unknown_findings) / tally.visits) if tally.visits else ZERO
    return (tally.has_red_line, tally.lost_per_visit, unknown_rate)


def rank(tallies: dict[Hashable, Tally]) -> list[tuple[int, Hashable, Tally]]:
    ordered = sorted(tallies.items(), key=lambda pair: (_rank_key(pair[1]), repr(pair[0])))
    ranked = []
    previous_key, previous_rank = None, 0
    for position, (key, tally) in enumerate(ordered, start=1):
        current = _rank_key(tally)
        rank_no = previous_rank if current == previous_key else position
        ranked.append((rank_no, key, tally))
        previous_key, previous_rank = current, rank_no
    return ranked


@dataclass(frozen=True)
class Change:
    key: Hashable
    current: Decimal
    previous: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        return None if self.previous is None else self.current - self.previous

    @property
    def trend(self) -> str:
        """改善 / 退步 / 持平 / 新增 in points lost per visited site."""
        if self.previous is None:
            return "新增"
        if self.current < self.previous:
            return "改善"
        if self.current > self.previous:
            return "退步"
        return "持平"


def compare(current: dict[Hashable, Tally], previous: dict[Hashable, Tally]) -> list[Change]:
    """Points lost per visited site now and in an earlier round, for each key of ``current``."""
    return [
        Change(key, tally.lost_per_visit, previous[key].lost_per_visit if key in previous else None)
        for key, tally in current.items()
    ]
