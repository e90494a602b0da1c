"""Upload checks by content, not by name: kind detection and a size cap."""

from __future__ import annotations

import io
import zipfile

import filetype
from django.conf import settings

from chuangcheng.core.errors import DomainError

KIND_LABELS = {
    "image": "图片（JPEG/PNG/WebP）",
    "pdf": "PDF",
    "docx": "Word（.docx）",
    "xlsx": "Excel（.xlsx）",
}
IMAGE_MIMES = {"image/jpeg", "image/png", "image/webp"}


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
    upload.seek(0)
    return kind, data
