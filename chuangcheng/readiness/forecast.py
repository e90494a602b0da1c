"""Monte-Carlo forecast of an unannounced evaluation (暗访/测评). Pure numpy; never touches the database.

The model, per run (one imagined visit of the evaluators):

* For each site category the evaluators draw ``sample_size`` sites uniformly without replacement from
  the category's ``n_sites`` active sites (all of them when there are fewer).
* At each drawn site the problems present are its open problems (open cases, per check item) plus new
  ones: for every check item of the category a new problem appears with the category × item finding
  rate (smoothed, see ``smoothed_rates``).
* A site loses ``min(count × points, cap_per_site)`` per check item. A problem on a negative-list item
  fails the run whatever the score.
* The city score is ``full_score − (total deductions / number of drawn sites)``: the average drawn
  site's score on a ``full_score`` scale, floored at 0. A run passes when the score reaches
  ``pass_line`` and no negative-list problem was found.

Unknown points (待核实, ``nan``) are never invented: with ``unknown_points=None`` those items deduct
nothing and the expected number of such problems is reported separately; with a number, that number is
used as an assumed (示例) value and the caller must label the result so.

Speed: sites without open problems are exchangeable, so the number of drawn "problem sites" is a
hypergeometric draw and the clean sites' new problems are binomial counts per item; only drawn problem
sites are simulated item by item. Every random draw has a shape that does not depend on the open
counts, and each category has its own stream spawned from the seed, so re-running with fewer open
problems and the same seed uses common random numbers: each run's score can only go up (what-if).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

DEFAULT_PRIOR = (0.5, 49.5)  # Beta(α, β): prior mean 1 %, worth 50 site visits of history


def smoothed_rates(findings, visits, *, alpha: float = DEFAULT_PRIOR[0], beta: float = DEFAULT_PRIOR[1]):
    """Posterior mean of a Beta(α, β) prior after ``findings`` hits in ``visits`` visits.

    With no history the rate is the prior mean α / (α + β), never zero unless α is 0.
    """
    findings = np.asarray(findings, dtype=float)
    visits = np.asarray(visits, dtype=float)
    findings = np.minimum(findings, visits)
    denominator = visits + alpha + beta
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(denominator > 0, (findings + alpha) / np.where(denominator > 0, denominator, 1), 0.0)
    return np.clip(rate, 0.0, 1.0)


@dataclass
class CategoryInput:
    """One site category: its sites, the evaluators' sample, its check items and open problems.

    Open problems are given sparsely as (site, item, count) triples. A triple may carry 0 (a closed
    problem in a what-if): the structure then stays as in the baseline, so the random streams match.
    """

    code: str
    n_sites: int
    sample_size: int
    item_ids: np.ndarray  # (J,) check item ids applicable to the category
    rates: np.ndarray  # (J,) probability of a new problem per drawn site and item
    open_site_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # (P,)
    open_item_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # (P,)
    open_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # (P,)

    def __post_init__(self):
        self.item_ids = np.asarray(self.item_ids, dtype=np.int64)
        self.rates = np.asarray(self.rates, dtype=float)
        self.open_site_ids = np.asarray(self.open_site_ids, dtype=np.int64)
        self.open_item_ids = np.asarray(self.open_item_ids, dtype=np.int64)
        self.open_counts = np.asarray(self.open_counts, dtype=np.int64)
        if not (len(self.open_site_ids) == len(self.open_item_ids) == len(self.open_counts)):
            raise ValueError(f"{self.code}: open problem arrays differ in length")
        if len(self.item_ids) != len(self.rates):
            raise ValueError(f"{self.code}: one rate per check item")
        pairs = np.stack([self.open_site_ids, self.open_item_ids], axis=1).reshape(-1, 2)
        unique, inverse = np.unique(pairs, axis=0, return_inverse=True)
        if len(unique) != len(pairs):  # one triple per (site, item): sum duplicates
            self.open_site_ids, self.open_item_ids = unique[:, 0], unique[:, 1]
            self.open_counts = np.bincount(inverse.ravel(), weights=self.open_counts, minlength=len(unique)).astype(
                np.int64
            )

    @property
    def problem_site_ids(self) -> np.ndarray:
        return np.unique(self.open_site_ids)


@dataclass
class ItemRules:
    """Rubric facts per check item id: points (None/nan = 待核实), cap per site (None = none), negative list."""

    points: dict[int, float | None]
    caps: dict[int, float | None] = field(default_factory=dict)
    negative: frozenset[int] = frozenset()

    def arrays(self, item_ids: np.ndarray, unknown_points: float | None):
        points = np.array([_nan(self.points.get(int(i))) for i in item_ids], dtype=float)
        unknown = np.isnan(points)
        points = np.where(unknown, 0.0 if unknown_points is None else float(unknown_points), points)
        caps = np.array([_nan(self.caps.get(int(i))) for i in item_ids], dtype=float)
        caps = np.where(np.isnan(caps), np.inf, caps)
        negative = np.array([int(i) in self.negative for i in item_ids], dtype=bool)
        return points, caps, negative, unknown


def _nan(value) -> float:
    return float("nan") if value is None else float(value)


@dataclass
class ForecastResult:
    runs: int
    seed: int
    drawn_sites: int
    scores: np.ndarray  # (R,)
    passed: np.ndarray  # (R,) bool
    negative_failed: np.ndarray  # (R,) bool
    item_loss: dict[int, float]  # expected score points lost per check item (exact, not sampled)
    category_loss: dict[str, float]
    site_loss: dict[int, float]  # expected score points lost at each site with open problems
    clean_loss_per_site: dict[str, float]  # expected loss at each problem-free site, per category
    unknown_problems: float  # expected problems per run on items whose points are 待核实

    @property
    def p_pass(self) -> float:
        return float(self.passed.mean()) if self.runs else 0.0

    @property
    def p_negative(self) -> float:
        return float(self.negative_failed.mean()) if self.runs else 0.0

    @property
    def expected_loss(self) -> float:
        return float(sum(self.category_loss.values()))

    def summary(self, bins: int = 20) -> dict:
        scores = self.scores
        low, high = float(scores.min()), float(scores.max())
        if high - low < 1e-9:
            low, high = low - 0.5, high + 0.5
        counts, edges = np.histogram(scores, bins=bins, range=(low, high))
        return {
            "mean": float(scores.mean()),
            "p05": float(np.percentile(scores, 5)),
            "p50": float(np.percentile(scores, 50)),
            "p95": float(np.percentile(scores, 95)),
            "p_pass": self.p_pass,
            "p_negative": self.p_negative,
            "histogram": {"edges": [round(float(e), 3) for e in edges], "counts": counts.tolist()},
        }


def _sums(index, *, weights, minlength: int) -> np.ndarray:
    """``np.bincount`` with float output even when empty."""
    return np.bincount(index, weights=np.asarray(weights, dtype=float), minlength=minlength).astype(float)


def _choose(rng: np.random.Generator, runs: int, k: int, s: int) -> np.ndarray:
    """(runs, s) distinct indices in [0, k) per row, uniformly at random and in random order."""
    if s == 0:
        return np.zeros((runs, 0), dtype=np.int64)
    if k <= 4 * s:
        keys = rng.random((runs, k))
        return np.argsort(keys, axis=1)[:, :s]
    chosen = np.empty((runs, s), dtype=np.int64)
    for slot in range(s):
        column = rng.integers(0, k, size=runs)
        clash = (chosen[:, :slot] == column[:, None]).any(axis=1)
        while clash.any():
            rows = np.flatnonzero(clash)
            column[rows] = rng.integers(0, k, size=len(rows))
            clash[rows] = (chosen[rows, :slot] == column[rows, None]).any(axis=1)
        chosen[:, slot] = column
    return chosen


def simulate(
    categories: list[CategoryInput],
    rules: ItemRules,
    *,
    runs: int = 10_000,
    seed: int = 0,
    full_score: float = 100.0,
    pass_line: float,
    unknown_points: float | None = None,
) -> ForecastResult:
    """Run ``runs`` imagined evaluations. Same inputs and seed give the same result exactly."""
    drawn_total = sum(min(c.sample_size, c.n_sites) for c in categories)
    scale = 1.0 / drawn_total if drawn_total else 0.0
    total_loss = np.zeros(runs)
    negative_failed = np.zeros(runs, dtype=bool)
    empty = np.zeros(0)
    result = ForecastResult(runs, seed, drawn_total, empty, empty, negative_failed, {}, {}, {}, {}, 0.0)
    seeds = np.random.SeedSequence(seed).spawn(len(categories))
    for category, child in zip(categories, seeds, strict=True):
        rng = np.random.default_rng(child)
        loss, failed = _simulate_category(category, rules, rng, runs, unknown_points, scale, result)
        total_loss += loss
        negative_failed |= failed
    result.scores = np.maximum(full_score - total_loss * scale, 0.0)
    result.passed = (result.scores >= pass_line) & ~negative_failed
    return result


def _simulate_category(category, rules, rng, runs, unknown_points, scale, result: ForecastResult):
    """Deductions and negative-list failures per run for one category; expectations go into ``result``."""
    drawn = min(category.sample_size, category.n_sites)
    n_items = len(category.item_ids)
    result.category_loss[category.code] = 0.0
    if drawn == 0 or n_items == 0:
        return np.zeros(runs), np.zeros(runs, dtype=bool)
    points, caps, negative, unknown = rules.arrays(category.item_ids, unknown_points)
    rates = category.rates
    single = np.minimum(points, caps)  # loss of one new problem at a site without open ones on the item
    column = {int(j): i for i, j in enumerate(category.item_ids.tolist())}
    keep = np.array([int(j) in column for j in category.open_item_ids.tolist()], dtype=bool)
    sites, site_of_pair = np.unique(category.open_site_ids[keep], return_inverse=True)
    pair_item = np.array([column[int(j)] for j in category.open_item_ids[keep].tolist()], dtype=np.int64)
    pair_open = category.open_counts[keep]
    k, clean = len(sites), category.n_sites - len(sites)
    if clean < 0:
        raise ValueError(f"{category.code}: more sites with open problems than sites")

    # Per pair (site, item with an open record): loss without and with one more new problem.
    base = np.minimum(pair_open * points[pair_item], caps[pair_item])
    with_new = np.minimum((pair_open + 1) * points[pair_item], caps[pair_item])
    pair_rate = rates[pair_item]
    # Dense per (problem site, item) tables: loss without a new problem, and the increment with one.
    open_dense = np.zeros((k, n_items), dtype=np.int64)
    open_dense[site_of_pair, pair_item] = pair_open
    base_dense = np.minimum(open_dense * points, caps)
    increment = (np.minimum((open_dense + 1) * points, caps) - base_dense).astype(np.float32)
    site_base = base_dense.sum(axis=1)
    site_negative = ((open_dense > 0) & negative).any(axis=1)

    # Exact expectations: every site is drawn with probability drawn / n_sites.
    inclusion = drawn / category.n_sites
    pairs_per_item = np.bincount(pair_item, minlength=n_items)
    pair_expected = (1 - pair_rate) * base + pair_rate * with_new
    item_expected = _sums(pair_item, weights=pair_expected, minlength=n_items)
    item_expected += (category.n_sites - pairs_per_item) * rates * single
    item_expected *= inclusion * scale
    for item_id, value in zip(category.item_ids.tolist(), item_expected.tolist(), strict=True):
        result.item_loss[item_id] = result.item_loss.get(item_id, 0.0) + value
    result.category_loss[category.code] = float(item_expected.sum())
    clean_site = float((rates * single).sum())
    site_expected = _sums(site_of_pair, weights=pair_expected - pair_rate * single[pair_item], minlength=k)
    for site_id, value in zip(sites.tolist(), ((site_expected + clean_site) * inclusion * scale).tolist(), strict=True):
        result.site_loss[site_id] = result.site_loss.get(site_id, 0.0) + value
    result.clean_loss_per_site[category.code] = clean_site * inclusion * scale
    if unknown.any():
        pair_unknown = unknown[pair_item]
        expected_unknown = float((pair_open[pair_unknown] + pair_rate[pair_unknown]).sum())
        expected_unknown += float(((category.n_sites - pairs_per_item) * rates)[unknown].sum())
        result.unknown_problems += expected_unknown * inclusion

    # Sampling: how many drawn sites have open records (hypergeometric), and which ones.
    if k == 0:
        x = np.zeros(runs, dtype=np.int64)
    elif clean == 0:
        x = np.full(runs, drawn, dtype=np.int64)
    else:
        x = rng.hypergeometric(k, clean, drawn, size=runs)
    slots = min(drawn, k)
    chosen = _choose(rng, runs, k, slots)  # (R, S)
    valid = np.arange(slots)[None, :] < x[:, None]
    loss = (site_base[chosen] * valid).sum(axis=1)
    failed = (site_negative[chosen] & valid).any(axis=1)

    # Drawn problem sites: every item may get a new problem on top of the open ones (dense Bernoulli).
    hit = (rng.random((runs, slots, n_items), dtype=np.float32) < rates.astype(np.float32)) & valid[:, :, None]
    loss += (hit * increment[chosen]).sum(axis=(1, 2), dtype=np.float64)
    if negative.any():
        failed |= hit[:, :, negative].any(axis=(1, 2))

    # Drawn sites without open problems: new problems are binomial counts per item.
    new = rng.binomial((drawn - x)[:, None], rates[None, :])
    loss += new @ single
    if negative.any():
        failed |= (new[:, negative] > 0).any(axis=1)
    return loss, failed


def without_cases(categories: list[CategoryInput], removed: dict[tuple[int, int], int]) -> list[CategoryInput]:
    """The same inputs with ``removed[(site_id, item_id)]`` open problems closed (what-if).

    Triples stay in place with lower counts, so shapes and random streams match the baseline.
    """
    result = []
    for category in categories:
        counts = category.open_counts.copy()
        for index, (site_id, item_id) in enumerate(
            zip(category.open_site_ids.tolist(), category.open_item_ids.tolist(), strict=True)
        ):
            n = removed.get((site_id, item_id), 0)
            if n:
                counts[index] = max(0, counts[index] - n)
        result.append(
            CategoryInput(
                code=category.code,
                n_sites=category.n_sites,
                sample_size=category.sample_size,
                item_ids=category.item_ids,
                rates=category.rates,
                open_site_ids=category.open_site_ids,
                open_item_ids=category.open_item_ids,
                open_counts=counts,
            )
        )
    return result
