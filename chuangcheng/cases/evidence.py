"""Photos as evidence: checked by content, size-capped, EXIF read then stripped, thumbnailed,
perceptual-hashed, and flagged for the verifier.

Flags (``CasePhoto.flags``): ``taken_before_case`` (EXIF time before the case was
reported), ``far_from_case`` (EXIF GPS farther than ``CASE_PHOTO_MAX_DISTANCE_M``
from the case), ``reused_image`` (the same perceptual hash already used as
evidence, on this or another case), ``same_as_before`` (the case's own 问题照片, or a near copy of it:
perceptual hashes within ``CASE_PHOTO_SIMILAR_BITS`` bits), ``no_exif_time`` / ``no_exif_gps``.
Rectification photos and the verifier's on-site photos are checked; 问题照片 are not.
"""

from __future__ import annotations

import hashlib
import io
import math
from datetime import datetime

import imagehash
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import ExifTags, Image, ImageOps

from chuangcheng.cases.conf import setting
from chuangcheng.cases.models import Case, CasePhoto, PhotoKind
from chuangcheng.core.errors import DomainError
from chuangcheng.core.uploads import check_upload

FLAG_LABELS = {
    "taken_before_case": "拍摄时间早于问题上报时间",
    "far_from_case": "拍摄位置距问题地点过远",
    "reused_image": "与已用过的整改照片相同（疑似重复使用）",
    "same_as_before": "与本案问题照片相同或近似（疑似以整改前照片充当整改后照片）",
    "no_exif_time": "照片无拍摄时间信息",
    "no_exif_gps": "照片无定位信息",
}
THUMB_SIZE = (320, 320)
CHECKED_KINDS = (PhotoKind.EVIDENCE, PhotoKind.VERIFY)
GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def distance_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    radius = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius * math.asin(math.sqrt(a))


def _ratio(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        num, den = value
        return num / den


def _gps_degrees(values, ref) -> float | None:
    try:
        degrees = _ratio(values[0]) + _ratio(values[1]) / 60 + _ratio(values[2]) / 3600
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return None
    if isinstance(ref, bytes):
        ref = ref.decode(errors="ignore")
    return -degrees if ref in ("S", "W") else degrees


def read_exif(image: Image.Image) -> tuple[datetime | None, float | None, float | None]:
    """``(taken_at, lng, lat)`` from EXIF, each None when absent or unreadable."""
    exif = image.getexif()
    taken_at = None
    raw = exif.get_ifd(EXIF_IFD).get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if raw:
        try:
            naive = datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
            taken_at = timezone.make_aware(naive, timezone.get_default_timezone())
        except ValueError:
            taken_at = None
    gps = exif.get_ifd(GPS_IFD)
    lat = lng = None
    if gps:
        lat = _gps_degrees(gps.get(2), gps.get(1)) if gps.get(2) else None
        lng = _gps_degrees(gps.get(4), gps.get(3)) if gps.get(4) else None
    return taken_at, lng, lat


def _encode(image: Image.Image, *, size=None) -> bytes:
    """Re-encode as JPEG without any metadata (EXIF/GPS are dropped)."""
    copy = ImageOps.exif_transpose(image).convert("RGB")
    if size:
        copy.thumbnail(size)
    out = io.BytesIO()
    copy.save(out, format="JPEG", quality=85)
    return out.getvalue()


def similar_hashes(first: str, second: str, *, bits: int | None = None) -> bool:
    """Two perceptual hashes (hex) at most ``bits`` (default ``CASE_PHOTO_SIMILAR_BITS``) apart."""
    bits = setting("CASE_PHOTO_SIMILAR_BITS") if bits is None else bits
    try:
        return imagehash.hex_to_hash(first) - imagehash.hex_to_hash(second) <= bits
    except (TypeError, ValueError):
        return False


def is_before_photo_copy(case: Case, phash: str) -> bool:
    """``phash`` is the case's own 问题照片 or a near copy of it (re-encoded, resized)."""
    if not phash or case.pk is None:
        return False
    befores = CasePhoto.objects.filter(case_id=case.pk, kind=PhotoKind.BEFORE).exclude(phash="")
    return any(similar_hashes(phash, other) for other in befores.values_list("phash", flat=True))


def flags_for(case: Case, *, kind: str, taken_at, lng, lat, phash: str) -> list[str]:
    if kind not in CHECKED_KINDS:
        return []
    flags = []
    if taken_at is None:
        flags.append("no_exif_time")
    elif case.created_at and taken_at < case.created_at:
        flags.append("taken_before_case")
    if lng is None or lat is None:
        flags.append("no_exif_gps")
    elif case.lng is not None and case.lat is not None:
        if distance_m(lng, lat, case.lng, case.lat) > setting("CASE_PHOTO_MAX_DISTANCE_M"):
            flags.append("far_from_case")
    if phash and CasePhoto.objects.filter(kind=PhotoKind.EVIDENCE, phash=phash).exists():
        flags.append("reused_image")
    if is_before_photo_copy(case, phash):
        flags.append("same_as_before")
    return flags


def add_photo(*, case: Case, upload, kind: str, actor, attempt: int = 1) -> CasePhoto:
    """Store one photo (caller holds the transaction); raise ``DomainError`` for a bad file."""
    field = "photos" if kind == PhotoKind.BEFORE else "evidence"
    _kind, data = check_upload(upload, field=field, kinds=("image",), max_bytes=setting("CASE_PHOTO_MAX_BYTES"))
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as exc:  # Pillow raises many types for broken files
        raise DomainError("图片无法读取，请重新拍摄或上传", field=field) from exc
    taken_at, lng, lat = read_exif(image)
    phash = str(imagehash.phash(image))
    digest = hashlib.sha256(data).hexdigest()
    photo = CasePhoto(
        case=case,
        kind=kind,
        attempt=attempt,
        taken_at=taken_at,
        lng=lng,
        lat=lat,
        phash=phash,
        sha256=digest,
        flags=flags_for(case, kind=kind, taken_at=taken_at, lng=lng, lat=lat, phash=phash),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    stem = digest[:16]
    photo.image.save(f"{stem}.{image.format.lower() if image.format else 'jpg'}", ContentFile(data), save=False)
    photo.public_image.save(f"{stem}.jpg", ContentFile(_encode(image)), save=False)
    photo.thumbnail.save(f"{stem}.jpg", ContentFile(_encode(image, size=THUMB_SIZE)), save=False)
    photo.save()
    return photo
