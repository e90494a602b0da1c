"""Reproducible stratified sampling of sites (pure: no database).

A draw is a function of its inputs only: the candidate ids per stratum (a site
category), the quota per stratum, the excluded ids and the seed. Each stratum
gets its own random generator derived from ``(seed, stratum)`` via numpy's
``SeedSequence``, so adding or removing one stratum never changes the sites
drawn in another, and the order in which candidates arrive does not matter
(they are sorted first). Anyone holding a round's seed and plan can re-run the
draw and get the same sites.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np


def new_seed() -> int:
    """A fresh seed that fits a signed 64-bit column."""
    return secrets.randbits(62)


def _stratum_key(stratum: Hashable) -> int:
    digest = hashlib.sha256(repr(stratum).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def rng_for(seed: int, stratum: Hashable = "") -> np.random.Generator:
    """The generator for one stratum of one draw."""
    return np.random.default_rng(np.random.SeedSequence([int(seed) & (2**63 - 1), _stratum_key(stratum)]))


@dataclass(frozen=True)
class StratumDraw:
    stratum: Hashable
    quota: int
    available: int
    drawn: tuple[int, ...]

    @property
    def shortfall(self) -> int:
        """How many sites the stratum lacked to meet its quota."""
        return max(0, self.quota - len(self.drawn))


@dataclass(frozen=True)
class Draw:
    seed: int
    strata: tuple[StratumDraw, ...] = field(default_factory=tuple)

    @property
    def site_ids(self) -> list[int]:
        return [site_id for stratum in self.strata for site_id in stratum.drawn]

    def by_stratum(self) -> dict[Hashable, tuple[int, ...]]:
        return {stratum.stratum: stratum.drawn for stratum in self.strata}


def draw_stratum(candidates: Iterable[int], quota: int, *, seed: int, stratum: Hashable = "") -> tuple[int, ...]:
    """``quota`` distinct ids from ``candidates`` (all of them when fewer), sorted."""
    pool = sorted(set(candidates))
    if quota <= 0 or not pool:
        return ()
    if quota >= len(pool):
        return tuple(pool)
    picked = rng_for(seed, stratum).choice(len(pool), size=quota, replace=False)
    return tuple(sorted(pool[int(i)] for i in picked))


def draw_sites(
    candidates: Mapping[Hashable, Sequence[int]],
    quotas: Mapping[Hashable, int],
    *,
    seed: int,
    exclude: Iterable[int] = (),
) -> Draw:
    """Stratified draw: for each stratum with a quota, up to ``quota`` sites not in ``exclude``."""
    excluded = exclude if isinstance(exclude, (set, frozenset)) else set(exclude)
    strata = []
    for stratum in sorted(quotas, key=repr):
        quota = int(quotas[stratum])
        pool = set(candidates.get(stratum, ())) - excluded
        drawn = draw_stratum(pool, quota, seed=seed, stratum=stratum)
        strata.append(StratumDraw(stratum=stratum, quota=quota, available=len(pool), drawn=drawn))
    return Draw(seed=seed, strata=tuple(strata))


def draw_rechecks(case_ids: Iterable[int], count: int, *, seed: int) -> tuple[int, ...]:
    """The re-check sample (复查抽查) among recently closed cases, reproducible from the same seed."""
    return draw_stratum(case_ids, count, seed=seed, stratum="__recheck__")


def default_quotas(min_samples: Mapping[Hashable, Sequence[int | None]], population: int | None) -> dict:
    """Quotas from the standard's minimum samples per city-population band (<50万 / 50–200万 / >200万).

    ``min_samples`` maps a stratum to its three band values; a missing value (None) gives no quota.
    """
    band = population_band(population)
    quotas = {}
    for stratum, values in min_samples.items():
        value = values[band] if band < len(values) else None
        if value is not None:
            quotas[stratum] = int(value)
    return quotas


def population_band(population: int | None) -> int:
    """0: under 500,000; 1: 500,000 to 2,000,000; 2: over 2,000,000 (unknown: the middle band)."""
    if population is None:
        return 1
    if population < 500_000:
        return 0
    if population <= 2_000_000:
        return 1
    return 2
