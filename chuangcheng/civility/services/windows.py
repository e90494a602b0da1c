"""窗口行业 (reference data), window units, 服务承诺 and 行风评议 results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from chuangcheng.audit.services import record
from chuangcheng.civility import permissions
from chuangcheng.civility.models import (
    Commitment,
    Rating,
    RatingPeriod,
    RatingSource,
    WindowIndustry,
    WindowUnit,
)
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.dossiers.files import checked_file
from chuangcheng.org.models import Unit

RATING_FILE_KINDS = ("pdf", "docx", "xlsx", "image")


def _require_reference_editor(actor) -> None:
    if not permissions.can_edit_reference(actor):
        raise NotPermitted("窗口行业和评议周期由市创建办维护")


@transaction.atomic
def save_industry(
    *, actor, name: str, sort_order: int = 0, is_sample: bool = False, industry: WindowIndustry | None = None
) -> WindowIndustry:
    """Create (``industry=None``) or rename an industry; names are unique."""
    _require_reference_editor(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写行业名称", field="name")
    clash = WindowIndustry.objects.filter(name=name)
    if industry is not None:
        clash = clash.exclude(pk=industry.pk)
    if clash.exists():
        raise DomainError(f"行业“{name}”已存在", field="name")
    if industry is None:
        industry = WindowIndustry.objects.create(name=name, sort_order=sort_order, is_sample=is_sample)
        record(actor=actor, verb="civility.industry_created", target=industry, changes={"name": [None, name]})
        return industry
    changes = {
        k: [getattr(industry, k), v]
        for k, v in (("name", name), ("sort_order", sort_order), ("is_sample", is_sample))
        if getattr(industry, k) != v
    }
    if changes:
        for key, (_, value) in changes.items():
            setattr(industry, key, value)
        industry.save(update_fields=list(changes))
        record(actor=actor, verb="civility.industry_updated", target=industry, changes=changes)
    return industry


@transaction.atomic
def create_window_unit(
    *, actor, industry: WindowIndustry, name: str, unit: Unit, address: str = "", is_demo: bool = False
) -> WindowUnit:
    if not permissions.can_manage_window(actor, unit):
        raise NotPermitted(f"只有主管“{unit.name}”的创建办可以登记窗口单位")
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写窗口单位名称", field="name")
    if WindowUnit.objects.filter(industry=industry, name=name).exists():
        raise DomainError(f"{industry.name}行业已有窗口单位“{name}”", field="name")
    window = WindowUnit.objects.create(
        industry=industry, name=name[:120], unit=unit, address=(address or "").strip()[:200], is_demo=is_demo
    )
    record(
        actor=actor,
        verb="civility.window_unit_created",
        target=window,
        unit=unit,
        changes={"name": [None, window.name], "industry": [None, industry.name]},
    )
    return window


@transaction.atomic
def add_commitment(
    *, actor, window_unit: WindowUnit, content: str, published_where: str, published_on: date
) -> Commitment:
    if not permissions.can_record_commitment(actor, window_unit):
        raise NotPermitted("只有创建办或该窗口单位可以登记服务承诺")
    content, published_where = (content or "").strip(), (published_where or "").strip()
    if not content:
        raise DomainError("请填写承诺内容", field="content")
    if not published_where:
        raise DomainError("请填写公开位置（如营业厅公示栏、门户网站）", field="published_where")
    if published_on is None:
        raise DomainError("请填写公开日期", field="published_on")
    commitment = Commitment.objects.create(
        window_unit=window_unit,
        content=content,
        published_where=published_where[:200],
        published_on=published_on,
        created_by=actor,
    )
    record(
        actor=actor,
        verb="civility.commitment_added",
        target=commitment,
        unit=window_unit.unit,
        changes={"window_unit": [None, window_unit.name], "published_on": [None, published_on.isoformat()]},
    )
    return commitment


@transaction.atomic
def create_period(*, actor, name: str, starts_on: date, ends_on: date) -> RatingPeriod:
    _require_reference_editor(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写评议周期名称", field="name")
    if ends_on < starts_on:
        raise DomainError("结束日期不能早于开始日期", field="ends_on")
    if RatingPeriod.objects.filter(name=name).exists():
        raise DomainError(f"评议周期“{name}”已存在", field="name")
    period = RatingPeriod.objects.create(name=name, starts_on=starts_on, ends_on=ends_on)
    record(actor=actor, verb="civility.period_created", target=period, changes={"name": [None, name]})
    return period


def clean_score(score) -> Decimal:
    try:
        value = Decimal(str(score)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(f"得分“{score}”不是数字", field="score") from None
    if not Decimal("0") <= value <= Decimal("100"):
        raise DomainError(f"得分须在0到100之间，收到{value}", field="score")
    return value


@transaction.atomic
def record_rating(
    *, actor, window_unit: WindowUnit, period: RatingPeriod, source: str, score, file=None, note: str = ""
) -> Rating:
    """One 行风评议 result per unit, period and source, with its material (checked by content)."""
    if not permissions.can_manage_window(actor, window_unit.unit):
        raise NotPermitted("只有主管该单位的创建办可以登记行风评议结果")
    if source not in RatingSource.values:
        raise DomainError(f"未知的评议来源“{source}”", field="source")
    score = clean_score(score)
    checked = checked_file(file, field="file", kinds=RATING_FILE_KINDS) if file else None
    if Rating.objects.filter(window_unit=window_unit, period=period, source=source).exists():
        raise DomainError(
            f"{window_unit.name}在{period.name}已有“{RatingSource(source).label}”评议结果", field="source"
        )
    rating = Rating.objects.create(
        window_unit=window_unit,
        period=period,
        source=source,
        score=score,
        file=checked.content if checked else "",
        file_name=checked.original_name if checked else "",
        note=(note or "").strip()[:500],
        recorded_by=actor,
    )
    record(
        actor=actor,
        verb="civility.rating_recorded",
        target=rating,
        unit=window_unit.unit,
        changes={"period": [None, period.name], "source": [None, source], "score": [None, str(score)]},
    )
    return rating
