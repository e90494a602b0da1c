"""Upload checks by content, not by name: kind detection, a size cap, and a pixel budget for images.

A PNG of 20 kB can declare 13 000 × 13 000 pixels and cost a worker a gigabyte to decode; so an image's
declared size is read from its header (Pillow's ``Image.open`` is lazy and decodes nothing) and refused
above ``UPLOAD_MAX_PIXELS`` (50 megapixels by default: phone photos are 12 to 48), before anything decodes
it. ``Image.MAX_IMAGE_PIXELS`` is set to the same budget, so a decode elsewhere refuses it too.
"""

from __future__ import annotations

import io
import zipfile

import filetype
from django.conf import settings
from PIL import Image

from chuangcheng.core.errors import DomainError

KIND_LABELS = {
    "image": "图片（JPEG/PNG/WebP）",
    "pdf": "PDF",
    "docx": "Word（.docx）",
    "xlsx": "Excel（.xlsx）",
}
IMAGE_MIMES = {"image/jpeg", "image/png", "image/webp"}
DEFAULT_MAX_PIXELS = 50_000_000


def max_pixels() -> int:
    return int(getattr(settings, "UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS))


# Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that, wherever an image is opened.
Image.MAX_IMAGE_PIXELS = max_pixels()


def check_pixels(data: bytes, *, field: str) -> None:
    """Refuse an image whose header declares more pixels than the budget.

    A header Pillow cannot read is left to the code that uses the image (it was accepted by its signature).
    """
    limit = max_pixels()
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height = image.size
    except Image.DecompressionBombError:  # beyond twice the budget: Pillow refuses on open
        width = height = None
    except (OSError, ValueError, SyntaxError):
        return
    if width is None or width * height > limit:
        declared = f"（{width}×{height}）" if width else ""
        raise DomainError(
            f"图片像素过多{declared}：不能超过 {limit / 1_000_000:g} 百万像素，请压缩或缩小后再上传",
            field=field,
        )


def detect_kind(head: bytes, data: bytes | None = None) -> str | None:
    """Return ``image``, ``pdf``, ``docx``, ``xlsx`` or None from the bytes themselves."""
    guess = filetype.guess(head)
    if guess is not None and guess.mime in IMAGE_MIMES:
        return "image"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and data is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def check_upload(upload, *, field: str, kinds: tuple[str, ...], max_bytes: int | None = None) -> tuple[str, bytes]:
    """Validate an uploaded file; return ``(kind, data)`` or raise ``DomainError`` naming the field."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise DomainError(f"文件过大：不能超过 {limit // (1024 * 1024)} MB", field=field)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise DomainError(f"文件过大：不能超过 {limit // (1024 * 1024)} MB", field=field)
    if not data:
        raise DomainError("文件为空", field=field)
    kind = detect_kind(data[:262], data)
    if kind not in kinds:
        allowed = "、".join(KIND_LABELS[k] for k in kinds)
        raise DomainError(f"文件类型不符：只接受 {allowed}（按文件内容判断）", field=field)
    if kind == "image":
        check_pixels(data, field=field)
    upload.seek(0)
    return kind, data
