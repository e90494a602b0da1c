"""Writes for the archive: assignments, uploads, two-stage review (一审/二审), resubmission, withdrawal."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.permissions import is_office_for, require_in_jurisdiction
from chuangcheng.audit.services import record
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.dossiers import permissions
from chuangcheng.dossiers.completeness import applies, refresh_completeness
from chuangcheng.dossiers.files import checked_file
from chuangcheng.dossiers.models import (
    Material,
    MaterialAssignment,
    MaterialReview,
    MaterialStatus,
    ReviewDecision,
    ReviewStage,
)
from chuangcheng.programs.services import require_campaign, require_within

MIN_YEAR = 2000


def _check_year(year: int) -> None:
    if not MIN_YEAR <= int(year) <= timezone.localdate().year + 1:
        raise DomainError(f"年度须在{MIN_YEAR}年至{timezone.localdate().year + 1}年之间", field="year")


def _refresh(material: Material) -> None:
    refresh_completeness(unit_ids=[material.unit_id], requirement_ids=[material.requirement_id])


@transaction.atomic
def assign_requirement(*, actor, requirement, units: Iterable, campaign=None) -> list[MaterialAssignment]:
    """Make units responsible for a requirement; existing assignments are kept (idempotent).

    With a campaign, the requirement must belong to the campaign's standard and the units to its subtree.
    """
    if not permissions.can_manage_assignments(actor):
        raise NotPermitted("只有创建办可以分解资料任务")
    units = list(units)
    require_in_jurisdiction(actor, units, field="units", label="单位")
    campaign = require_campaign(actor, campaign)
    if campaign is not None and requirement.standard_id != campaign.standard_id:
        raise DomainError(f"资料要求“{requirement}”不属于创建活动“{campaign.name}”的评价标准", field="requirement")
    require_within(campaign, units, field="units", what="责任单位")
    existing = set(MaterialAssignment.objects.filter(requirement=requirement).values_list("unit_id", flat=True))
    new = [
        MaterialAssignment(requirement=requirement, unit=unit, campaign=campaign)
        for unit in units
        if unit.pk not in existing
    ]
    MaterialAssignment.objects.bulk_create(new)
    refresh_completeness(unit_ids=[unit.pk for unit in units], requirement_ids=[requirement.pk])
    if new:
        record(
            actor=actor,
            verb="dossiers.requirement_assigned",
            target=requirement,
            changes={"units": [sorted(existing), sorted(existing | {a.unit_id for a in new})]},
        )
    return new


@transaction.atomic
def unassign_requirement(*, actor, assignment: MaterialAssignment) -> None:
    if not permissions.can_manage_assignments(actor) or not is_office_for(actor, assignment.unit_id):
        raise NotPermitted("只有创建办可以分解资料任务")
    record(
        actor=actor,
        verb="dossiers.requirement_unassigned",
        target=assignment.requirement,
        unit=assignment.unit,
        changes={"unit": [assignment.unit_id, None]},
    )
    assignment.delete()
    refresh_completeness(unit_ids=[assignment.unit_id], requirement_ids=[assignment.requirement_id])


@transaction.atomic
def upload_material(*, actor, requirement, unit, year: int, file, title: str = "") -> Material:
    """A unit submits a file for a requirement and a year; the file is checked by its content."""
    if not permissions.can_upload_for(actor, unit):
        raise NotPermitted("只能为本单位（或下级单位）上传资料")
    _check_year(year)
    if not MaterialAssignment.objects.filter(requirement=requirement, unit=unit).exists():
        raise DomainError(f"{unit.name}未承担“{requirement.title}”资料任务", field="requirement")
    this_year = timezone.localdate().year
    if not applies(requirement.years, int(year), this_year):
        first = this_year - requirement.years + 1
        raise DomainError(f"“{requirement.title}”只需报送近{requirement.years}年（{first}年起）的资料", field="year")
    checked = checked_file(file, field="file")
    duplicate = (
        Material.objects.filter(requirement=requirement, unit=unit, year=year, sha256=checked.sha256)
        .exclude(status=MaterialStatus.RETURNED)
        .exists()
    )
    if duplicate:
        raise Conflict("同一文件已上传过，请勿重复上传", field="file")
    material = Material.objects.create(
        requirement=requirement,
        unit=unit,
        year=year,
        title=(title.strip() or checked.original_name.rsplit(".", 1)[0])[:200],
        file=checked.content,
        original_name=checked.original_name,
        kind=checked.kind,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    record(
        actor=actor,
        verb="dossiers.material_uploaded",
        target=material,
        unit=unit,
        changes={"requirement": [None, requirement.pk], "year": [None, year], "sha256": [None, checked.sha256]},
    )
    _refresh(material)
    return material


@transaction.atomic
def review_material(*, material: Material, actor, decision: str, reason: str = "") -> Material:
    """一审 then 二审 by two different office reviewers; either may return the file with a reason."""
    if not permissions.can_review(actor) or not is_office_for(actor, material.unit_id):
        raise NotPermitted("只有创建办可以审核资料")
    if decision not in ReviewDecision.values:
        raise DomainError("审核结论须为“通过”或“退回”", field="decision")
    reason = reason.strip()
    if decision == ReviewDecision.RETURN and not reason:
        raise DomainError("退回须填写原因", field="reason")
    material = Material.objects.select_for_update(no_key=True).get(pk=material.pk)
    if material.status not in (MaterialStatus.SUBMITTED, MaterialStatus.FIRST_PASSED):
        raise Conflict(f"该资料{material.get_status_display()}，不能再审核", field="decision")
    if material.uploaded_by_id == actor.pk:
        raise NotPermitted("不能审核自己上传的资料")
    stage = ReviewStage.FIRST if material.status == MaterialStatus.SUBMITTED else ReviewStage.SECOND
    if stage == ReviewStage.SECOND and material.first_reviewer_id == actor.pk:
        raise NotPermitted("二审须由一审以外的人员进行")
    old_status, now = material.status, timezone.now()
    if decision == ReviewDecision.RETURN:
        material.status = MaterialStatus.RETURNED
        material.reason = reason
        material.reviewer, material.reviewed_at = actor, now
    elif stage == ReviewStage.FIRST:
        material.status = MaterialStatus.FIRST_PASSED
        material.first_reviewer, material.first_reviewed_at = actor, now
    else:
        material.status = MaterialStatus.APPROVED
        material.reviewer, material.reviewed_at = actor, now
    material.save()
    MaterialReview.objects.create(
        material=material,
        stage=stage,
        decision=decision,
        reviewer=actor,
        reason=reason,
        sha256=material.sha256,
        at=now,
    )
    record(
        actor=actor,
        verb=f"dossiers.material_{'returned' if decision == 'return' else 'approved'}",
        target=material,
        unit=material.unit,
        changes={"status": [old_status, material.status], "stage": [None, stage], "reason": [None, reason]},
    )
    _refresh(material)
    return material


@transaction.atomic
def resubmit_material(*, material: Material, actor, file, title: str = "") -> Material:
    """Replace a returned file; review starts again at 一审 and earlier decisions stay in the history."""
    material = Material.objects.select_for_update(no_key=True, of=("self",)).select_related("unit").get(pk=material.pk)
    if not permissions.can_upload_for(actor, material.unit):
        raise NotPermitted("只能为本单位（或下级单位）上传资料")
    if material.status != MaterialStatus.RETURNED:
        raise Conflict("只有被退回的资料可以重新提交", field="file")
    checked = checked_file(file, field="file")
    if checked.sha256 == material.sha256:
        raise DomainError("重新提交的文件与被退回的文件相同", field="file")
    old_file, old_hash = material.file.name, material.sha256
    material.file = checked.content
    material.original_name, material.kind = checked.original_name, checked.kind
    material.size, material.sha256 = checked.size, checked.sha256
    material.title = (title.strip() or material.title)[:200]
    material.status = MaterialStatus.SUBMITTED
    material.first_reviewer = material.reviewer = None
    material.first_reviewed_at = material.reviewed_at = None
    material.uploaded_by, material.uploaded_at = actor, timezone.now()
    material.reason = ""
    material.save()
    record(
        actor=actor,
        verb="dossiers.material_resubmitted",
        target=material,
        unit=material.unit,
        changes={"sha256": [old_hash, material.sha256], "status": ["returned", "submitted"]},
    )
    transaction.on_commit(lambda: material.file.storage.delete(old_file))
    _refresh(material)
    return material


@transaction.atomic
def withdraw_material(*, material: Material, actor) -> None:
    """Take back a file not yet reviewed (or returned); approved materials stay in the archive."""
    material = Material.objects.select_for_update(no_key=True, of=("self",)).select_related("unit").get(pk=material.pk)
    if not permissions.can_upload_for(actor, material.unit):
        raise NotPermitted("只能撤回本单位的资料")
    if material.status not in (MaterialStatus.SUBMITTED, MaterialStatus.RETURNED):
        raise Conflict("已进入审核的资料不能撤回")
    name, storage = material.file.name, material.file.storage
    record(
        actor=actor,
        verb="dossiers.material_withdrawn",
        target=material,
        unit=material.unit,
        changes={"status": [material.status, None], "sha256": [material.sha256, None]},
    )
    unit_id, requirement_id = material.unit_id, material.requirement_id
    material.delete()
    refresh_completeness(unit_ids=[unit_id], requirement_ids=[requirement_id])
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def log_archive_export(*, actor, count: int, size: int) -> None:
    """Exports of the archive are recorded like writes: who took which files out."""
    record(
        actor=actor,
        verb="dossiers.archive_exported",
        target_type="dossiers.material",
        changes={"files": [0, count], "bytes": [0, size]},
    )
