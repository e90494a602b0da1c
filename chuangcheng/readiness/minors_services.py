"""Writes for the 未成年人思想道德建设测评 results of a 文明创建 campaign (``MinorsResult``).

A result is either recorded (the official feedback, 测评结果) or simulated: the expected 得分率 of a forecast
run on a minors standard, scored like any observation-scored standard. Score, threshold and weight are checked
here with Chinese errors naming the field; nothing is stored on error.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.programs.permissions import can_manage_campaign
from chuangcheng.programs.services import require_campaign
from chuangcheng.programs.titles import Family
from chuangcheng.readiness.models import (
    MINORS_THRESHOLD,
    MINORS_WEIGHT_PERCENT,
    ForecastRun,
    MinorsResult,
    MinorsSource,
)
from chuangcheng.readiness.permissions import can_manage_windows

FIELDS = ("year", "source", "score", "threshold", "weight_percent", "standard", "run", "note")
LABELS = {"score": "得分", "threshold": "申报门槛", "weight_percent": "计入总分权重"}


def _percent(name: str, value) -> Decimal:
    """A value in 0..100 (score, threshold, weight in percent), else a Chinese error naming the field."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(f"{LABELS[name]}须为数字", field=name) from None
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        unit = "%" if name == "weight_percent" else " 分"
        raise DomainError(f"{LABELS[name]}须在 0 到 100{unit}之间（填写的是 {value}）", field=name)
    return number.quantize(Decimal("0.01"))


def _check(values: dict) -> dict:
    from chuangcheng.standards.models import StandardKind

    year = values.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("年度须为 2000 到 2100 之间的整数", field="year")
    if values.get("source") not in MinorsSource.values:
        raise DomainError("未知的结果来源", field="source")
    run: ForecastRun | None = values.get("run")
    if run is not None:
        if run.parameters.get("mode") != "observe" or (run.results.get("standard") or {}).get("kind") != "minors":
            raise DomainError("只能引用未成年人测评标准上的观察计分预测", field="run")
        if values.get("score") in (None, ""):
            rate = run.results.get("summary", {}).get("rate")
            if rate is None:
                raise DomainError("该预测没有已观测的测评标准，无法得出得分，请直接填写得分", field="score")
            values["score"] = round(rate * 100, 2)
        values["standard"] = values.get("standard") or _standard_of(run)
    if values.get("score") in (None, ""):
        raise DomainError("请填写得分（百分制）", field="score")
    standard = values.get("standard")
    if standard is not None and standard.kind != StandardKind.MINORS:
        raise DomainError("测评标准须为“未成年人思想道德建设测评”类标准", field="standard")
    for name in ("score", "threshold", "weight_percent"):
        values[name] = _percent(name, values[name])
    return values


def _standard_of(run: ForecastRun):
    from chuangcheng.standards.models import Standard

    return Standard.objects.filter(pk=(run.results.get("standard") or {}).get("id")).first()


def _civilized(actor, campaign):
    if campaign is None:
        raise DomainError("请选择文明创建活动", field="campaign")
    campaign = require_campaign(actor, campaign)
    if campaign.family != Family.CIVILIZED:
        raise DomainError("未成年人测评结果须属于文明城市等文明创建活动", field="campaign")
    return campaign


@transaction.atomic
def record_minors_result(
    *,
    actor,
    campaign,
    year: int,
    score=None,
    source: str = MinorsSource.OFFICIAL,
    threshold=MINORS_THRESHOLD,
    weight_percent=MINORS_WEIGHT_PERCENT,
    standard=None,
    run: ForecastRun | None = None,
    note: str = "",
) -> MinorsResult:
    if not can_manage_windows(actor):
        raise NotPermitted("只有本级或上级创建办可以录入未成年人测评结果")
    campaign = _civilized(actor, campaign)
    values = _check(
        {
            "year": year,
            "source": source,
            "score": score,
            "threshold": threshold,
            "weight_percent": weight_percent,
            "standard": standard,
            "run": run,
        }
    )
    if MinorsResult.objects.filter(campaign=campaign, year=values["year"], source=values["source"]).exists():
        raise DomainError(f"{values['year']}年已有该来源的未成年人测评结果，请修改原记录", field="year")
    try:
        with transaction.atomic():
            result = MinorsResult.objects.create(campaign=campaign, note=note.strip(), created_by=actor, **values)
    except IntegrityError:
        raise DomainError(f"{values['year']}年已有该来源的未成年人测评结果，请修改原记录", field="year") from None
    record(
        actor=actor,
        verb="readiness.minors_recorded",
        target=result,
        changes={"year": [None, result.year], "score": [None, str(result.score)], "source": [None, result.source]},
    )
    return result


@transaction.atomic
def update_minors_result(*, result: MinorsResult, actor, **changes) -> MinorsResult:
    if not can_manage_campaign(actor, result.campaign):
        raise NotPermitted("只有本级或上级创建办可以修改未成年人测评结果")
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    result = MinorsResult.objects.select_for_update(no_key=True).get(pk=result.pk)
    values = _check({name: changes.get(name, getattr(result, name)) for name in FIELDS})
    if (
        MinorsResult.objects.filter(campaign=result.campaign, year=values["year"], source=values["source"])
        .exclude(pk=result.pk)
        .exists()
    ):
        raise DomainError(f"{values['year']}年已有该来源的未成年人测评结果", field="year")
    values["note"] = (values.get("note") or "").strip()
    delta = diff(result, values)
    for name, value in values.items():
        setattr(result, name, value)
    result.save()
    if delta:
        record(actor=actor, verb="readiness.minors_updated", target=result, changes=delta)
    return result
