"""QR codes generated locally with the ``qrcode`` package (SVG by default, PNG on request)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_bytes(link: str, *, fmt: str = "svg") -> tuple[bytes, str]:
    """Return ``(content, content_type)`` for a QR code of ``link``."""
    buffer = io.BytesIO()
    if fmt == "png":
        qrcode.make(link, box_size=8, border=2).save(buffer, format="PNG")
        return buffer.getvalue(), "image/png"
    qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2).save(buffer)
    return buffer.getvalue(), "image/svg+xml"
