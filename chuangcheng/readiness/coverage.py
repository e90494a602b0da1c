"""How much of the evaluation a forecast run could actually simulate (pure: reads a run's stored results).

A pass probability is only as good as the place categories behind it: when the standard's quotas are
待核实 for most categories, or they have no sites or no check items, the simulation samples a few
categories and may say "100%" about a city it barely looked at. Coverage is shown before the probability,
and below ``READINESS_MIN_COVERAGE`` (share of the categories the evaluation samples) the probability is
withheld as a headline and shown only as a figure 仅供参考.

Categories the standard gives no quota (``无抽样配额``) are not sampled by the evaluation either, so they do
not count against coverage; a quota 待核实, a category without sites or without check items do.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DEFAULT_MIN_COVERAGE = 0.8
NOT_SAMPLED_BY_EVALUATION = "无抽样配额"


def min_coverage() -> float:
    return float(getattr(settings, "READINESS_MIN_COVERAGE", DEFAULT_MIN_COVERAGE))


@dataclass(frozen=True)
class Coverage:
    categories_sampled: int
    categories_total: int  # categories the evaluation samples: sampled + those left out for a gap
    categories_without_quota: int  # not sampled by the evaluation; not counted in the total
    sites_covered: int
    sites_total: int
    threshold: float

    @property
    def ratio(self) -> float:
        return self.categories_sampled / self.categories_total if self.categories_total else 0.0

    @property
    def sites_ratio(self) -> float:
        return self.sites_covered / self.sites_total if self.sites_total else 0.0

    @property
    def sufficient(self) -> bool:
        return self.categories_total > 0 and self.ratio >= self.threshold

    @property
    def label(self) -> str:
        return f"{self.categories_sampled}/{self.categories_total} 类点位纳入抽样"

    @property
    def detail(self) -> str:
        text = f"覆盖点位 {self.sites_covered}/{self.sites_total} 个（{self.sites_ratio * 100:.1f}%）"
        if self.categories_without_quota:
            text += f"；另有 {self.categories_without_quota} 类标准未设抽样配额，不计入"
        return text

    @property
    def withheld_reason(self) -> str:
        return (
            f"覆盖不足：仅 {self.label}（{self.ratio * 100:.0f}%，低于 {self.threshold * 100:.0f}%），"
            "通过概率仅供参考，暂不作为结论"
        )


def coverage_of(results: dict, *, threshold: float | None = None) -> Coverage:
    """Coverage from a run's stored ``results`` (``categories`` sampled and ``excluded`` with reasons)."""
    sampled = results.get("categories") or []
    excluded = results.get("excluded") or []
    gaps = [row for row in excluded if row.get("reason") != NOT_SAMPLED_BY_EVALUATION]
    covered = sum(int(row.get("sites") or 0) for row in sampled)
    return Coverage(
        categories_sampled=len(sampled),
        categories_total=len(sampled) + len(gaps),
        categories_without_quota=len(excluded) - len(gaps),
        sites_covered=covered,
        sites_total=covered + sum(int(row.get("sites") or 0) for row in gaps),
        threshold=min_coverage() if threshold is None else threshold,
    )
