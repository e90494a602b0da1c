"""Grid patrol: report a problem (it becomes a case) or fix it on the spot (自处理) with before/after photos."""

from __future__ import annotations

import uuid

from django.db import transaction

from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.uploads import check_upload
from chuangcheng.inspections import casebridge
from chuangcheng.inspections.models import PatrolKind, PatrolPhoto, PatrolRecord
from chuangcheng.inspections.permissions import can_patrol


@transaction.atomic
def record_patrol(
    *,
    actor,
    area,
    kind: str,
    description: str,
    client_uuid: uuid.UUID | str,
    category=None,
    check_item=None,
    lng: float | None = None,
    lat: float | None = None,
    photos_before=(),
    photos_after=(),
) -> PatrolRecord:
    """Store one patrol entry; the same ``client_uuid`` sent again returns the stored entry unchanged."""
    if not can_patrol(actor):
        raise NotPermitted("只有网格员或创建办可以记录网格巡查")
    try:
        client_uuid = uuid.UUID(str(client_uuid))
    except ValueError:
        raise DomainError("客户端编号（UUID）不正确", field="client_uuid")
    existing = PatrolRecord.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        return existing
    if kind not in PatrolKind.values:
        raise DomainError("请选择上报问题或自处理", field="kind")
    if not (description or "").strip():
        raise DomainError("请描述问题", field="description")
    if (lng is None) != (lat is None):
        raise DomainError("经纬度须同时提供", field="lng")
    if kind == PatrolKind.SELF_FIX and (not photos_before or not photos_after):
        raise DomainError("自处理须上传处置前和处置后的照片", field="photos_after")
    if kind == PatrolKind.REPORT and not photos_before:
        raise DomainError("请上传问题照片", field="photos_before")
    checked = [("before", check_upload(p, field="photos_before", kinds=("image",)), p) for p in photos_before]
    checked += [("after", check_upload(p, field="photos_after", kinds=("image",)), p) for p in photos_after]
    entry = PatrolRecord.objects.create(
        area=area,
        unit=area.unit,
        kind=kind,
        category=category,
        check_item=check_item,
        description=description.strip(),
        lng=lng,
        lat=lat,
        client_uuid=client_uuid,
        reporter=actor,
    )
    for photo_kind, _, upload in checked:
        PatrolPhoto.objects.create(record=entry, image=upload, kind=photo_kind)
    if kind == PatrolKind.REPORT:
        case = casebridge.case_for_patrol(entry=entry, actor=actor)
        entry.case_id = case.pk
        entry.save(update_fields=["case_id"])
    record(
        actor=actor,
        verb="inspections.patrol_recorded",
        target=entry,
        unit=entry.unit,
        changes={"kind": [None, kind], "area": [None, area.pk], "case": [None, entry.case_id]},
    )
    return entry
