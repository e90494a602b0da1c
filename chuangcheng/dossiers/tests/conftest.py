import io

import pytest
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.dossiers.tests.factories import PDF
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.standards.tests.factories import ClauseFactory, MaterialRequirementFactory, StandardFactory


def make_upload(data: bytes = PDF, name: str = "资料.pdf"):
    buffer = io.BytesIO(data)
    buffer.name = name
    buffer.size = len(data)
    return buffer


def docx_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def world(db):
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    standard = StandardFactory()
    clause_a = ClauseFactory(standard=standard, number="1", title="组织管理", sort_order=1)
    clause_b = ClauseFactory(standard=standard, number="2", title="健康教育", sort_order=2)
    reqs = [
        MaterialRequirementFactory(standard=standard, clause=clause_a, title="创建工作方案", sort_order=1),
        MaterialRequirementFactory(standard=standard, clause=clause_a, title="会议纪要", sort_order=2),
        MaterialRequirementFactory(standard=standard, clause=clause_b, title="健康教育台账", sort_order=3),
    ]
    return {
        "city": city,
        "office": office,
        "east": east,
        "west": west,
        "standard": standard,
        "clause_a": clause_a,
        "clause_b": clause_b,
        "reqs": reqs,
        "admin": user_with_role(Role.OFFICE_ADMIN, office),
        "staff": user_with_role(Role.OFFICE_STAFF, office),
        "east_handler": user_with_role(Role.UNIT_HANDLER, east),
        "west_handler": user_with_role(Role.UNIT_HANDLER, west),
        "nobody": UserFactory(),
    }


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
