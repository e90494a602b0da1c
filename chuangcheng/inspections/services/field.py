"""Field work: the idempotent sync of a site visit from a phone, and findings → cases."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from chuangcheng.audit.services import record
from chuangcheng.core.errors import Conflict, DomainError, NotFound, NotPermitted
from chuangcheng.core.uploads import check_upload
from chuangcheng.inspections import casebridge
from chuangcheng.inspections.models import (
    Finding,
    FindingPhoto,
    FindingResult,
    InspectionRound,
    Observation,
    SiteVisit,
    VisitStatus,
)
from chuangcheng.inspections.permissions import can_inspect
from chuangcheng.inspections.services import observations as observing
from chuangcheng.standards.models import CheckItem, Judgement

MAX_PHOTOS_PER_ITEM = 6


@dataclass
class SyncResult:
    visit: SiteVisit
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    photos_created: int = 0
    cases: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "visit": self.visit.pk,
            "status": self.visit.status,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "photos_created": self.photos_created,
            "cases": self.cases,
        }


def checklist_items(visit: SiteVisit):
    """The round standard's check items for the visit's site category (plus the re-checked case's item)."""
    standard_id = visit.round.standard_id
    if standard_id is None:
        return CheckItem.objects.none()
    items = CheckItem.objects.filter(standard_id=standard_id, site_categories=visit.category_id)
    if visit.is_recheck and visit.recheck_case_id:
        from_case = casebridge.case_check_item_id(visit.recheck_case_id)
        if from_case:
            items = CheckItem.objects.filter(pk__in=items.values("pk")) | CheckItem.objects.filter(pk=from_case)
    return items.order_by("sort_order", "pk").distinct()


def decode_photo(data: str, *, field_name: str) -> ContentFile:
    """A ``data:image/...;base64,`` string (as phones store them offline) → a checked image file."""
    header, _, payload = (data or "").partition(",")
    if not header.startswith("data:") or ";base64" not in header:
        raise DomainError("照片格式不正确", field=field_name)
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError("照片数据损坏", field=field_name)
    upload = ContentFile(raw, name="photo.jpg")
    kind, _ = check_upload(upload, field=field_name, kinds=("image",))
    return upload


def _parse_uuid(value, field_name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise DomainError("客户端编号（UUID）不正确", field=field_name)


@transaction.atomic
def sync_visit(
    *,
    actor,
    visit: SiteVisit,
    items: list[dict],
    lng: float | None = None,
    lat: float | None = None,
    accuracy: float | None = None,
    note: str = "",
    complete: bool = True,
    observations: list[dict] | None = None,
) -> SyncResult:
    """Store a visit's results sent from a phone. Sending the same submission again changes nothing.

    Each item carries a client UUID (``uuid``), ``check_item``, ``result`` (pass/deduct), ``count``,
    ``note``, optional ``lng``/``lat`` and ``photos`` (each ``{uuid, data}``, data URL). A finding
    or photo whose UUID is known is not stored twice; a changed result for a known UUID replaces it
    while no case has been made from it. ``observations`` (each ``{uuid, check_item, seq, passed, note}``,
    passed true/false/null = 达标/不达标/不适用) are for observation-scored items: see ``observations.py``.
    """
    locked = (
        SiteVisit.objects.select_for_update(no_key=True, of=("self",)).select_related("round", "site").get(pk=visit.pk)
    )
    if not can_inspect(actor, locked):
        raise NotPermitted("您不是该点位的督查员，或本轮检查已结束")
    allowed = {item.pk: item for item in checklist_items(locked)}
    recorded = Finding.objects.filter(visit=locked).exists() or Observation.objects.filter(visit=locked).exists()
    if complete and allowed and not items and not observations and not recorded:
        # A phone that lost its answers must not close the visit: 已检查 with nothing recorded.
        raise DomainError(
            f"未收到任何检查项的结果：本点位有 {len(allowed)} 个检查项，请逐项选择“合格”或“扣分”后再提交",
            field="items",
        )
    result = SyncResult(visit=locked)
    for n, payload in enumerate(items):
        _sync_item(locked, payload, allowed, actor, result, prefix=f"items[{n}]")
    observing.sync_observations(locked, observations or [], allowed, actor, result, parse_uuid=_parse_uuid)
    if complete:
        observing.require_complete(locked, allowed)
    if (lng is None) != (lat is None):
        raise DomainError("经纬度须同时提供", field="lng")
    if lng is not None:
        locked.lng, locked.lat, locked.gps_accuracy = lng, lat, accuracy
    if note:
        locked.note = note
    first_completion = complete and locked.status != VisitStatus.DONE
    if complete:
        locked.status = VisitStatus.DONE
        locked.submitted_at = locked.submitted_at or timezone.now()
    locked.save()
    if complete and not locked.round.is_hidden:
        result.cases = _make_cases(Finding.objects.filter(visit=locked), actor) + observing.make_cases([locked], actor)
    if result.created or result.updated or result.photos_created or first_completion:
        record(
            actor=actor,
            verb="inspections.visit_synced",
            target=locked,
            unit=locked.unit,
            changes={
                "created": [None, result.created],
                "updated": [None, result.updated],
                "photos": [None, result.photos_created],
                "status": [None, locked.status],
            },
        )
    return result


def _sync_item(visit: SiteVisit, payload: dict, allowed: dict, actor, result: SyncResult, *, prefix: str) -> None:
    client_uuid = _parse_uuid(payload.get("uuid"), f"{prefix}.uuid")
    item = allowed.get(int(payload.get("check_item") or 0))
    if item is None:
        raise DomainError("检查项不适用于该点位类别", field=f"{prefix}.check_item")
    if item.judgement == Judgement.OBSERVE:
        raise DomainError("该测评标准按观察计分，请逐次选择“达标”或“不达标”", field=f"{prefix}.result")
    outcome = payload.get("result")
    if outcome not in FindingResult.values:
        raise DomainError("结果须为“合格”或“扣分”", field=f"{prefix}.result")
    count = int(payload.get("count") or 0) if outcome == FindingResult.DEDUCT else 0
    if outcome == FindingResult.DEDUCT and count < 1:
        raise DomainError("扣分项的处数至少为 1", field=f"{prefix}.count")
    values = {"result": outcome, "count": count, "note": (payload.get("note") or "")[:2000]}
    finding = Finding.objects.filter(client_uuid=client_uuid).first()
    if finding is None:
        finding = Finding.objects.filter(visit=visit, check_item=item).first()
    if finding is not None and finding.visit_id != visit.pk:
        raise Conflict("客户端编号已用于其他点位", field=f"{prefix}.uuid")
    created = False
    if finding is None:
        finding, created = insert_finding(visit, item, client_uuid, values, payload, actor)
        if finding.visit_id != visit.pk:
            raise Conflict("客户端编号已用于其他点位", field=f"{prefix}.uuid")
    if created:
        result.created.append(str(client_uuid))
    elif any(getattr(finding, k) != v for k, v in values.items()):
        if finding.case_id:
            raise Conflict("该检查结果已生成问题，不能再修改", field=f"{prefix}.result")
        for key, value in values.items():
            setattr(finding, key, value)
        finding.save(update_fields=list(values))
        result.updated.append(str(finding.client_uuid))
    else:
        result.unchanged.append(str(finding.client_uuid))
    photos = payload.get("photos") or []
    if len(photos) > MAX_PHOTOS_PER_ITEM:
        raise DomainError(f"每个检查项最多 {MAX_PHOTOS_PER_ITEM} 张照片", field=f"{prefix}.photos")
    for m, photo in enumerate(photos):
        photo_uuid = _parse_uuid(photo.get("uuid"), f"{prefix}.photos[{m}].uuid")
        if FindingPhoto.objects.filter(client_uuid=photo_uuid).exists():
            continue
        upload = decode_photo(photo.get("data"), field_name=f"{prefix}.photos[{m}]")
        taken = parse_datetime(photo.get("taken_at") or "") if photo.get("taken_at") else None
        try:
            with transaction.atomic():  # the same photo sent by two overlapping syncs is stored once
                FindingPhoto.objects.create(finding=finding, image=upload, client_uuid=photo_uuid, taken_at=taken)
        except IntegrityError:
            continue
        result.photos_created += 1


def insert_finding(visit: SiteVisit, item, client_uuid, values: dict, payload: dict, actor) -> tuple[Finding, bool]:
    """Insert a finding, or return the one an overlapping sync of the same visit inserted first.

    Two syncs of one visit can overlap (a phone retrying while its first request is still running); where
    the database does not serialise them on the visit row (SQLite), the second insert hits the unique
    (visit, check item) or client-UUID constraint and takes the first one's row instead of failing.
    """
    try:
        with transaction.atomic():
            finding = Finding.objects.create(
                visit=visit,
                check_item=item,
                client_uuid=client_uuid,
                points=item.points,
                cap_per_site=item.cap_per_site,
                is_negative_list=item.is_negative_list,
                is_veto=item.is_veto,
                lng=payload.get("lng"),
                lat=payload.get("lat"),
                recorded_by=actor,
                **values,
            )
        return finding, True
    except IntegrityError:
        existing = (
            Finding.objects.filter(client_uuid=client_uuid).first()
            or Finding.objects.filter(visit=visit, check_item=item).first()
        )
        if existing is None:
            raise
        return existing, False


def _make_cases(findings, actor) -> list[int]:
    made = []
    pending = findings.filter(result=FindingResult.DEDUCT, case_id__isnull=True).select_related(
        "visit__round", "visit__site", "visit__category", "visit__area", "check_item"
    )
    for finding in pending.prefetch_related("photos"):
        case = casebridge.case_for_finding(finding=finding, actor=actor)
        finding.case_id = case.pk
        finding.save(update_fields=["case_id"])
        made.append(case.pk)
    return made


def cases_for_findings(*, round_: InspectionRound, actor) -> int:
    """Make the cases of every deduction and failed observation group of the round that has none yet
    (called on publication)."""
    findings = Finding.objects.filter(visit__round=round_, visit__status=VisitStatus.DONE)
    done = SiteVisit.objects.filter(round=round_, status=VisitStatus.DONE)
    return len(_make_cases(findings, actor)) + len(observing.make_cases(done, actor))


def get_visit_for_sync(user, visit_id) -> SiteVisit:
    try:
        return SiteVisit.objects.visible_to(user).select_related("round").get(pk=int(visit_id))
    except (SiteVisit.DoesNotExist, TypeError, ValueError):
        raise NotFound()
