"""Image work with Pillow, no database: EXIF-free public copies and rectangle redaction."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageOps

from chuangcheng.core.errors import DomainError

MAX_SIDE = 2000


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as exc:  # Pillow raises many types for broken files
        raise DomainError("图片无法读取", field="photos") from exc
    return image


def public_copy(data: bytes, redactions: list[list[int]] | tuple = ()) -> tuple[bytes, int, int]:
    """Re-encode as JPEG with no metadata (EXIF, GPS, XMP), upright, at most MAX_SIDE pixels,
    with each ``[x, y, w, h]`` rectangle (original pixel coordinates) painted over.
    Returns ``(jpeg_bytes, width, height)`` of the original's upright size."""
    image = ImageOps.exif_transpose(_open(data))
    width, height = image.size
    image = image.convert("RGB")
    if redactions:
        draw = ImageDraw.Draw(image)
        for x, y, w, h in redactions:
            draw.rectangle([x, y, x + w, y + h], fill=(40, 40, 40))
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    # Rebuild from raw pixels so no metadata block can survive.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), width, height


def clean_rectangles(raw, width: int, height: int) -> list[list[int]]:
    """Validate ``[[x, y, w, h], ...]`` against the image size; raise ``DomainError`` otherwise."""
    if not isinstance(raw, list | tuple):
        raise DomainError("遮挡区域格式错误", field="redactions")
    rectangles = []
    for item in raw:
        try:
            x, y, w, h = (int(round(float(v))) for v in item)
        except (TypeError, ValueError):
            raise DomainError("遮挡区域格式错误：每个区域应为 [x, y, 宽, 高]", field="redactions")
        x, y = max(0, x), max(0, y)
        w, h = min(w, width - x), min(h, height - y)
        if w <= 0 or h <= 0:
            raise DomainError("遮挡区域超出图片范围", field="redactions")
        rectangles.append([x, y, w, h])
    return rectangles
