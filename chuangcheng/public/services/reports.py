"""Citizen intake: a report without an account, its photos, and "me too"."""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Length
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.core.cache import safe_add
from chuangcheng.core.errors import Conflict, DomainError
from chuangcheng.core.uploads import check_upload
from chuangcheng.places import lookup
from chuangcheng.places.addresses import match_address
from chuangcheng.public import casebridge, ratelimit
from chuangcheng.public.models import Report, ReportChannel, ReportPhoto, ReportStatus
from chuangcheng.public.photos import public_copy
from chuangcheng.public.privacy import is_mobile, keyed_hash, normalise_phone, phone_hash

MAX_PHOTOS = 6
MAX_DESCRIPTION = 4000


OUTSIDE_CITY = "所选位置不在本市管辖范围内，请在地图上重新点选问题所在位置"


def locate_point(lng: float, lat: float):
    """``(smallest area, territorial unit)`` for the point; the unit is the nearest owner up the chain.
    A point outside every area is refused (once the city has areas at all)."""
    areas = lookup.locate(lng, lat)
    if not areas:
        if lookup.get_index().size:
            raise DomainError(OUTSIDE_CITY, field="lat")
        return None, None
    return areas[0], next((area.unit for area in areas if area.unit_id), None)


def place_by_address(address: str):
    """``(area, territorial unit)`` the address text names (a site's or an area's), else ``(None, None)``:
    the report then waits for the office to place it on the map."""
    found = match_address(address)
    return (found.area, found.unit) if found is not None else (None, None)


def _next_number() -> str:
    prefix = "SP" + timezone.localdate().strftime("%Y%m%d")
    # Longest first, then highest: past 9,999 a day the counter widens ("…10000" sorts before "…9999" as text).
    last = (
        Report.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def follow_code_hash(number: str, code: str) -> str:
    return keyed_hash("follow", f"{number}:{code}")


def _check_location(lng, lat, address: str) -> None:
    if lng is None or lat is None:
        if lng is not None or lat is not None:
            raise DomainError("经纬度须同时提供", field="lat")
        if not address.strip():
            raise DomainError("请在地图上点选位置，或填写地点描述", field="address")
        return
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise DomainError("经纬度超出范围", field="lat")


def _store_photos(report: Report, blobs: list[bytes]) -> None:
    for index, data in enumerate(blobs):
        published, width, height = public_copy(data)
        photo = ReportPhoto(report=report, width=width, height=height, sort_order=index)
        photo.original.save(f"{index + 1}.bin", ContentFile(data), save=False)
        photo.public_image.save(f"{index + 1}.jpg", ContentFile(published), save=False)
        photo.save()


@transaction.atomic
def submit_report(
    *,
    category,
    description: str,
    lng: float | None = None,
    lat: float | None = None,
    address: str = "",
    photos=(),
    phone: str = "",
    name: str = "",
    email: str = "",
    device_id: str = "",
    attributes: dict | None = None,
    channel: str = ReportChannel.WEB,
    api_key=None,
    token: str = "",
    client_address: str = "",
    actor=None,
) -> tuple[Report, str]:
    """Create a pending report; returns ``(report, follow_code)``. The code is shown once and only
    its hash is kept. Photos are checked by content and published only as EXIF-free copies."""
    description = (description or "").strip()
    if len(description) < 5:
        raise DomainError("请用至少 5 个字描述问题", field="description")
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(f"问题描述不能超过 {MAX_DESCRIPTION} 字", field="description")
    if category is None:
        raise DomainError("请选择问题类别", field="category")
    _check_location(lng, lat, address)
    phone = normalise_phone(phone)
    if phone and not is_mobile(phone):
        raise DomainError("手机号格式不正确（11 位手机号）", field="phone")
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(f"最多上传 {MAX_PHOTOS} 张照片", field="photos")
    blobs = [check_upload(photo, field="photos", kinds=("image",))[1] for photo in photos]
    address_hash = keyed_hash("addr", client_address)
    ratelimit.check_and_hit({"report:addr": address_hash, "report:phone": phone_hash(phone)})
    area, unit = locate_point(lng, lat) if lng is not None else place_by_address(address)
    code = f"{secrets.randbelow(10**6):06d}"
    report = None
    for _attempt in range(5):
        number = _next_number()
        report = Report(
            number=number,
            follow_code_hash=follow_code_hash(number, code),
            channel=channel,
            category=category,
            lng=lng,
            lat=lat,
            address=address.strip()[:200],
            area=area,
            unit=unit,
            description=description,
            attributes=attributes or {},
            reporter_name=name.strip()[:50],
            reporter_phone=phone,
            phone_hash=phone_hash(phone),
            email=email.strip()[:100],
            device_id=device_id.strip()[:100],
            address_hash=address_hash,
            api_key=api_key,
            token=token,
        )
        try:
            with transaction.atomic():
                report.save()
            break
        except IntegrityError:
            continue
    else:
        raise Conflict("系统繁忙，请重试")
    _store_photos(report, blobs)
    record(
        actor=actor,
        verb="public.report_submitted",
        target=report,
        unit=report.unit,
        changes={
            "number": [None, report.number],
            "category": [None, category.pk],
            "channel": [None, channel],
            "photos": [None, len(blobs)],
        },
    )
    return report, code


@transaction.atomic
def add_interest(*, report: Report, client_address: str = "", device_id: str = "", actor=None) -> Report:
    """ "我也遇到": one more person affected by an accepted open problem, once per address/device."""
    report = Report.objects.select_for_update(no_key=True).get(pk=report.pk)
    if report.status != ReportStatus.ACCEPTED or not casebridge.state_of(report).is_open:
        raise Conflict("该问题已办结或尚未公开")
    ident = keyed_hash("addr", client_address) + keyed_hash("device", device_id)
    ratelimit.check_and_hit({"metoo:addr": keyed_hash("addr", client_address)})
    seen_key = f"public-metoo:{report.pk}:{ident}"
    if not safe_add(seen_key, 1, 30 * 24 * 3600):
        raise Conflict("您已表示遇到过该问题，感谢反馈")
    Report.objects.filter(pk=report.pk).update(interest_count=F("interest_count") + 1)
    report.refresh_from_db(fields=["interest_count"])
    record(
        actor=actor,
        verb="public.report_interest_added",
        target=report,
        unit=report.unit,
        changes={"interest_count": [report.interest_count - 1, report.interest_count]},
    )
    return report
