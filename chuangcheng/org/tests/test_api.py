import io

import pytest
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    east_street = UnitFactory(code="D01-S01", name="东城一街道", kind=UnitKind.STREET, parent=east)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    return {"city": city, "office": office, "east": east, "east_street": east_street, "west": west}


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_unit_detail_permission_matrix(tree):
    assert_permission_matrix(
        client_for,
        f"/api/v1/units/{tree['east_street'].pk}/",
        in_scope=user_with_role(Role.UNIT_HEAD, tree["east"]),
        out_of_scope=user_with_role(Role.UNIT_HEAD, tree["west"]),
        no_role=UserFactory(),
    )


def test_unit_list_shows_subtree_only(tree):
    user = user_with_role(Role.UNIT_HANDLER, tree["east"])
    response = client_for(user).get("/api/v1/units/")
    assert response.status_code == 200
    assert {row["code"] for row in response.json()["results"]} == {"D01", "D01-S01"}


def test_office_sees_every_unit(tree):
    user = user_with_role(Role.OFFICE_STAFF, tree["office"])
    response = client_for(user).get("/api/v1/units/?page_size=100")
    assert response.json()["count"] == 5


def test_unit_list_query_count_is_flat(tree):
    user = user_with_role(Role.OFFICE_ADMIN, tree["office"])
    for n in range(30):
        UnitFactory(parent=tree["west"], kind=UnitKind.COMMUNITY, name=f"社区{n}")
    client = client_for(user)
    with assert_max_queries(6):
        response = client.get("/api/v1/units/?page_size=100")
    assert response.json()["count"] == 35


def test_create_unit_by_office_is_audited(tree):
    user = user_with_role(Role.OFFICE_ADMIN, tree["office"])
    response = client_for(user).post(
        "/api/v1/units/",
        {"code": "D01-S02", "name": "东城二街道", "kind": "street", "parent": tree["east"].pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    unit = Unit.objects.get(code="D01-S02")
    assert unit.path == f"{tree['east'].path}{unit.pk}/"
    assert AuditEvent.objects.filter(verb="org.unit_created", target_id=str(unit.pk), actor=user).exists()


def test_create_unit_by_unit_head_is_forbidden(tree):
    user = user_with_role(Role.UNIT_HEAD, tree["east"])
    response = client_for(user).post(
        "/api/v1/units/", {"code": "X1", "name": "新单位", "kind": "street", "parent": tree["east"].pk}, format="json"
    )
    assert response.status_code == 403
    assert "创建办" in response.json()["detail"]
    assert not Unit.objects.filter(code="X1").exists()


def test_duplicate_code_is_rejected_in_chinese(tree):
    user = user_with_role(Role.OFFICE_ADMIN, tree["office"])
    response = client_for(user).post(
        "/api/v1/units/", {"code": "D01", "name": "重复", "kind": "district"}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "code"
    assert "已存在" in response.json()["detail"]


def test_moving_unit_rewrites_descendant_paths(tree):
    user = user_with_role(Role.OFFICE_ADMIN, tree["office"])
    response = client_for(user).patch(f"/api/v1/units/{tree['east'].pk}/", {"parent": tree["west"].pk}, format="json")
    assert response.status_code == 200, response.json()
    street = Unit.objects.get(pk=tree["east_street"].pk)
    assert street.path.startswith(Unit.objects.get(pk=tree["west"].pk).path)
    assert street.depth == 3


def test_cannot_move_unit_under_its_descendant(tree):
    user = user_with_role(Role.OFFICE_ADMIN, tree["office"])
    response = client_for(user).patch(
        f"/api/v1/units/{tree['east'].pk}/", {"parent": tree["east_street"].pk}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "parent"


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "units.xlsx"
    return buffer


def test_import_units_all_or_nothing_with_itemised_report(tree):
    user = user_with_role(Role.OFFICE_ADMIN, tree["office"])
    upload = _xlsx(
        [
            ["单位编码", "单位名称", "类型", "上级单位编码"],
            ["D01-S03", "东城三街道", "街道/乡镇", "D01"],
            ["D01-S03", "重复行", "街道/乡镇", "D01"],
            ["Z9", "孤儿", "社区/村", "NOPE"],
            ["Z10", "坏类型", "星球", "CITY"],
        ]
    )
    response = client_for(user).post("/api/v1/units/import/", {"file": upload}, format="multipart")
    assert response.status_code == 422
    errors = response.json()["errors"]
    reasons = {(e["row"], e["column"]) for e in errors}
    assert reasons == {(3, "单位编码"), (4, "上级单位编码"), (5, "类型")}
    assert not Unit.objects.filter(code__in=["D01-S03", "Z9", "Z10"]).exists()


def test_import_units_creates_tree_in_file_order(tree):
    user = user_with_role(Role.OFFICE_ADMIN, tree["office"])
    upload = _xlsx(
        [
            ["单位编码", "单位名称", "类型", "上级单位编码"],
            ["D03", "南城区", "区县", "CITY"],
            ["D03-S01", "南城一街道", "街道/乡镇", "D03"],
        ]
    )
    response = client_for(user).post("/api/v1/units/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    assert Unit.objects.get(code="D03-S01").parent.code == "D03"


def test_import_rejects_wrong_file_type(tree):
    user = user_with_role(Role.OFFICE_ADMIN, tree["office"])
    fake = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    fake.name = "units.xlsx"
    response = client_for(user).post("/api/v1/units/import/", {"file": fake}, format="multipart")
    assert response.status_code == 422
    assert "文件类型" in response.json()["errors"][0]["reason"]


def test_import_reports_missing_required_column(tree):
    user = user_with_role(Role.OFFICE_ADMIN, tree["office"])
    upload = _xlsx([["单位编码", "单位名称"], ["X", "Y"]])
    response = client_for(user).post("/api/v1/units/import/", {"file": upload}, format="multipart")
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"row": 1, "column": "类型", "value": "", "reason": "缺少必填列"}


def test_export_is_scoped_xlsx(tree):
    user = user_with_role(Role.UNIT_HEAD, tree["east"])
    response = client_for(user).get("/api/v1/units/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["D01", "D01-S01"]
