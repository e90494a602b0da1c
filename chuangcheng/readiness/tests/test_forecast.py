"""The simulation against cases that can be computed by hand."""

import numpy as np
import pytest

from chuangcheng.readiness.forecast import CategoryInput, ItemRules, simulate, smoothed_rates, without_cases


def category(code="market", n_sites=10, sample=5, items=(1,), rates=(0.0,), opens=()):
    return CategoryInput(
        code=code,
        n_sites=n_sites,
        sample_size=sample,
        item_ids=list(items),
        rates=list(rates),
        open_site_ids=[o[0] for o in opens],
        open_item_ids=[o[1] for o in opens],
        open_counts=[o[2] for o in opens],
    )


def test_simulate_city_without_problems_passes_with_certainty():
    cats = [category(rates=(0.0,)), category(code="street", n_sites=40, sample=8, items=(2,), rates=(0.0,))]
    result = simulate(cats, ItemRules(points={1: 2, 2: 1}), runs=2000, seed=1, pass_line=99.999)
    assert result.p_pass == 1.0
    assert result.scores.min() == 100.0
    assert result.expected_loss == 0.0


def test_simulate_negative_item_at_every_always_sampled_site_fails_with_certainty():
    opens = [(site, 7, 1) for site in range(100, 105)]
    cats = [category(n_sites=5, sample=8, items=(7, 8), rates=(0.0, 0.0), opens=opens), category(code="other")]
    rules = ItemRules(points={7: 0.5, 8: 1}, negative=frozenset({7}))
    result = simulate(cats, rules, runs=1000, seed=3, pass_line=0)
    assert result.p_negative == 1.0
    assert result.p_pass == 0.0


def test_simulate_single_item_rate_gives_expected_loss():
    # 100 sites, 10 drawn, one item of 2 points found with rate 0.3: each drawn site loses 0.6 on average.
    cats = [category(n_sites=100, sample=10, items=(1,), rates=(0.3,))]
    result = simulate(cats, ItemRules(points={1: 2}), runs=20_000, seed=11, pass_line=99)
    assert result.item_loss[1] == pytest.approx(0.6)
    assert 100 - result.scores.mean() == pytest.approx(0.6, abs=0.02)
    # P(score >= 99) = P(at most 5 of the 10 drawn sites have the problem) under Binomial(10, 0.3)
    assert result.p_pass == pytest.approx(0.9527, abs=0.01)


def test_simulate_cap_limits_loss_per_site():
    opens = [(site, 1, 5) for site in range(10)]
    cats = [category(n_sites=10, sample=10, items=(1,), rates=(0.0,), opens=opens)]
    result = simulate(cats, ItemRules(points={1: 2}, caps={1: 3}), runs=100, seed=0, pass_line=0)
    assert result.scores.mean() == pytest.approx(97.0)


def test_simulate_open_problems_lose_points_in_proportion_to_sampling():
    # 2 of 20 sites have 1 open problem worth 4 points; 5 drawn: E[loss] = 2 * (5/20) * 4 / 5 drawn = 0.4
    cats = [category(n_sites=20, sample=5, items=(1,), rates=(0.0,), opens=[(1, 1, 1), (2, 1, 1)])]
    result = simulate(cats, ItemRules(points={1: 4}), runs=40_000, seed=5, pass_line=0)
    assert result.item_loss[1] == pytest.approx(0.4)
    assert 100 - result.scores.mean() == pytest.approx(0.4, abs=0.02)
    assert sum(result.site_loss.values()) == pytest.approx(0.4)


def test_simulate_unknown_points_excluded_and_counted_or_assumed():
    cats = [category(n_sites=10, sample=10, items=(1,), rates=(0.0,), opens=[(1, 1, 2)])]
    excluded = simulate(cats, ItemRules(points={1: None}), runs=100, seed=0, pass_line=0)
    assert excluded.expected_loss == 0.0
    assert excluded.unknown_problems == pytest.approx(2.0)
    assumed = simulate(cats, ItemRules(points={1: None}), runs=100, seed=0, pass_line=0, unknown_points=1.0)
    assert assumed.expected_loss == pytest.approx(0.2)


def test_simulate_same_seed_reproduces_exactly():
    cats = [category(n_sites=300, sample=12, items=(1, 2, 3), rates=(0.1, 0.2, 0.05), opens=[(5, 1, 1), (9, 2, 3)])]
    rules = ItemRules(points={1: 1, 2: 2, 3: 0.5}, caps={2: 3}, negative=frozenset({3}))
    first = simulate(cats, rules, runs=500, seed=42, pass_line=95)
    second = simulate(cats, rules, runs=500, seed=42, pass_line=95)
    assert np.array_equal(first.scores, second.scores)
    assert np.array_equal(first.negative_failed, second.negative_failed)


def test_what_if_closing_cases_never_lowers_any_run():
    rng = np.random.default_rng(0)
    opens = [(int(s), int(j), int(rng.integers(1, 3))) for s in range(40) for j in (1, 2, 3) if rng.random() < 0.3]
    cats = [
        category(n_sites=60, sample=15, items=(1, 2, 3), rates=(0.1, 0.05, 0.02), opens=opens),
        category(code="big", n_sites=5000, sample=10, items=(1, 4), rates=(0.1, 0.2), opens=[(9000, 4, 1)]),
    ]
    rules = ItemRules(points={1: 1, 2: 2, 3: 1, 4: 1}, caps={1: 2}, negative=frozenset({3}))
    base = simulate(cats, rules, runs=3000, seed=9, pass_line=97)
    closed = {(s, j): n for s, j, n in opens[::2]}
    after = simulate(without_cases(cats, closed), rules, runs=3000, seed=9, pass_line=97)
    assert (after.scores >= base.scores - 1e-12).all()
    assert (after.passed >= base.passed).all()
    assert after.p_pass >= base.p_pass
    assert after.expected_loss < base.expected_loss


def test_smoothed_rates_without_history_is_the_prior_mean():
    assert smoothed_rates([0], [0])[0] == pytest.approx(0.01)
    assert smoothed_rates([0], [0], alpha=0, beta=0)[0] == 0.0
    assert smoothed_rates([30], [100])[0] == pytest.approx(30.5 / 150)
