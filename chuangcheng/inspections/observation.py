"""得分率 of a 模拟测评 round scored by observation (pure: plain data in, plain data out).

The rule, applied to every scope (the round, a point, a category, a district, a 测评内容, a 测评项目):

1. For each 测评标准 observed in the scope, 达标率 = passed / observed, over the scope's observations
   (不适用 observations are not observed); its score is 分值 × 达标率.
2. 得分率 = (Σ score − 负面清单 deductions) / Σ 分值, both sums over the standards observed in the scope
   whose 分值 is known. A standard whose 分值 is NULL (待核实) is observed and counted in ``unknown_items``
   but scores nothing and weighs nothing: no 分值 is ever invented.
3. 负面清单 standards are not part of the rate. Each point (visit) where one failed at least once is one
   hit: a veto standard (``is_veto``, 取消资格) counts in ``veto_hits`` and disqualifies the scope; any other
   deducts its ``points`` once per hit (NULL points: counted in ``unknown_deductions``, nothing deducted).
   The result is not floored at zero.
4. A scope with no 分值-known standard observed has no 得分率 (None), shown as “—”.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")
RATE_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class ItemInfo:
    item_id: int
    full_points: Decimal | None = None
    clause: Hashable = None  # 测评内容 key (clause number: comparable across versions of a standard)
    section: Hashable = None  # 测评项目 key
    is_negative_list: bool = False
    is_veto: bool = False
    points: Decimal | None = None  # 负面清单 deduction per hit


@dataclass(frozen=True)
class PointRow:
    visit_id: int
    point: Hashable  # the site (comparable across rounds)
    category: Hashable = None
    district: Hashable = None


@dataclass(frozen=True)
class GroupRow:
    """The observations of one 测评标准 at one visit: how many 达标 out of how many observed."""

    visit_id: int
    item_id: int
    passed: int
    observed: int


@dataclass
class Tally:
    score: Decimal = ZERO
    full: Decimal = ZERO
    items: int = 0  # 测评标准 scored (分值 known, observed)
    unknown_items: int = 0  # observed, 分值 待核实
    observed: int = 0
    passed: int = 0
    deduction: Decimal = ZERO
    unknown_deductions: int = 0
    veto_hits: int = 0
    negative_hits: int = 0

    @property
    def rate(self) -> Decimal | None:
        """得分率 (0..1, four places), None when nothing with a known 分值 was observed."""
        if not self.full:
            return None
        return ((self.score - self.deduction) / self.full).quantize(RATE_PLACES)

    @property
    def pass_rate(self) -> Decimal | None:
        return (Decimal(self.passed) / self.observed).quantize(RATE_PLACES) if self.observed else None

    @property
    def disqualified(self) -> bool:
        return self.veto_hits > 0

    def add_item(self, item: ItemInfo, passed: int, observed: int) -> None:
        self.observed += observed
        self.passed += passed
        if not observed:
            return
        if item.full_points is None:
            self.unknown_items += 1
            return
        self.items += 1
        self.full += item.full_points
        self.score += item.full_points * passed / observed

    def add_hit(self, item: ItemInfo) -> None:
        self.negative_hits += 1
        if item.is_veto:
            self.veto_hits += 1
        elif item.points is None:
            self.unknown_deductions += 1
        else:
            self.deduction += item.points

    def as_dict(self) -> dict:
        rate = self.rate
        return {
            "rate": None if rate is None else str(rate),
            "score": str(self.score.quantize(Decimal("0.01"))),
            "full": str(self.full),
            "items": self.items,
            "unknown_items": self.unknown_items,
            "observed": self.observed,
            "passed": self.passed,
            "deduction": str(self.deduction),
            "unknown_deductions": self.unknown_deductions,
            "negative_hits": self.negative_hits,
            "veto_hits": self.veto_hits,
            "disqualified": self.disqualified,
        }


@dataclass
class EvalScore:
    total: Tally = field(default_factory=Tally)
    by_point: dict[Hashable, Tally] = field(default_factory=dict)
    by_category: dict[Hashable, Tally] = field(default_factory=dict)
    by_district: dict[Hashable, Tally] = field(default_factory=dict)
    by_clause: dict[Hashable, Tally] = field(default_factory=dict)
    by_section: dict[Hashable, Tally] = field(default_factory=dict)
    item_counts: dict[int, tuple[int, int]] = field(default_factory=dict)  # item → (passed, observed)


VISIT_DIMENSIONS = (("by_point", "point"), ("by_category", "category"), ("by_district", "district"))


def score_observations(points: Iterable[PointRow], items: Iterable[ItemInfo], groups: Iterable[GroupRow]) -> EvalScore:
    """得分率 per point, category, district, 测评内容, 测评项目 and the round.

    Every point counts (an empty tally when nothing was observed there); groups of unknown visits or
    items are ignored.
    """
    visits = {p.visit_id: (p.point, p.category, p.district) for p in points}
    info = {i.item_id: i for i in items}
    result = EvalScore()
    tables = [getattr(result, name) for name, _ in VISIT_DIMENSIONS]
    sums: list[dict] = [{}, {}, {}]  # per visit dimension: (key, item) → [passed, observed]
    per_item: dict[int, list[int]] = {}
    targets = [*sums, per_item]
    for keys in visits.values():
        for table, key in zip(tables, keys, strict=True):
            if key not in table:
                table[key] = Tally()
    for group in groups:
        keys, item = visits.get(group.visit_id), info.get(group.item_id)
        if keys is None or item is None:
            continue
        if item.is_negative_list:
            if group.observed > group.passed:
                for table, key in zip(tables, keys, strict=True):
                    table[key].add_hit(item)
                result.by_clause.setdefault(item.clause, Tally()).add_hit(item)
                result.by_section.setdefault(item.section, Tally()).add_hit(item)
                result.total.add_hit(item)
            continue
        passed, observed, item_id = group.passed, group.observed, group.item_id
        for counts, pair in zip(
            targets, ((keys[0], item_id), (keys[1], item_id), (keys[2], item_id), item_id), strict=True
        ):
            known = counts.get(pair)
            if known is None:
                counts[pair] = [passed, observed]
            else:
                known[0] += passed
                known[1] += observed
    for table, counted in zip(tables, sums, strict=True):
        for (key, item_id), (passed, observed) in counted.items():
            table[key].add_item(info[item_id], passed, observed)
    for item_id, (passed, observed) in per_item.items():
        item = info[item_id]
        result.by_clause.setdefault(item.clause, Tally()).add_item(item, passed, observed)
        result.by_section.setdefault(item.section, Tally()).add_item(item, passed, observed)
        result.total.add_item(item, passed, observed)
        result.item_counts[item_id] = (passed, observed)
    return result


def rate_delta(current: Tally, previous: Tally | None) -> Decimal | None:
    """Change of 得分率 from ``previous`` (None when either has no rate)."""
    if previous is None or current.rate is None or previous.rate is None:
        return None
    return current.rate - previous.rate


def percent(rate: Decimal | None) -> str:
    """0.8512 → "85.12%"; None → "—"."""
    return "—" if rate is None else f"{rate * 100:.2f}%"


def delta_text(delta: Decimal | None) -> str:
    """A change of 得分率 in percentage points: "+1.20", "−0.35", "—"."""
    if delta is None:
        return "—"
    return f"{delta * 100:+.2f}".replace("-", "−")
