"""Factories for cases. ``CaseFactory`` makes a bare row; use ``create_case``/``transition``
(or ``case_in_state``) for a case with a real timeline."""

import io
import random

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from chuangcheng.cases.models import Case, CaseSource, CaseStatus, RoutingRule, Severity


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"WT2026-9{n:05d}")
    source = CaseSource.PATROL
    title = factory.Sequence(lambda n: f"测试问题{n}")
    severity = Severity.NORMAL
    status = CaseStatus.REPORTED
    lng = 120.005
    lat = 30.005


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"规则{n}")
    lead_unit = factory.SubFactory("chuangcheng.org.tests.factories.UnitFactory")
    category = factory.SubFactory("chuangcheng.places.tests.factories.SiteCategoryFactory")


def picture(*, color=(200, 30, 30), size=(160, 120), pattern: int = 0) -> Image.Image:
    """A deterministic 'photo': coloured blocks seeded by ``pattern`` (distinct patterns differ in phash)."""
    rng = random.Random(pattern * 7919 + sum(color))
    base = Image.new("RGB", (16, 12), color)
    for x in range(16):
        for y in range(12):
            base.putpixel((x, y), tuple(rng.randrange(256) for _ in range(3)))
    return base.resize(size, Image.Resampling.BILINEAR)


def jpeg_upload(
    name: str = "photo.jpg",
    *,
    color=(200, 30, 30),
    taken_at: str | None = None,
    gps: tuple[float, float] | None = None,
    size=(160, 120),
    pattern: int = 0,
) -> SimpleUploadedFile:
    """A small JPEG, optionally with EXIF DateTimeOriginal ('YYYY:MM:DD HH:MM:SS') and GPS (lng, lat)."""
    image = picture(color=color, size=size, pattern=pattern)
    exif = Image.Exif()
    if taken_at:
        exif.get_ifd(0x8769)[0x9003] = taken_at
        exif[0x0132] = taken_at
    if gps:
        lng, lat = gps

        def dms(value):
            value = abs(value)
            degrees = int(value)
            minutes = int((value - degrees) * 60)
            seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
            return (IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 100))

        exif.get_ifd(0x8825).update(
            {1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lng >= 0 else "W", 4: dms(lng)}
        )
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
