"""入户 sampling plans: household quotas per district or street, entered or allocated by population."""

from __future__ import annotations

from django.db import transaction

from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.public.models import SurveyQuota
from chuangcheng.public.permissions import can_collect_surveys, can_manage_surveys
from chuangcheng.public.services.surveys import submit_response


def _require_manager(actor) -> None:
    if not can_manage_surveys(actor):
        raise NotPermitted("只有创建办可以设置入户抽样配额")


@transaction.atomic
def set_quota(*, survey, actor, area, households: int, derived: bool = False) -> SurveyQuota | None:
    """Set (or with 0 remove) the households to survey in ``area``."""
    _require_manager(actor)
    if area is None:
        raise DomainError("请选择配额区域", field="area")
    try:
        households = int(households)
    except (TypeError, ValueError):
        raise DomainError(f"区域“{area.name}”的配额（户）须为整数", field="households")
    if households < 0 or households > 1_000_000:
        raise DomainError(f"区域“{area.name}”的配额（户）应在 0-1000000 之间", field="households")
    previous = SurveyQuota.objects.filter(survey=survey, area=area).first()
    before = previous.households if previous else None
    if households == 0:
        if previous:
            previous.delete()
        quota = None
    else:
        quota, _ = SurveyQuota.objects.update_or_create(
            survey=survey, area=area, defaults={"households": households, "derived_from_population": derived}
        )
    record(
        actor=actor,
        verb="public.survey_quota_set",
        target=survey,
        unit=survey.unit,
        changes={"area": [None, area.name], "households": [before, households or None]},
    )
    return quota


@transaction.atomic
def allocate_quotas(*, survey, actor, areas, total: int) -> list[SurveyQuota]:
    """Share ``total`` households among ``areas`` in proportion to their population (largest remainder).
    Every area needs a population; otherwise nothing changes and the area is named."""
    _require_manager(actor)
    areas = list(areas)
    if not areas:
        raise DomainError("请至少选择一个区域", field="areas")
    if not isinstance(total, int) or total < len(areas):
        raise DomainError("总样本量（户）须为整数且不少于所选区域数", field="total")
    missing = [area.name for area in areas if not area.population]
    if missing:
        raise DomainError(f"区域“{'、'.join(missing)}”没有人口数据，请直接填写配额", field="areas")
    population = sum(area.population for area in areas)
    shares = [(total * area.population / population, area) for area in areas]
    counts = {area.pk: int(share) for share, area in shares}
    left = total - sum(counts.values())
    for _share, area in sorted(shares, key=lambda item: item[0] - int(item[0]), reverse=True)[:left]:
        counts[area.pk] += 1
    return [
        set_quota(survey=survey, actor=actor, area=area, households=max(counts[area.pk], 1), derived=True)
        for area in areas
    ]


def collect_response(*, survey, actor, area, household_ref: str, answers: dict):
    """A surveyor's 入户 entry: area and household reference are required; the answers are checked
    all-or-nothing by ``submit_response``."""
    if not can_collect_surveys(actor):
        raise NotPermitted("只有创建办或督查员可以录入入户问卷")
    if area is None:
        raise DomainError("请选择受访户所在区域", field="area")
    if not (household_ref or "").strip():
        raise DomainError("请填写户号或门牌（用于入户去重）", field="household_ref")
    return submit_response(
        survey=survey, answers=answers, area=area, household_ref=household_ref, surveyor=actor, actor=actor
    )
