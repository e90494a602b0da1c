"""Pure: competition ranking (1, 2, 2, 4) of scores, highest first."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal


def competition_ranks(scores: Iterable[tuple[int, Decimal]]) -> dict[int, int]:
    """``{key: rank}`` for ``(key, score)`` pairs: equal scores share a rank, the next rank skips."""
    ordered = sorted(scores, key=lambda pair: (-pair[1], pair[0]))
    ranks: dict[int, int] = {}
    previous = None
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        ranks[key] = rank
    return ranks
