"""Reads for questionnaire indicators (满意率, 知晓率, 支持率, 参与率, the city's own) and 入户 quotas.

A rate is “yes” answers / scored answers of the questions marked for an indicator, with a 95% Wilson score
interval (it stays inside 0..1 and behaves for small samples and rates near 0 or 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from chuangcheng.public.models import Answer, Indicator, SurveyQuota, SurveyResponse
from chuangcheng.public.selectors import area_subtree_ids

Z_95 = 1.959963984540054  # two-sided 95% normal quantile
CI_METHOD = "Wilson 得分区间（95% 置信水平）"


def wilson_interval(yes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of ``yes`` successes out of ``n`` (None when ``n`` is 0)."""
    if n <= 0:
        return None
    p = yes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class IndicatorFigure:
    indicator: str
    label: str
    area_id: int | None
    area: str
    month: str
    yes: int
    scored: int

    @property
    def rate(self) -> float | None:
        return self.yes / self.scored if self.scored else None

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.yes, self.scored)

    @property
    def low_percent(self) -> float | None:
        return None if self.interval is None else round(self.interval[0] * 100, 1)

    @property
    def high_percent(self) -> float | None:
        return None if self.interval is None else round(self.interval[1] * 100, 1)

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "label": self.label,
            "area_id": self.area_id,
            "area": self.area,
            "month": self.month,
            "yes": self.yes,
            "scored": self.scored,
            "rate": self.rate,
            "ci_low": None if self.interval is None else self.interval[0],
            "ci_high": None if self.interval is None else self.interval[1],
        }


def _label(indicator: str, name: str) -> str:
    if indicator == Indicator.CUSTOM:
        return name or "自定义指标"
    return Indicator(indicator).label


def indicator_results(*, surveys, area=None, indicator: str = "") -> list[IndicatorFigure]:
    """Rows per indicator × area × month over the answers of ``surveys`` (a queryset already scoped to
    the reader), optionally for one area (with its sub-areas) and one indicator. One query."""
    answers = Answer.objects.filter(response__survey__in=surveys, counted__isnull=False).exclude(question__indicator="")
    if area is not None:
        answers = answers.filter(response__area_id__in=area_subtree_ids(area))
    if indicator:
        answers = answers.filter(question__indicator=indicator)
    rows = (
        answers.annotate(month=TruncMonth("response__submitted_at"))
        .values("question__indicator", "question__indicator_name", "response__area_id", "response__area__name", "month")
        .annotate(scored=Count("id"), yes=Count("id", filter=Q(counted=True)))
        .order_by("question__indicator", "question__indicator_name", "response__area__name", "month")
    )
    return [
        IndicatorFigure(
            indicator=row["question__indicator"],
            label=_label(row["question__indicator"], row["question__indicator_name"]),
            area_id=row["response__area_id"],
            area=row["response__area__name"] or "未选择区域",
            month=row["month"].strftime("%Y-%m") if row["month"] else "",
            yes=row["yes"],
            scored=row["scored"],
        )
        for row in rows
    ]


def quota_progress(survey) -> list[dict]:
    """Per quota area: households planned, households surveyed (入户 responses with a household reference in
    the area or its sub-areas) and the percent done. Two queries plus one per quota area's subtree walk."""
    quotas = list(SurveyQuota.objects.filter(survey=survey).select_related("area"))
    if not quotas:
        return []
    done = dict(
        SurveyResponse.objects.filter(survey=survey)
        .exclude(household_ref="")
        .values_list("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    )
    result = []
    for quota in quotas:
        surveyed = sum(done.get(area_id, 0) for area_id in area_subtree_ids(quota.area))
        result.append(
            {
                "quota": quota,
                "area": quota.area.name,
                "households": quota.households,
                "surveyed": surveyed,
                "percent": round(min(surveyed / quota.households, 1) * 100, 1) if quota.households else None,
            }
        )
    return result
