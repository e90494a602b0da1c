"""Forecast of an observation-scored evaluation (创文 实地考察): pure numpy, never touches the database.

Each 测评标准 scored by observation earns 分值 × 达标率. Its true 达标率 is unknown; what is known is how many of
the recent 模拟测评 rounds' observations of it passed. With a Jeffreys prior Beta(½, ½) the 达标率 after
``passed`` of ``observed`` is Beta(passed + ½, observed − passed + ½):

* the expected 达标率 per item is that posterior's mean, (passed + ½) / (observed + 1);
* the expected score is Σ 分值 × expected 达标率 over the items with observations and a known 分值;
* its interval comes from ``runs`` joint draws of every item's 达标率 from its posterior (independent items,
  seeded, so a run is reproducible): the 5th and 95th percentiles of Σ 分值 × drawn 达标率; each item's own
  interval is the 5th–95th percentile of its draws.

The interval is the uncertainty about the true 达标率 given the rounds' observations; it does not add the
evaluators' own sampling luck on the day. Nothing is invented: items whose 分值 is 待核实 (None) score nothing
and are counted apart, and items never observed get no 达标率: their 分值 is reported as a range (0 to full)
on top of the observed part instead of being guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

JEFFREYS = (0.5, 0.5)
CHUNK = 10_000  # draws per block: keeps memory at CHUNK × items floats


@dataclass(frozen=True)
class ObservedItem:
    id: int
    full_points: float | None  # 分值; None = 待核实
    passed: int
    observed: int

    def __post_init__(self):
        if self.observed < 0 or self.passed < 0 or self.passed > self.observed:
            raise ValueError(f"item {self.id}: passed must lie in 0..observed")


@dataclass
class ItemForecast:
    id: int
    full_points: float | None
    passed: int
    observed: int
    rate: float | None  # observed 达标率 (passed / observed)
    expected_rate: float | None  # posterior mean
    low: float | None  # 5th percentile of the posterior draws
    high: float | None  # 95th percentile
    expected_points: float | None  # 分值 × expected 达标率
    expected_loss: float | None  # 分值 × (1 − expected 达标率): what the item is expected to cost


@dataclass
class ObserveResult:
    runs: int
    seed: int
    items: list[ItemForecast]
    scores: np.ndarray  # (runs,) Σ 分值 × drawn 达标率 over observed items with a known 分值
    observed_full: float  # Σ 分值 of those items
    unobserved_full: float  # Σ 分值 of items with a known 分值 and no observation
    unknown_items: int  # items whose 分值 is 待核实
    unknown_observed: int  # of which observed (their 达标率 is shown, their score is not counted)
    prior: tuple[float, float] = JEFFREYS
    pass_rate: float | None = None
    passed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def expected(self) -> float:
        return float(sum(row.expected_points for row in self.items if row.expected_points is not None))

    @property
    def expected_rate(self) -> float | None:
        """Expected 得分率 of the observed part (None without observed items)."""
        return self.expected / self.observed_full if self.observed_full else None

    @property
    def p_pass(self) -> float:
        return float(self.passed.mean()) if len(self.passed) else 0.0

    def summary(self, bins: int = 20) -> dict:
        scores = self.scores if len(self.scores) else np.zeros(1)
        low, high = float(scores.min()), float(scores.max())
        if high - low < 1e-9:
            low, high = low - 0.5, high + 0.5
        counts, edges = np.histogram(scores, bins=bins, range=(low, high))
        p05, p95 = float(np.percentile(scores, 5)), float(np.percentile(scores, 95))
        full = self.observed_full
        return {
            "mean": self.expected,
            "p05": p05,
            "p50": float(np.percentile(scores, 50)),
            "p95": p95,
            "p_pass": self.p_pass,
            "p_negative": 0.0,
            "rate": self.expected_rate,
            "rate_p05": p05 / full if full else None,
            "rate_p95": p95 / full if full else None,
            "observed_full": full,
            "unobserved_full": self.unobserved_full,
            # all items with a known 分值: the unobserved ones scored 0 (low) or full (high), never guessed
            "total_low": p05,
            "total_high": p95 + self.unobserved_full,
            "known_full": full + self.unobserved_full,
            "histogram": {"edges": [round(float(e), 3) for e in edges], "counts": counts.tolist()},
        }


def forecast_observed(
    items: list[ObservedItem],
    *,
    runs: int = 10_000,
    seed: int = 0,
    prior: tuple[float, float] = JEFFREYS,
    pass_rate: float | None = None,
) -> ObserveResult:
    """Expected score and interval from the observations; same inputs and seed give the same result."""
    alpha, beta = prior
    scored = [item for item in items if item.observed > 0 and item.full_points is not None]
    points = np.array([item.full_points for item in scored], dtype=float)
    rng = np.random.default_rng(seed)
    scores = np.zeros(runs)
    item_low, item_high = {}, {}
    observed_ids = [item.id for item in items if item.observed > 0]
    if observed_ids:
        # every observed item (待核实 分值 too) gets its 达标率 interval; only those with 分值 score
        all_a = np.array([item.passed + alpha for item in items if item.observed > 0], dtype=float)
        all_b = np.array([item.observed - item.passed + beta for item in items if item.observed > 0], dtype=float)
        index_of = {item_id: n for n, item_id in enumerate(observed_ids)}
        scored_index = np.array([index_of[item.id] for item in scored], dtype=np.int64)
        for start in range(0, runs, CHUNK):
            size = min(CHUNK, runs - start)
            draws = rng.beta(all_a[None, :], all_b[None, :], size=(size, len(observed_ids)))
            if start == 0:
                low, high = np.percentile(draws, [5, 95], axis=0)
                item_low = dict(zip(observed_ids, low.tolist(), strict=True))
                item_high = dict(zip(observed_ids, high.tolist(), strict=True))
            if len(scored):
                scores[start : start + size] = draws[:, scored_index] @ points
    rows = []
    for item in items:
        if item.observed:
            expected_rate = (item.passed + alpha) / (item.observed + alpha + beta)
            known = item.full_points is not None
            rows.append(
                ItemForecast(
                    id=item.id,
                    full_points=item.full_points,
                    passed=item.passed,
                    observed=item.observed,
                    rate=item.passed / item.observed,
                    expected_rate=expected_rate,
                    low=item_low[item.id],
                    high=item_high[item.id],
                    expected_points=item.full_points * expected_rate if known else None,
                    expected_loss=item.full_points * (1 - expected_rate) if known else None,
                )
            )
        else:
            rows.append(ItemForecast(item.id, item.full_points, 0, 0, None, None, None, None, None, None))
    observed_full = float(points.sum())
    result = ObserveResult(
        runs=runs,
        seed=seed,
        items=rows,
        scores=scores,
        observed_full=observed_full,
        unobserved_full=float(sum(i.full_points for i in items if i.observed == 0 and i.full_points is not None)),
        unknown_items=sum(1 for item in items if item.full_points is None),
        unknown_observed=sum(1 for item in items if item.full_points is None and item.observed > 0),
        prior=prior,
        pass_rate=pass_rate,
    )
    if pass_rate is not None and observed_full:
        result.passed = scores / observed_full >= pass_rate - 1e-12
    else:
        result.passed = np.zeros(runs, dtype=bool)
    return result
