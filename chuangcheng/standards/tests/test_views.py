from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chuangcheng.core.tabular import write_xlsx
from chuangcheng.standards import services
from chuangcheng.standards.models import IndicatorReport, Standard, StandardStatus
from chuangcheng.standards.tests.factories import CheckItemFactory, ClauseFactory, IndicatorFactory, StandardFactory
from chuangcheng.standards.tests.test_reporting import PNG

pytestmark = pytest.mark.django_db


def client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def setup(units, people):
    published = StandardFactory(status=StandardStatus.PUBLISHED, name="国家卫生城市测试")
    clause = ClauseFactory(standard=published, level="section", number="三", title="市容环境卫生")
    item = CheckItemFactory(standard=published, clause=clause, title="农贸市场五项公示", points=None)
    indicator = IndicatorFactory(standard=published, clause=clause, name="婴儿死亡率", operator="<=", threshold=5.6)
    draft = services.create_draft_from(standard=published, actor=people["office"])
    report = services.report_indicator(
        actor=people["health"], indicator=indicator, unit=units["health"], period="2025", value=Decimal("5")
    )
    services.add_indicator_evidence(actor=people["health"], report=report, upload=SimpleUploadedFile("a.png", PNG))
    return {"published": published, "draft": draft, "item": item, "indicator": indicator, "report": report}


def test_reading_pages_any_signed_in_user_anonymous_redirected(setup, people):
    published, draft = setup["published"], setup["draft"]
    urls = [
        reverse("standards:list"),
        reverse("standards:detail", args=[published.pk]),
        reverse("standards:detail", args=[published.pk]) + "?q=农贸",
        reverse("standards:item_detail", args=[setup["item"].pk]),
        reverse("standards:indicator_detail", args=[setup["indicator"].pk]),
        reverse("standards:indicator_board"),
        reverse("standards:compare") + f"?a={published.pk}&b={draft.pk}",
        reverse("standards:export", args=[draft.pk]),
    ]
    for url in urls:
        assert client().get(url).status_code == 302
        for who in ("no_role", "health", "office"):
            assert client(people[who]).get(url).status_code == 200, (who, url)


def test_rubric_export_is_named_for_the_standard(setup, people):
    draft = setup["draft"]
    response = client(people["office"]).get(reverse("standards:export", args=[draft.pk]))
    assert quote(f"{draft.name}（{draft.version}）检查项.xlsx") in response["Content-Disposition"]


def test_detail_page_shows_unknown_points_and_search(setup, people):
    page = client(people["no_role"]).get(reverse("standards:detail", args=[setup["published"].pk]) + "?q=农贸")
    text = page.content.decode()
    assert "农贸市场五项公示" in text and "待核实" in text and "婴儿死亡率</a>" not in text


def test_edit_pages_office_only(setup, people):
    draft = setup["draft"]
    urls = [
        reverse("standards:create"),
        reverse("standards:edit", args=[draft.pk]),
        reverse("standards:row_create", args=[draft.pk, "item"]),
        reverse("standards:row_edit", args=["item", draft.check_items.get().pk]),
        reverse("standards:import", args=[draft.pk]),
    ]
    for url in urls:
        assert client().get(url).status_code == 302
        for who in ("no_role", "health"):
            assert client(people[who]).get(url).status_code == 403, (who, url)
        assert client(people["office"]).get(url).status_code == 200, url


def test_publish_and_draft_actions_office_only(setup, people):
    draft, published = setup["draft"], setup["published"]
    assert client(people["health"]).post(reverse("standards:publish", args=[draft.pk])).status_code == 403
    client(people["office"]).post(reverse("standards:publish", args=[draft.pk]))
    assert Standard.objects.get(pk=draft.pk).status == StandardStatus.PUBLISHED
    before = Standard.objects.count()
    client(people["office"]).post(reverse("standards:create_draft", args=[published.pk]))
    assert Standard.objects.count() == before + 1


def test_row_edit_form_saves_points_through_service(setup, people):
    item = setup["draft"].check_items.get()
    url = reverse("standards:row_edit", args=["item", item.pk])
    data = {"code": item.code, "title": "改过的检查项", "points": "1.5", "severity": "serious", "judgement": "deduct"}
    response = client(people["office"]).post(url, data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.points, item.severity) == ("改过的检查项", Decimal("1.5"), "serious")
    published_item = setup["item"]
    response = client(people["office"]).post(reverse("standards:row_edit", args=["item", published_item.pk]), data)
    assert response.status_code == 200 and "不可修改" in response.content.decode()


def test_import_page_shows_itemised_report(setup, people):
    bad = write_xlsx(title="x", headers=services.RUBRIC_COLUMNS, rows=[["1", "条款", "K", "", "", "-1"]])
    url = reverse("standards:import", args=[setup["draft"].pk])
    response = client(people["office"]).post(url, {"file": SimpleUploadedFile("r.xlsx", bad)})
    assert response.status_code == 400
    assert "import-report" in response.content.decode() and "未导入任何数据" in response.content.decode()


def test_report_page_unit_user_reports_with_evidence(setup, units, people):
    url = reverse("standards:report", args=[setup["indicator"].pk])
    assert client(people["no_role"]).get(url).status_code == 403
    assert client(people["inspector"]).get(url).status_code == 403
    response = client(people["health"]).post(
        url,
        {"unit": units["health"].pk, "period": "2024", "value": "5.9", "evidence": SimpleUploadedFile("b.png", PNG)},
    )
    assert response.status_code == 302
    assert IndicatorReport.objects.filter(unit=units["health"]).count() == 2
    response = client(people["health"]).post(url, {"unit": units["ecology"].pk, "period": "2024", "value": "1"})
    assert response.status_code == 200 and IndicatorReport.objects.count() == 2


def test_evidence_download_scoped(setup, people):
    evidence = setup["report"].evidence.get()
    url = reverse("standards:evidence", args=[evidence.pk])
    assert client().get(url).status_code == 302
    assert client(people["ecology"]).get(url).status_code == 404
    assert client(people["no_role"]).get(url).status_code == 404
    assert client(people["health"]).get(url).status_code == 200
    assert client(people["office"]).get(url).status_code == 200
