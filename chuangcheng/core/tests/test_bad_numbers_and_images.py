"""Bad numbers answer 400 with a Chinese message, never 500; images above the pixel budget are refused
before anything decodes them."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.core.errors import DomainError
from chuangcheng.core.uploads import check_upload
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory


def _bomb_png(width: int = 13_000, height: int = 13_000) -> bytes:
    """A valid PNG header declaring ``width × height`` grey pixels, with all-zero rows: ~20 kB on disk."""
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _png(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def test_169_megapixel_png_of_a_few_kilobytes_is_refused_before_decoding():
    data = _bomb_png()
    assert len(data) < 300_000  # tiny on disk
    with pytest.raises(DomainError) as error:
        check_upload(SimpleUploadedFile("big.png", data), field="photos", kinds=("image",))
    assert error.value.field == "photos"
    assert "图片像素过多" in error.value.message
    assert "50 百万像素" in error.value.message


def test_pixel_budget_is_a_setting_and_phone_photos_pass(settings):
    assert check_upload(SimpleUploadedFile("ok.png", _png()), field="photo", kinds=("image",))[0] == "image"
    settings.UPLOAD_MAX_PIXELS = 1000
    with pytest.raises(DomainError, match="像素过多"):
        check_upload(SimpleUploadedFile("ok.png", _png()), field="photo", kinds=("image",))


@pytest.fixture
def office(db):
    city = UnitFactory(kind=UnitKind.CITY, name="示范市")
    user = user_with_role(Role.OFFICE_ADMIN, UnitFactory(kind=UnitKind.OFFICE, name="创建办", parent=city))
    client = APIClient()
    client.force_authenticate(user)
    client.force_login(user)
    return client


@pytest.mark.parametrize("year", ["0", "-1", "99999999999999999999", "abc", "1e5"])
def test_year_parameters_answer_400_in_chinese(office, year):
    for url in ("/api/v1/frontage-pledges/by-street/", "/calendar/", "/dossiers/", "/campaigns/pledges/"):
        response = office.get(url, {"year": year})
        assert response.status_code == 400, (url, response.status_code)
        assert "年份须" in response.content.decode(), url


def test_huge_numbers_in_filters_answer_400(office):
    for url, params in (
        ("/api/v1/cases/", {"area": "-5.1e40"}),
        ("/api/v1/inspections/findings/", {"visit": "-7.8e155"}),
        ("/api/v1/assessments/periods/", {"year": "-6.19e-48"}),
    ):
        response = office.get(url, params)
        assert response.status_code == 400, (url, response.status_code, response.content[:300])
