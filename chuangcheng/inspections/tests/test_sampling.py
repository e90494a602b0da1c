"""Property tests: draws are reproducible, stratified and respect exclusions."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chuangcheng.inspections.sampling import (
    default_quotas,
    draw_rechecks,
    draw_sites,
    population_band,
)

strata = st.dictionaries(
    keys=st.integers(min_value=1, max_value=8),
    values=st.lists(st.integers(min_value=1, max_value=5000), max_size=60, unique=True),
    max_size=6,
)
seeds = st.integers(min_value=0, max_value=2**62)


def _quotas(candidates, data):
    return {k: data.draw(st.integers(min_value=0, max_value=70)) for k in candidates}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidates=strata, seed=seeds, data=st.data())
def test_draw_with_same_seed_is_reproducible(candidates, seed, data):
    quotas = _quotas(candidates, data)
    exclude = data.draw(st.lists(st.integers(min_value=1, max_value=5000), max_size=30))
    first = draw_sites(candidates, quotas, seed=seed, exclude=exclude)
    shuffled = {k: random.Random(1).sample(v, len(v)) for k, v in reversed(list(candidates.items()))}
    second = draw_sites(shuffled, dict(reversed(list(quotas.items()))), seed=seed, exclude=list(reversed(exclude)))
    assert first.site_ids == second.site_ids
    assert first.by_stratum() == second.by_stratum()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidates=strata, seed=seeds, data=st.data())
def test_draw_is_stratified_meets_quota_and_respects_exclusions(candidates, seed, data):
    quotas = _quotas(candidates, data)
    all_ids = [i for ids in candidates.values() for i in ids]
    exclude = set(data.draw(st.lists(st.sampled_from(all_ids), max_size=20))) if all_ids else set()
    draw = draw_sites(candidates, quotas, seed=seed, exclude=exclude)
    for stratum in draw.strata:
        pool = set(candidates[stratum.stratum]) - exclude
        assert set(stratum.drawn) <= pool
        assert len(stratum.drawn) == len(set(stratum.drawn)) == min(stratum.quota, len(pool))
        assert stratum.available == len(pool)
        assert stratum.shortfall == max(0, stratum.quota - len(pool))
    assert not set(draw.site_ids) & exclude


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidates=strata, seed=seeds, data=st.data())
def test_draw_of_one_stratum_does_not_depend_on_others(candidates, seed, data):
    quotas = _quotas(candidates, data)
    full = draw_sites(candidates, quotas, seed=seed).by_stratum()
    for stratum in candidates:
        alone = draw_sites({stratum: candidates[stratum]}, {stratum: quotas[stratum]}, seed=seed).by_stratum()
        assert alone[stratum] == full[stratum]


def test_different_seeds_give_different_draws():
    candidates = {1: list(range(1, 1001))}
    draws = {tuple(draw_sites(candidates, {1: 10}, seed=s).site_ids) for s in range(20)}
    assert len(draws) == 20


def test_draw_is_roughly_uniform_over_many_seeds():
    candidates = {1: list(range(10))}
    hits = [0] * 10
    for s in range(2000):
        for site in draw_sites(candidates, {1: 3}, seed=s).site_ids:
            hits[site] += 1
    assert all(500 < h < 700 for h in hits), hits


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ids=st.lists(st.integers(min_value=1, max_value=10**6), unique=True, max_size=200), seed=seeds)
def test_recheck_sample_reproducible_and_bounded(ids, seed):
    first = draw_rechecks(ids, 5, seed=seed)
    assert first == draw_rechecks(list(reversed(ids)), 5, seed=seed)
    assert len(first) == min(5, len(ids))
    assert set(first) <= set(ids)


def test_default_quotas_follow_population_band():
    table = {"road": [8, 12, 15], "market": [None, 3, 4]}
    assert default_quotas(table, 300_000) == {"road": 8}
    assert default_quotas(table, 1_500_000) == {"road": 12, "market": 3}
    assert default_quotas(table, 3_000_000) == {"road": 15, "market": 4}
    assert population_band(None) == 1
