"""文明单位: register, edit, annual review with evidence, warn / lift / revoke (through ``workflow``)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.civility import permissions, workflow
from chuangcheng.civility.models import CivilizedUnit, HonourLevel, Review, ReviewEvidence, ReviewResult
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.dossiers.files import checked_file
from chuangcheng.org.models import Unit

EVIDENCE_KINDS = ("pdf", "docx", "xlsx", "image")
MAX_EVIDENCE = 10


def clean_year(year, *, field: str) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise DomainError("年度须为四位数字", field=field) from None
    if not 1980 <= value <= timezone.localdate().year + 1:
        raise DomainError(f"年度“{value}”不在合理范围内（1980 至明年）", field=field)
    return value


def _require_manager(actor, unit: Unit) -> None:
    if not permissions.can_manage_honours(actor, unit):
        raise NotPermitted(f"只有主管“{unit.name}”的创建办可以管理其文明单位")


@transaction.atomic
def create_civilized_unit(
    *,
    actor,
    name: str = "",
    level: str,
    year_awarded: int,
    unit: Unit | None = None,
    org_unit: Unit | None = None,
    note: str = "",
    is_demo: bool = False,
) -> CivilizedUnit:
    """Register a 文明单位 (有效). ``name`` defaults to the org unit's; ``unit`` (scope) to the org unit."""
    name = (name or "").strip() or (org_unit.name if org_unit else "")
    if not name:
        raise DomainError("请填写文明单位名称，或选择对应的组织机构单位", field="name")
    unit = unit or org_unit
    if unit is None:
        raise DomainError("请选择管理单位", field="unit")
    if org_unit is not None and not org_unit.path.startswith(unit.path):
        raise DomainError(f"对应单位“{org_unit.name}”不在管理单位“{unit.name}”之下", field="org_unit")
    if level not in HonourLevel.values:
        raise DomainError(f"未知的级别“{level}”：应为全国、省级、市级或县级", field="level")
    year_awarded = clean_year(year_awarded, field="year_awarded")
    _require_manager(actor, unit)
    if CivilizedUnit.objects.filter(name=name, level=level).exists():
        raise DomainError(f"{HonourLevel(level).label}文明单位“{name}”已登记", field="name")
    try:
        with transaction.atomic():
            honour = CivilizedUnit.objects.create(
                name=name[:120],
                org_unit=org_unit,
                unit=unit,
                level=level,
                year_awarded=year_awarded,
                note=(note or "").strip()[:500],
                is_demo=is_demo,
            )
    except IntegrityError:
        raise DomainError(f"{HonourLevel(level).label}文明单位“{name}”已登记", field="name") from None
    record(
        actor=actor,
        verb="civility.unit_created",
        target=honour,
        unit=unit,
        changes={"name": [None, honour.name], "level": [None, level], "year_awarded": [None, year_awarded]},
    )
    return honour


@transaction.atomic
def update_civilized_unit(*, actor, civilized_unit: CivilizedUnit, note: str, year_awarded: int) -> CivilizedUnit:
    """Edit the note and the year awarded; name, level and units are fixed (register anew instead)."""
    _require_manager(actor, civilized_unit.unit)
    honour = CivilizedUnit.objects.select_for_update(no_key=True).get(pk=civilized_unit.pk)
    year_awarded = clean_year(year_awarded, field="year_awarded")
    changes = {}
    for field, value in (("note", (note or "").strip()[:500]), ("year_awarded", year_awarded)):
        if getattr(honour, field) != value:
            changes[field] = [getattr(honour, field), value]
            setattr(honour, field, value)
    if changes:
        honour.save(update_fields=list(changes))
        record(actor=actor, verb="civility.unit_updated", target=honour, unit=honour.unit, changes=changes)
    return honour


@transaction.atomic
def warn_unit(*, actor, civilized_unit: CivilizedUnit, reason: str, deadline: date | None) -> CivilizedUnit:
    return workflow.transition(civilized_unit, workflow.Action.WARN, actor=actor, reason=reason, deadline=deadline)


@transaction.atomic
def lift_warning(*, actor, civilized_unit: CivilizedUnit, reason: str) -> CivilizedUnit:
    return workflow.transition(civilized_unit, workflow.Action.LIFT, actor=actor, reason=reason)


@transaction.atomic
def revoke_unit(*, actor, civilized_unit: CivilizedUnit, reason: str) -> CivilizedUnit:
    return workflow.transition(civilized_unit, workflow.Action.REVOKE, actor=actor, reason=reason)


@transaction.atomic
def record_review(
    *,
    actor,
    civilized_unit: CivilizedUnit,
    year: int,
    result: str,
    reasons: str = "",
    reviewed_on: date | None = None,
    files=(),
) -> Review:
    """The annual 复查 (one per year): result, reasons (required unless 合格) and evidence checked by content."""
    _require_manager(actor, civilized_unit.unit)
    honour = CivilizedUnit.objects.select_for_update(no_key=True).get(pk=civilized_unit.pk)
    if honour.status == "revoked":
        raise DomainError("文明单位已撤销，不再复查", field="year")
    year = clean_year(year, field="year")
    if year < honour.year_awarded:
        raise DomainError(f"复查年度不能早于命名年度{honour.year_awarded}", field="year")
    if result not in ReviewResult.values:
        raise DomainError(f"未知的复查结果“{result}”：应为合格、警示或不合格", field="result")
    reasons = (reasons or "").strip()
    if result != ReviewResult.PASSED and not reasons:
        raise DomainError(f"复查结果为“{ReviewResult(result).label}”时须填写理由", field="reasons")
    files = [f for f in files if f]
    if len(files) > MAX_EVIDENCE:
        raise DomainError(f"佐证材料最多{MAX_EVIDENCE}个文件", field="files")
    checked = [checked_file(f, field="files", kinds=EVIDENCE_KINDS) for f in files]
    if Review.objects.filter(civilized_unit=honour, year=year).exists():
        raise DomainError(f"{year}年度已有复查记录", field="year")
    review = Review.objects.create(
        civilized_unit=honour,
        year=year,
        result=result,
        reasons=reasons,
        reviewed_on=reviewed_on or timezone.localdate(),
        reviewed_by=actor,
    )
    for item in checked:
        ReviewEvidence.objects.create(
            review=review,
            file=item.content,
            kind=item.kind,
            original_name=item.original_name,
            sha256=item.sha256,
            size=item.size,
        )
    record(
        actor=actor,
        verb="civility.review_recorded",
        target=review,
        unit=honour.unit,
        changes={"year": [None, year], "result": [None, result], "files": [0, len(checked)]},
    )
    return review
