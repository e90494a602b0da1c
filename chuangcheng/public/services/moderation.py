"""Moderation: accept (publish, open a case), reject, edit the public text, redact photos.
The original description and photos are never modified."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.public import casebridge
from chuangcheng.public.models import NoticeEvent, Report, ReportPhoto, ReportStatus
from chuangcheng.public.permissions import can_moderate
from chuangcheng.public.photos import clean_rectangles, public_copy
from chuangcheng.public.services.feedback import award_points
from chuangcheng.public.services.notices import produce_acceptance_notices, produce_notice
from chuangcheng.public.services.reports import locate_point

ACCEPTED_FIELDS = ("public_description", "status", "moderated_by", "moderated_at", "moderation_note")
NOT_PLACED = "该随手拍只有地点描述，未能匹配到区域或点位：请先在地图上点选位置（或填写经纬度）并保存，再受理"


def _require_moderator(actor) -> None:
    if not can_moderate(actor):
        raise NotPermitted("只有创建办可以审核市民随手拍")


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update(no_key=True).get(pk=report.pk)


@transaction.atomic
def accept_report(*, report: Report, actor, public_description: str | None = None, note: str = "") -> Report:
    """Publish the report on the exposure board and open a case for it (source: citizen).

    The report is read once, under lock, with what the case and the answer need (category, area, unit, photos);
    it is written once, with its case; points, the reporter's notices (已受理, 已派遣) and the audit row follow in
    one statement each. Returns the report with its case, as the API answers it."""
    _require_moderator(actor)
    report = (
        Report.objects.select_for_update(no_key=True, of=("self",))
        .select_related("category", "area", "unit")
        .defer("area__geometry")  # the case takes the area's id; its outline can be large
        .prefetch_related("photos")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.PENDING:
        raise Conflict(f"该随手拍已{report.get_status_display()}，不能重复审核")
    if report.lng is None and report.area_id is None:
        raise DomainError(NOT_PLACED, field="lat")
    old_public = report.public_description
    if public_description is not None:
        report.public_description = public_description.strip()
    report.status = ReportStatus.ACCEPTED
    report.moderated_by = actor
    report.moderated_at = timezone.now()
    report.moderation_note = note.strip()[:500]
    case = casebridge.open_case_for_report(report=report, actor=actor, save=False)
    report.save(update_fields=[*ACCEPTED_FIELDS, "case", "updated_at"])
    award_points(report=report)
    produce_acceptance_notices(report=report, case=case)
    record(
        actor=actor,
        verb="public.report_accepted",
        target=report,
        unit=report.unit_id,
        changes={
            "status": [ReportStatus.PENDING, ReportStatus.ACCEPTED],
            "public_description": [old_public, report.public_description],
        },
    )
    return report


@transaction.atomic
def place_report(*, report: Report, actor, lng: float | None, lat: float | None) -> Report:
    """The office puts a waiting report on the map (an address-only report, or a point to correct):
    the area and territorial unit follow the point; a point outside the city's areas is refused."""
    _require_moderator(actor)
    if lng is None or lat is None:
        raise DomainError("请在地图上点选位置，或同时填写经度和纬度", field="lat")
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise DomainError("经纬度超出范围（经度 -180~180，纬度 -90~90）", field="lat")
    report = _lock(report)
    if report.status != ReportStatus.PENDING:
        raise Conflict(f"该随手拍已{report.get_status_display()}，不能再修改位置", field="lat")
    area, unit = locate_point(lng, lat)
    old = {"lng": report.lng, "lat": report.lat, "area": report.area_id, "unit": report.unit_id}
    report.lng, report.lat, report.area, report.unit = lng, lat, area, unit
    report.save(update_fields=["lng", "lat", "area", "unit", "updated_at"])
    new = {"lng": lng, "lat": lat, "area": report.area_id, "unit": report.unit_id}
    record(
        actor=actor,
        verb="public.report_placed",
        target=report,
        unit=report.unit,
        changes={key: [old[key], new[key]] for key in new if old[key] != new[key]},
    )
    return report


@transaction.atomic
def reject_report(*, report: Report, actor, note: str) -> Report:
    _require_moderator(actor)
    if not note.strip():
        raise DomainError("请填写不予受理的原因", field="note")
    report = _lock(report)
    if report.status != ReportStatus.PENDING:
        raise Conflict(f"该随手拍已{report.get_status_display()}，不能重复审核")
    report.status = ReportStatus.REJECTED
    report.moderated_by = actor
    report.moderated_at = timezone.now()
    report.moderation_note = note.strip()[:500]
    report.save()
    record(
        actor=actor,
        verb="public.report_rejected",
        target=report,
        unit=report.unit,
        changes={"status": [ReportStatus.PENDING, ReportStatus.REJECTED], "note": [None, report.moderation_note]},
    )
    produce_notice(report=report, event=NoticeEvent.REJECTED, key="rejected")
    return report


@transaction.atomic
def edit_public_text(*, report: Report, actor, public_description: str) -> Report:
    _require_moderator(actor)
    report = _lock(report)
    old = report.public_description
    report.public_description = public_description.strip()
    report.save(update_fields=["public_description", "updated_at"])
    record(
        actor=actor,
        verb="public.report_text_moderated",
        target=report,
        unit=report.unit,
        changes={"public_description": [old, report.public_description]},
    )
    return report


@transaction.atomic
def redact_photo(*, photo: ReportPhoto, actor, rectangles) -> ReportPhoto:
    """Replace the public copy by one with the rectangles painted over (original pixel coordinates).
    An empty list restores the plain copy. The original file stays as it was."""
    _require_moderator(actor)
    photo = ReportPhoto.objects.select_for_update(no_key=True).select_related("report").get(pk=photo.pk)
    cleaned = clean_rectangles(rectangles, photo.width, photo.height)
    with photo.original.open("rb") as handle:
        data = handle.read()
    published, _, _ = public_copy(data, cleaned)
    old = photo.redactions
    old_name = photo.public_image.name
    photo.public_image.save(f"{photo.sort_order + 1}.jpg", ContentFile(published), save=False)
    photo.redactions = cleaned
    photo.save(update_fields=["public_image", "redactions"])
    storage = photo.public_image.storage
    transaction.on_commit(lambda: storage.delete(old_name) if old_name and storage.exists(old_name) else None)
    record(
        actor=actor,
        verb="public.photo_redacted",
        target=photo.report,
        unit=photo.report.unit,
        changes={"photo": [photo.pk, photo.pk], "redactions": [old, cleaned]},
    )
    return photo
