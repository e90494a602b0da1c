"""Evidence integrity: content checks, size cap, EXIF read and stripped, thumbnails, verifier flags."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chuangcheng.cases.evidence import read_exif
from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.core.errors import DomainError

pytestmark = pytest.mark.django_db


def submit(world, upload, **kwargs):
    case = case_in_state(world, CaseStatus.RECTIFYING, **kwargs)
    case = transition(case, Action.SUBMIT, actor=world.handler, evidence=[upload])
    return case, case.photos.get(kind="evidence")


def test_clean_photo_has_no_flags_and_exif_is_read(world):
    _, photo = submit(world, jpeg_upload(taken_at="2099:01:01 10:00:00", gps=(120.0051, 30.0049)))
    assert photo.flags == []
    assert photo.taken_at.year == 2099
    assert abs(photo.lng - 120.0051) < 1e-4 and abs(photo.lat - 30.0049) < 1e-4


def test_photo_taken_before_case_is_flagged(world):
    _, photo = submit(world, jpeg_upload(taken_at="2020:05:01 10:00:00", gps=(120.005, 30.005)))
    assert "taken_before_case" in photo.flags


def test_photo_far_from_case_is_flagged(world):
    _, photo = submit(world, jpeg_upload(taken_at="2099:01:01 10:00:00", gps=(120.1, 30.1)))
    assert "far_from_case" in photo.flags


def test_reused_image_is_flagged_by_perceptual_hash(world):
    submit(world, jpeg_upload(taken_at="2099:01:01 10:00:00", gps=(120.005, 30.005), pattern=5))
    # the same picture, re-encoded smaller under another name, on another case
    _, photo = submit(
        world,
        jpeg_upload("again.jpg", taken_at="2099:01:01 10:00:00", gps=(120.005, 30.005), pattern=5, size=(128, 96)),
    )
    assert "reused_image" in photo.flags


def test_missing_exif_is_flagged(world):
    _, photo = submit(world, jpeg_upload())
    assert {"no_exif_time", "no_exif_gps"} <= set(photo.flags)


def test_public_copy_and_thumbnail_have_no_exif(world):
    _, photo = submit(world, jpeg_upload(taken_at="2099:01:01 10:00:00", gps=(120.005, 30.005)))
    original = Image.open(photo.image.path)
    assert read_exif(original)[0] is not None
    for field in (photo.public_image, photo.thumbnail):
        copy = Image.open(field.path)
        assert read_exif(copy) == (None, None, None)
        assert not copy.getexif()
    assert max(Image.open(photo.thumbnail.path).size) <= 320


def test_oversized_photo_is_refused(world, settings):
    settings.CASE_PHOTO_MAX_BYTES = 1000
    case = case_in_state(world, CaseStatus.RECTIFYING)
    with pytest.raises(DomainError) as info:
        transition(case, Action.SUBMIT, actor=world.handler, evidence=[jpeg_upload(size=(400, 300))])
    assert "文件过大" in info.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.RECTIFYING


def test_renamed_text_file_is_refused_by_content(world):
    case = case_in_state(world, CaseStatus.RECTIFYING)
    fake = SimpleUploadedFile("fix.png", b"hello, not an image at all" * 10, content_type="image/png")
    with pytest.raises(DomainError):
        transition(case, Action.SUBMIT, actor=world.handler, evidence=[fake])


def test_png_is_accepted(world):
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 255)).save(out, format="PNG")
    _, photo = submit(world, SimpleUploadedFile("p.png", out.getvalue(), content_type="image/png"))
    assert photo.thumbnail.name.endswith(".jpg")
