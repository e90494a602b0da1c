"""Factories and builders for the public app's tests."""

from __future__ import annotations

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chuangcheng.public.models import ApiKey, Survey


def jpeg_bytes(*, size=(64, 48), color=(200, 200, 200), exif_note: str = "") -> bytes:
    image = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    exif = Image.Exif()
    if exif_note:
        exif[0x010E] = exif_note  # ImageDescription
        exif[0x010F] = "TestCam"  # Make
    image.save(buffer, format="JPEG", exif=exif.tobytes() if exif_note else b"")
    return buffer.getvalue()


def photo_upload(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"满意度调查{n}")
    token = factory.Sequence(lambda n: f"tok{n:08d}")


class ApiKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiKey

    name = factory.Sequence(lambda n: f"接入方{n}")
    prefix = "abcdefgh"
    key_hash = factory.Sequence(lambda n: f"{n:064d}")
