"""Reads for 创文 readiness: the 未成年人测评 prerequisite and the 双迎 (combined campaign) picture.

The prerequisite (standards.md §4): the minors' assessment is 百分制, a city under 85 may not apply, and the
score counts 20% in the total. The total formula (创文测评 × 80% + 未成年人测评 × 20%) is only inferred from
that (⚠): the page calls it 推断总分 (待核实), and threshold and weight are the office's editable values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps

from chuangcheng.programs.titles import Family
from chuangcheng.readiness.models import (
    MINORS_THRESHOLD,
    MINORS_WEIGHT_PERCENT,
    ForecastRun,
    MinorsResult,
)

GAPS = 5


@dataclass(frozen=True)
class Prerequisite:
    result: MinorsResult | None
    threshold: Decimal
    weight_percent: Decimal
    field_rate: float | None  # the 创文 forecast's expected 得分率 (0..1), if any

    @property
    def meets(self) -> bool | None:
        return None if self.result is None else self.result.score >= self.threshold

    @property
    def is_default(self) -> bool:
        return self.threshold == MINORS_THRESHOLD and self.weight_percent == MINORS_WEIGHT_PERCENT

    @property
    def inferred_total(self) -> float | None:
        """推断总分 (待核实) on a 100 scale: 创文得分率 × (100 − w)% + 未成年人得分 × w%."""
        if self.result is None or self.field_rate is None:
            return None
        weight = float(self.weight_percent) / 100
        return self.field_rate * 100 * (1 - weight) + float(self.result.score) * weight


def is_civilized_run(run: ForecastRun | None) -> bool:
    if run is None:
        return False
    if run.campaign_id is not None and run.campaign.family == Family.CIVILIZED:
        return True
    return (run.results.get("standard") or {}).get("kind") == "civilized_city"


def latest_minors_result(user, campaign) -> MinorsResult | None:
    """The newest year's result of the campaign, an official one before a simulated one."""
    if campaign is None:
        return None
    return MinorsResult.objects.visible_to(user).filter(campaign=campaign).order_by("-year", "source", "-id").first()


def prerequisite(user, campaign, *, run: ForecastRun | None = None) -> Prerequisite:
    result = latest_minors_result(user, campaign)
    rate = run.results.get("summary", {}).get("rate") if run is not None else None
    return Prerequisite(
        result=result,
        threshold=result.threshold if result else Decimal(MINORS_THRESHOLD),
        weight_percent=result.weight_percent if result else Decimal(MINORS_WEIGHT_PERCENT),
        field_rate=rate,
    )


def _open_problems(user, campaign) -> int | None:
    """Open cases in the campaign unit's subtree on the check items of the campaign's standard."""
    if not apps.is_installed("chuangcheng.cases"):
        return None
    from chuangcheng.cases.models import Case
    from chuangcheng.cases.models.cases import OPEN_STATUSES

    return (
        Case.objects.visible_to(user)
        .filter(
            status__in=OPEN_STATUSES,
            unit__path__startswith=campaign.unit.path,
            check_item__standard_id=campaign.standard_id,
        )
        .count()
    )


def dual_readiness(user, campaign) -> list[dict]:
    """Per title of the 双迎 group (``programs.selectors.concurrent_campaigns``): its latest forecast, upcoming
    windows, open problems, key gaps and, for a 文明创建 campaign, the minors prerequisite. About five queries a
    campaign."""
    from chuangcheng.programs.selectors import concurrent_campaigns
    from chuangcheng.readiness.selectors import upcoming_windows

    columns = []
    for member in concurrent_campaigns(campaign, user):
        # the latest forecast on the campaign's own standard (a 创文 campaign also forecasts its minors
        # prerequisite, on another standard)
        run = (
            ForecastRun.objects.visible_to(user)
            .filter(campaign=member, baseline__isnull=True, parameters__standard_id=member.standard_id)
            .select_related("campaign")
            .first()
        )
        civilized = member.family == Family.CIVILIZED
        columns.append(
            {
                "campaign": member,
                "run": run,
                "observe": run is not None and run.results.get("mode") == "observe",
                "windows": upcoming_windows(user, campaign=member),
                "open_problems": _open_problems(user, member),
                "gaps": (run.results.get("items") or [])[:GAPS] if run is not None else [],
                "prerequisite": prerequisite(user, member, run=run) if civilized else None,
            }
        )
    return columns
