"""网上申报 by the 测评体系: requirements of the demo 创文 manual grouped by 测评项目/测评内容, units, two-stage
review, completeness (matrix grouped by 测评项目) and the zip export nested 测评项目/测评内容."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chuangcheng.core.testing import assert_max_queries
from chuangcheng.dossiers import services
from chuangcheng.dossiers.evaluation import default_evaluation_standard, evaluation_materials
from chuangcheng.dossiers.tests.conftest import make_upload
from chuangcheng.places.services.categories import load_site_categories
from chuangcheng.standards.demo_evaluation import ensure_demo_evaluation_standard
from chuangcheng.standards.models import MaterialRequirement

pytestmark = pytest.mark.django_db


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def civ(world):
    load_site_categories(actor=None)
    standard = ensure_demo_evaluation_standard()
    credit = MaterialRequirement.objects.get(standard=standard, title__startswith="社会信用体系建设工作方案")
    ledger = MaterialRequirement.objects.get(standard=standard, title__startswith="失信联合惩戒工作台账")
    minors = MaterialRequirement.objects.get(standard=standard, title__startswith="未成年人思想道德建设工作方案")
    admin = world["admin"]
    services.assign_requirement(actor=admin, requirement=credit, units=[world["east"], world["west"]])
    services.assign_requirement(actor=admin, requirement=ledger, units=[world["east"]])
    services.assign_requirement(actor=admin, requirement=minors, units=[world["west"]])
    year = timezone.localdate().year
    approved = services.upload_material(
        actor=world["east_handler"], requirement=credit, unit=world["east"], year=year, file=make_upload()
    )
    services.review_material(material=approved, actor=admin, decision="approve")
    services.review_material(material=approved, actor=world["staff"], decision="approve")
    pending = services.upload_material(
        actor=world["west_handler"], requirement=credit, unit=world["west"], year=year, file=make_upload()
    )
    services.review_material(material=pending, actor=admin, decision="approve")
    return world | {"civ": standard, "credit": credit, "ledger": ledger, "minors": minors, "year": year}


def test_requirements_grouped_by_project_and_content_with_units_and_review_stages(civ):
    projects, overall = evaluation_materials(user=civ["admin"], standard=civ["civ"], year=civ["year"])
    labels = [p.label for p in projects]
    assert labels == sorted(labels, key=lambda label: label[0])  # A, B, C … in the manual's order
    market = next(p for p in projects if p.clause.number == "C")
    content = market.contents[0]
    assert content.clause.number == "C4" and "材料审核" in content.methods
    rows = {row.requirement.pk: row for row in content.requirements}
    credit = rows[civ["credit"].pk]
    assert [u.name for u in credit.units] == ["东城区", "西城区"]
    assert credit.counts["approved"] == 1 and credit.counts["second"] == 1 and credit.missing == 0
    assert rows[civ["ledger"].pk].missing == 1
    assert (market.total.required, market.total.approved) == (3, 1)
    assert (overall.required, overall.approved) == (4, 1)
    assert default_evaluation_standard() == civ["civ"]


def test_a_unit_sees_only_its_own_assignments_and_materials(civ):
    projects, overall = evaluation_materials(user=civ["west_handler"], standard=civ["civ"], year=civ["year"])
    units = {u.name for p in projects for c in p.contents for r in c.requirements for u in r.units}
    assert units == {"西城区"}
    assert overall.required == 2


def test_evaluation_page_lists_by_project_and_links_export(civ):
    url = reverse("dossiers:evaluation") + f"?standard={civ['civ'].pk}&year={civ['year']}"
    admin = page_client(civ["admin"])
    with assert_max_queries(20):
        response = admin.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "C4 诚信建设制度" in page and "社会信用体系建设工作方案" in page and "东城区、西城区" in page
    assert f"?standard={civ['civ'].pk}&year={civ['year']}" in page
    assert page_client(civ["admin"]).get(reverse("dossiers:evaluation") + "?standard=999999").status_code == 404
    assert page_client(civ["nobody"]).get(url).status_code == 403


def test_matrix_filtered_by_standard_is_grouped_by_project(civ):
    url = reverse("dossiers:matrix") + f"?standard={civ['civ'].pk}"
    services.assign_requirement(actor=civ["admin"], requirement=civ["reqs"][0], units=[civ["east"]])
    page = page_client(civ["admin"]).get(url).content.decode()
    assert 'class="group"' in page and "组织管理" not in page  # another standard's clause is filtered out
    assert "组织管理" in page_client(civ["admin"]).get(reverse("dossiers:matrix")).content.decode()
    assert "诚信守法的市场与窗口服务（示例）" in page and "未成年人成长环境（示例）" in page


def test_export_of_one_standard_nests_project_and_content_folders(civ):
    url = reverse("dossiers:export") + f"?standard={civ['civ'].pk}&year={civ['year']}"
    response = page_client(civ["admin"]).get(url)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    files = [name for name in archive.namelist() if not name.endswith(".xlsx")]
    assert len(files) == 2
    assert all(name.startswith("C 诚信守法的市场与窗口服务（示例）/C4 诚信建设制度/") for name in files)


def test_evaluation_dossiers_demo_assigns_the_demo_manual_and_is_idempotent():
    from chuangcheng.dossiers.demo_evaluation import seed_evaluation_dossiers_demo
    from chuangcheng.dossiers.models import Material, MaterialAssignment
    from chuangcheng.places.demo.seed import seed_demo_city

    assert "跳过" in seed_evaluation_dossiers_demo()
    seed_demo_city(actor=None, scale=1)
    load_site_categories(actor=None)
    standard = ensure_demo_evaluation_standard()
    message = seed_evaluation_dossiers_demo()
    assert message.startswith("网上申报（示例测评手册）")
    requirements = MaterialRequirement.objects.filter(standard=standard)
    assert MaterialAssignment.objects.filter(requirement__in=requirements).values("requirement").distinct().count() == (
        requirements.count()
    )
    materials = Material.objects.filter(requirement__standard=standard)
    assert materials.count() > 5 and len(set(materials.values_list("status", flat=True))) >= 3
    assert "跳过" in seed_evaluation_dossiers_demo()
    assert Material.objects.filter(requirement__standard=standard).count() == materials.count()


def test_a_manual_without_materials_shows_an_empty_page_not_an_error(civ):
    from chuangcheng.standards.tests.factories import StandardFactory

    bare = StandardFactory(kind="civilized_city", name="没有申报材料的测评体系")
    admin = page_client(civ["admin"])
    response = admin.get(reverse("dossiers:evaluation") + f"?standard={bare.pk}")
    page = response.content.decode()
    assert response.status_code == 200 and "没有申报材料的测评体系" in page and "该测评体系没有申报材料要求" in page
    assert admin.get(reverse("dossiers:evaluation") + f"?standard={civ['standard'].pk}").status_code == 404  # 卫生
