"""The 测评操作手册 pages and API: preview → import, template, export, 测评体系 display, item form, permissions."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from chuangcheng.core.testing import assert_max_queries
from chuangcheng.places.services.categories import load_site_categories
from chuangcheng.standards import services
from chuangcheng.standards.demo_evaluation import MINORS, demo_manual_xlsx, ensure_demo_evaluation_standard
from chuangcheng.standards.models import CheckItem, Clause, Judgement, StandardKind
from chuangcheng.standards.tests.factories import StandardFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def categories():
    load_site_categories(actor=None)


@pytest.fixture
def draft():
    return StandardFactory(kind=StandardKind.MINORS, code="MIN-T", name="未成年人测试")


def upload(data: bytes, name="manual.xlsx"):
    return SimpleUploadedFile(name, data)


def test_preview_writes_nothing_then_confirm_imports(people, categories, draft):
    office = client(people["office"])
    url = reverse("standards:manual_import", args=[draft.pk])
    assert office.get(url).status_code == 200
    response = office.post(url, {"action": "preview", "file": upload(demo_manual_xlsx(MINORS))})
    assert response.status_code == 200
    page = response.content.decode()
    assert "检查通过" in page and "确认导入" in page and "学校德育" in page
    assert not CheckItem.objects.filter(standard=draft).exists()
    response = office.post(url, {"action": "import"})
    assert response.status_code == 302
    assert CheckItem.objects.filter(standard=draft).count() == 5
    assert Clause.objects.filter(standard=draft, number="A1").get().methods == "material,field"


def test_bad_upload_shows_the_itemised_report_and_writes_nothing(people, categories, draft):
    from chuangcheng.standards.demo_evaluation import manual_rows
    from chuangcheng.standards.services.manual_io import MANUAL_COLUMNS

    rows = manual_rows(MINORS)
    rows[0][MANUAL_COLUMNS.index("观察频次")] = ""
    response = client(people["office"]).post(
        reverse("standards:manual_import", args=[draft.pk]),
        {"action": "import", "file": upload(services.write_manual_xlsx(rows))},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "import-report" in page and "观察频次" in page and "未导入任何数据" in page
    assert not CheckItem.objects.filter(standard=draft).exists()


def test_import_page_is_office_only(people, draft):
    url = reverse("standards:manual_import", args=[draft.pk])
    assert client(people["inspector"]).get(url).status_code == 403
    assert client(people["health"]).post(url, {"action": "import"}).status_code == 403
    assert client().get(url).status_code == 302


def test_template_and_export_downloads_for_anyone_signed_in(people, categories):
    standard = ensure_demo_evaluation_standard()
    reader = client(people["inspector"])
    template = reader.get(reverse("standards:manual_template"))
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.content)).sheetnames == ["测评手册", "说明"]
    exported = reader.get(reverse("standards:manual_export", args=[standard.pk]))
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content))["测评手册"]
    assert sheet.max_row - 1 == len(services.export_manual_rows(standard))
    assert client().get(reverse("standards:manual_template")).status_code == 302


def test_detail_page_shows_the_evaluation_system_with_totals(people, categories):
    standard = ensure_demo_evaluation_standard()
    with assert_max_queries(32):
        response = client(people["inspector"]).get(reverse("standards:detail", args=[standard.pk]))
    page = response.content.decode()
    assert "evaluation-summary" in page and "测评项目 7 个" in page
    assert "观察计分" in page and "测评标准分值合计" in page and "取消资格" in page
    assert "实地考察" in page and "示例" in page


def test_item_form_exposes_evaluation_fields(people, categories, draft):
    services.import_manual(actor=people["office"], standard=draft, data=demo_manual_xlsx(MINORS), filename="m.xlsx")
    item = CheckItem.objects.filter(standard=draft, judgement=Judgement.OBSERVE).first()
    office = client(people["office"])
    url = reverse("standards:row_edit", args=["item", item.pk])
    page = office.get(url).content.decode()
    assert "观察频次" in page and "测评方法" in page and "分值" in page
    data = {
        "clause": item.clause_id,
        "code": item.code,
        "title": item.title,
        "judgement": "observe",
        "full_points": "3",
        "observations": "4",
        "methods": ["field", "overall"],
        "severity": "normal",
    }
    assert office.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.observations, item.methods) == (4, "field,overall")
    response = office.post(url, data | {"judgement": "deduct"})
    assert response.status_code == 200 and "只有“观察计分”" in response.content.decode()


def test_api_manual_actions_write_for_the_office_only(people, categories, draft, client_for):
    url = f"{API}/standards/{draft.pk}/manual-import/"
    data = demo_manual_xlsx(MINORS)
    assert client_for(None).post(url, {"file": upload(data)}, format="multipart").status_code in (401, 403)
    for name in ("inspector", "health", "no_role"):
        assert client_for(people[name]).post(url, {"file": upload(data)}, format="multipart").status_code == 403
    dry = client_for(people["office"]).post(url, {"file": upload(data), "dry_run": "1"}, format="multipart")
    assert dry.status_code == 200 and dry.json()["items"] == 5
    assert not CheckItem.objects.filter(standard=draft).exists()
    done = client_for(people["office"]).post(url, {"file": upload(data)}, format="multipart")
    assert done.status_code == 201 and done.json()["items_created"] == 5
    for name in ("inspector", "office"):
        reader = client_for(people[name])
        assert reader.get(f"{API}/standards/manual-template/").status_code == 200
        assert reader.get(f"{API}/standards/{draft.pk}/manual-export/").status_code == 200
    bad = client_for(people["office"]).post(url, {"file": upload(b"not a workbook")}, format="multipart")
    assert bad.status_code == 422 and bad.json()["errors"]


def test_list_page_links_the_template_and_a_published_manual_cannot_be_imported_into(people, categories):
    page = client(people["inspector"]).get(reverse("standards:list")).content.decode()
    assert reverse("standards:manual_template") in page
    standard = ensure_demo_evaluation_standard()
    response = client(people["office"]).post(
        reverse("standards:manual_import", args=[standard.pk]),
        {"action": "import", "file": upload(demo_manual_xlsx(MINORS))},
    )
    assert response.status_code == 400 and "已发布的标准版本不可修改" in response.content.decode()
