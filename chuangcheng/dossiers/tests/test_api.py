import io
import zipfile

import pytest
from django.test import Client

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.dossiers.completeness import rebuild_completeness
from chuangcheng.dossiers.models import Material, MaterialStatus
from chuangcheng.dossiers.tests.conftest import client_for, make_upload
from chuangcheng.dossiers.tests.factories import MaterialAssignmentFactory, MaterialFactory
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def material(world):
    MaterialAssignmentFactory(requirement=world["reqs"][0], unit=world["east"])
    return MaterialFactory(requirement=world["reqs"][0], unit=world["east"], uploaded_by=world["east_handler"])


def page_client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("url", ["/api/v1/dossier-materials/{pk}/", "/api/v1/dossier-materials/{pk}/download/"])
def test_material_endpoints_permission_matrix(world, material, url):
    assert_permission_matrix(
        client_for,
        url.format(pk=material.pk),
        in_scope=world["east_handler"],
        out_of_scope=world["west_handler"],
        no_role=world["nobody"],
    )


@pytest.mark.parametrize("url", ["/dossiers/materials/{pk}/", "/dossiers/materials/{pk}/file/"])
def test_material_pages_permission_matrix(world, material, url):
    no_role = user_with_role(Role.UNIT_HANDLER, UnitFactory(name="无关单位"))
    assert_permission_matrix(
        page_client,
        url.format(pk=material.pk),
        in_scope=world["east_handler"],
        out_of_scope=world["west_handler"],
        no_role=no_role,
    )


def test_assignment_detail_permission_matrix(world, material):
    assignment = material.requirement.assignments.get()
    assert_permission_matrix(
        client_for,
        f"/api/v1/dossier-assignments/{assignment.pk}/",
        in_scope=world["east_handler"],
        out_of_scope=world["west_handler"],
        no_role=world["nobody"],
    )


def test_review_endpoint_matrix_and_reason(world, material):
    url = f"/api/v1/dossier-materials/{material.pk}/review/"
    assert client_for(None).post(url, {"decision": "approve"}).status_code in (401, 403)
    assert client_for(world["west_handler"]).post(url, {"decision": "approve"}).status_code == 404
    assert client_for(world["nobody"]).post(url, {"decision": "approve"}).status_code == 404
    assert client_for(world["east_handler"]).post(url, {"decision": "approve"}).status_code == 403
    response = client_for(world["staff"]).post(url, {"decision": "return"})
    assert response.status_code == 422 and response.json()["field"] == "reason"
    response = client_for(world["staff"]).post(url, {"decision": "return", "reason": "页码不全"})
    assert response.status_code == 200 and response.json()["status"] == "returned"
    detail = client_for(world["east_handler"]).get(f"/api/v1/dossier-materials/{material.pk}/").json()
    assert detail["reason"] == "页码不全" and detail["reviews"][0]["decision"] == "return"
    assert AuditEvent.objects.filter(verb="dossiers.material_returned", target_id=str(material.pk)).exists()


def test_upload_through_api(world):
    MaterialAssignmentFactory(requirement=world["reqs"][1], unit=world["east"])
    data = {"requirement": world["reqs"][1].pk, "unit": world["east"].pk, "year": 2026, "file": make_upload()}
    response = client_for(world["east_handler"]).post("/api/v1/dossier-materials/", data, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "pdf" and len(response.json()["sha256"]) == 64
    bad = {
        "requirement": world["reqs"][1].pk,
        "unit": world["east"].pk,
        "year": 2026,
        "file": make_upload(b"hello world", "a.pdf"),
    }
    response = client_for(world["east_handler"]).post("/api/v1/dossier-materials/", bad, format="multipart")
    assert response.status_code == 422 and response.json()["field"] == "file"
    other = {"requirement": world["reqs"][1].pk, "unit": world["east"].pk, "year": 2026, "file": make_upload()}
    response = client_for(world["west_handler"]).post("/api/v1/dossier-materials/", other, format="multipart")
    assert response.status_code == 400  # the unit is not among the choices of a west user


def test_material_list_scoped_search_and_query_count(world):
    for req in world["reqs"]:
        MaterialAssignmentFactory(requirement=req, unit=world["east"])
        MaterialAssignmentFactory(requirement=req, unit=world["west"])
    for n in range(20):
        MaterialFactory(requirement=world["reqs"][n % 3], unit=world["east"], title=f"东城会议纪要{n}")
    MaterialFactory(requirement=world["reqs"][0], unit=world["west"], title="西城方案")
    with assert_max_queries(5):
        response = client_for(world["admin"]).get("/api/v1/dossier-materials/?page_size=100")
    assert response.json()["count"] == 21
    east = client_for(world["east_handler"]).get("/api/v1/dossier-materials/?q=会议纪要1").json()
    assert east["count"] == 11
    west = client_for(world["west_handler"]).get("/api/v1/dossier-materials/").json()
    assert [row["title"] for row in west["results"]] == ["西城方案"]
    page = page_client(world["admin"])
    with assert_max_queries(12):
        assert page.get("/dossiers/materials/?q=东城").status_code == 200


def test_completeness_endpoint(world, material):
    Material.objects.filter(pk=material.pk).update(status=MaterialStatus.APPROVED)
    rebuild_completeness()
    response = client_for(world["east_handler"]).get("/api/v1/dossier-completeness/?years=2025,2026")
    assert response.status_code == 200
    body = response.json()
    assert body["overall"] == {"required": 2, "approved": 1, "percent": 50.0}
    assert client_for(world["west_handler"]).get("/api/v1/dossier-completeness/").json()["cells"] == []
    assert client_for(None).get("/api/v1/dossier-completeness/").status_code in (401, 403)


def test_export_endpoint_scoped_zip_and_audited(world, material):
    MaterialAssignmentFactory(requirement=world["reqs"][2], unit=world["west"])
    MaterialFactory(requirement=world["reqs"][2], unit=world["west"])
    response = client_for(world["east_handler"]).get("/api/v1/dossier-materials/export/")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        files = [name for name in archive.namelist() if not name.endswith(".xlsx")]
    assert len(files) == 1 and "东城区" in files[0]
    assert AuditEvent.objects.filter(verb="dossiers.archive_exported", actor=world["east_handler"]).exists()


def test_pages_render(world, material):
    for user in (world["admin"], world["east_handler"]):
        client = page_client(user)
        for url in (
            "/dossiers/",
            "/dossiers/materials/",
            "/dossiers/matrix/",
            "/dossiers/matrix/?year=2026",
            "/dossiers/materials/upload/",
            f"/dossiers/materials/{material.pk}/",
        ):
            assert client.get(url).status_code == 200, (user, url)
    admin = page_client(world["admin"])
    assert admin.get("/dossiers/review/").status_code == 200
    assert admin.get("/dossiers/assignments/").status_code == 200
    assert page_client(world["east_handler"]).get("/dossiers/review/").status_code == 403
    assert page_client(world["admin"]).get("/dossiers/export/").status_code == 200


def test_review_page_posts_return_with_reason(world, material):
    client = page_client(world["staff"])
    response = client.post(f"/dossiers/materials/{material.pk}/", {"decision": "return", "reason": ""})
    assert response.status_code == 400 and "退回须填写原因" in response.content.decode()
    response = client.post(f"/dossiers/materials/{material.pk}/", {"decision": "return", "reason": "缺页"})
    assert response.status_code == 302
    assert Material.objects.get(pk=material.pk).status == MaterialStatus.RETURNED
