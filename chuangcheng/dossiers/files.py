"""Checked uploads turned into stored files with unguessable names and a content hash."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

import filetype
from django.core.files.base import ContentFile

from chuangcheng.core.uploads import check_upload

DOCUMENT_KINDS = ("pdf", "docx", "xlsx", "image")
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx"}


@dataclass
class CheckedFile:
    content: ContentFile
    kind: str
    size: int
    sha256: str
    original_name: str

    @property
    def extension(self) -> str:
        return self.content.name.rsplit(".", 1)[-1]


def checked_file(upload, *, field: str, kinds: tuple[str, ...] = DOCUMENT_KINDS, max_bytes=None) -> CheckedFile:
    """Check an upload by its content (``core.uploads.check_upload``) and name it by what it is."""
    kind, data = check_upload(upload, field=field, kinds=kinds, max_bytes=max_bytes)
    if kind == "image":
        guess = filetype.guess(data[:262])
        extension = guess.extension if guess else "img"
    else:
        extension = EXTENSIONS[kind]
    name = f"{uuid.uuid4().hex}.{extension}"
    original = (getattr(upload, "name", "") or name).rsplit("/", 1)[-1][:200]
    return CheckedFile(
        content=ContentFile(data, name=name),
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=original,
    )
