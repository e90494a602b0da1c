from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangcheng.core.tabular import write_xlsx
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.standards import services
from chuangcheng.standards.models import IndicatorReport, Standard, StandardStatus
from chuangcheng.standards.tests.factories import (
    CheckItemFactory,
    ClauseFactory,
    IndicatorFactory,
    MaterialRequirementFactory,
    SamplingQuotaFactory,
    StandardFactory,
)
from chuangcheng.standards.tests.test_reporting import PNG

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def tree():
    published = StandardFactory(status=StandardStatus.PUBLISHED)
    draft = StandardFactory()
    rows = {}
    for label, standard in (("pub", published), ("draft", draft)):
        clause = ClauseFactory(standard=standard)
        rows[label] = {
            "standards": standard,
            "standard-clauses": clause,
            "check-items": CheckItemFactory(standard=standard, clause=clause),
            "standard-indicators": IndicatorFactory(standard=standard, clause=clause),
            "material-requirements": MaterialRequirementFactory(standard=standard, clause=clause),
            "sampling-quotas": SamplingQuotaFactory(standard=standard),
        }
    return rows


READERS = ("no_role", "health", "inspector", "office")
ROW_ENDPOINTS = ("standard-clauses", "check-items", "standard-indicators", "material-requirements", "sampling-quotas")
CREATE_BODIES = {
    "standards": {"kind": "local", "code": "LOCAL", "name": "地方标准", "version": "1"},
    "standard-clauses": {"number": "9", "title": "新条款"},
    "check-items": {"code": "NEW", "title": "新检查项", "points": None},
    "standard-indicators": {"code": "NEW", "name": "新指标", "operator": ">=", "threshold": "90"},
    "material-requirements": {"title": "新材料", "years": 3},
    "sampling-quotas": {"category_name": "新对象", "min_samples_small": 1},
}
PATCH_BODIES = {
    "standards": {"name": "改名"},
    "standard-clauses": {"title": "改"},
    "check-items": {"points": "3"},
    "standard-indicators": {"threshold": "80"},
    "material-requirements": {"years": 5},
    "sampling-quotas": {"min_samples_small": 4},
}


@pytest.mark.parametrize("endpoint", ("standards",) + ROW_ENDPOINTS)
def test_reference_read_any_signed_in_user_anonymous_refused(endpoint, tree, people, client_for):
    obj = tree["pub"][endpoint]
    for url in (f"{API}/{endpoint}/", f"{API}/{endpoint}/{obj.pk}/"):
        assert client_for(None).get(url).status_code in (401, 403)
        for who in READERS:
            assert client_for(people[who]).get(url).status_code == 200, (who, url)


@pytest.mark.parametrize("endpoint", ("standards",) + ROW_ENDPOINTS)
def test_reference_write_office_only_and_drafts_only(endpoint, tree, people, client_for):
    body = dict(CREATE_BODIES[endpoint])
    if endpoint != "standards":
        body["standard"] = tree["draft"]["standards"].pk
    url = f"{API}/{endpoint}/"
    assert client_for(None).post(url, body, format="json").status_code in (401, 403)
    for who in ("no_role", "health", "inspector"):
        assert client_for(people[who]).post(url, body, format="json").status_code == 403
        draft_obj = tree["draft"][endpoint]
        assert (
            client_for(people[who]).patch(f"{url}{draft_obj.pk}/", PATCH_BODIES[endpoint], format="json").status_code
            == 403
        )
        assert client_for(people[who]).delete(f"{url}{draft_obj.pk}/").status_code == 403
    office = client_for(people["office"])
    created = office.post(url, body, format="json")
    assert created.status_code == 201, created.content
    draft_obj = tree["draft"][endpoint]
    assert office.patch(f"{url}{draft_obj.pk}/", PATCH_BODIES[endpoint], format="json").status_code == 200
    pub_obj = tree["pub"][endpoint]
    refused = office.patch(f"{url}{pub_obj.pk}/", PATCH_BODIES[endpoint], format="json")
    assert refused.status_code == 422 and "不可修改" in refused.json()["detail"]
    assert office.delete(f"{url}{pub_obj.pk}/").status_code == 422
    if endpoint != "standards":
        body["standard"] = tree["pub"]["standards"].pk
        assert office.post(url, body, format="json").status_code == 422
        assert office.delete(f"{url}{draft_obj.pk}/").status_code == 204


def test_standard_actions_publish_draft_permissions(tree, people, client_for):
    draft, published = tree["draft"]["standards"], tree["pub"]["standards"]
    for who in ("no_role", "health"):
        client = client_for(people[who])
        assert client.post(f"{API}/standards/{draft.pk}/publish/").status_code == 403
        assert client.post(f"{API}/standards/{published.pk}/drafts/", {}).status_code == 403
    assert client_for(None).post(f"{API}/standards/{draft.pk}/publish/").status_code in (401, 403)
    office = client_for(people["office"])
    assert office.post(f"{API}/standards/{draft.pk}/publish/").json()["status"] == "published"
    assert office.post(f"{API}/standards/{draft.pk}/publish/").status_code == 422
    response = office.post(f"{API}/standards/{published.pk}/drafts/", {"version": "新版"}, format="json")
    assert response.status_code == 201 and response.json()["based_on"] == published.pk


def test_standard_read_actions_tree_compare_export(tree, people, client_for):
    draft, published = tree["draft"]["standards"], tree["pub"]["standards"]
    clause = tree["pub"]["standard-clauses"]
    for who in READERS:
        client = client_for(people[who])
        nodes = client.get(f"{API}/standards/{published.pk}/tree/", {"q": clause.title}).json()
        assert nodes[0]["children"][0]["title"].endswith(clause.title)
        compare = client.get(f"{API}/standards/{published.pk}/compare/", {"other": draft.pk})
        assert compare.status_code == 200 and "check_items" in compare.json()
        export = client.get(f"{API}/standards/{published.pk}/export/")
        assert export.status_code == 200 and export.content.startswith(b"PK")
    assert client_for(people["office"]).get(f"{API}/standards/{published.pk}/compare/").status_code == 422
    for url in (f"{API}/standards/{published.pk}/tree/", f"{API}/standards/{published.pk}/export/"):
        assert client_for(None).get(url).status_code in (401, 403)


def test_standard_import_office_only_with_itemised_errors(tree, people, client_for):
    draft = tree["draft"]["standards"]
    bad = write_xlsx(title="x", headers=services.RUBRIC_COLUMNS, rows=[["1", "条款", "K", "", "", "abc"]])
    url = f"{API}/standards/{draft.pk}/import/"
    upload = SimpleUploadedFile("r.xlsx", bad)
    assert client_for(people["health"]).post(url, {"file": upload}, format="multipart").status_code == 403
    response = client_for(people["office"]).post(url, {"file": SimpleUploadedFile("r.xlsx", bad)}, format="multipart")
    assert response.status_code == 422
    assert {e["column"] for e in response.json()["errors"]} == {"检查项", "扣分"}
    good = write_xlsx(title="x", headers=services.RUBRIC_COLUMNS, rows=[["1", "条款", "K", "检查项", "", "2"]])
    response = client_for(people["office"]).post(url, {"file": SimpleUploadedFile("r.xlsx", good)}, format="multipart")
    assert response.status_code == 201 and response.json()["items_created"] == 1


@pytest.fixture
def report(tree, units, people):
    indicator = tree["pub"]["standard-indicators"]
    return services.report_indicator(
        actor=people["health"], indicator=indicator, unit=units["health"], period="2025", value=Decimal("95")
    )


def test_indicator_report_detail_permission_matrix(report, people, client_for):
    assert_permission_matrix(
        client_for,
        f"{API}/indicator-reports/{report.pk}/",
        in_scope=people["health"],
        out_of_scope=people["ecology"],
        no_role=people["no_role"],
    )
    assert client_for(people["office"]).get(f"{API}/indicator-reports/{report.pk}/").status_code == 200


def test_indicator_report_list_scoped_and_bounded_queries(report, tree, units, people, client_for):
    indicator = tree["pub"]["standard-indicators"]
    for year in range(2015, 2025):
        services.report_indicator(
            actor=people["office"], indicator=indicator, unit=units["ecology"], period=str(year), value=Decimal(1)
        )
    assert client_for(None).get(f"{API}/indicator-reports/").status_code in (401, 403)
    assert client_for(people["health"]).get(f"{API}/indicator-reports/").json()["count"] == 1
    assert client_for(people["no_role"]).get(f"{API}/indicator-reports/").json()["count"] == 0
    office = client_for(people["office"])
    with assert_max_queries(12):
        assert office.get(f"{API}/indicator-reports/").json()["count"] == 11


def test_indicator_report_create_permissions(tree, units, people, client_for):
    indicator = tree["pub"]["standard-indicators"]
    body = {"indicator": indicator.pk, "unit": units["health"].pk, "period": "2025", "value": "91"}
    url = f"{API}/indicator-reports/"
    assert client_for(None).post(url, body, format="json").status_code in (401, 403)
    for who in ("no_role", "ecology"):
        assert client_for(people[who]).post(url, body, format="json").status_code == 400
    assert client_for(people["inspector"]).post(url, body, format="json").status_code == 403
    response = client_for(people["health"]).post(
        url, body | {"evidence": SimpleUploadedFile("a.png", PNG)}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["compliance"] == "pass" and len(response.json()["evidence"]) == 1
    assert client_for(people["office"]).post(url, body | {"value": "50"}, format="json").json()["compliance"] == "fail"
    assert IndicatorReport.objects.count() == 1


def test_indicator_report_evidence_upload_matrix(report, people, client_for):
    url = f"{API}/indicator-reports/{report.pk}/evidence/"
    assert client_for(None).post(url, {"file": SimpleUploadedFile("a.png", PNG)}, format="multipart").status_code in (
        401,
        403,
    )
    for who in ("no_role", "ecology"):
        response = client_for(people[who]).post(url, {"file": SimpleUploadedFile("a.png", PNG)}, format="multipart")
        assert response.status_code == 404
    response = client_for(people["health"]).post(url, {"file": SimpleUploadedFile("a.png", PNG)}, format="multipart")
    assert response.status_code == 201


def test_indicator_board_api_scoped(report, tree, people, client_for):
    standard = tree["pub"]["standards"]
    url = f"{API}/indicator-reports/board/?standard={standard.pk}"
    assert client_for(None).get(url).status_code in (401, 403)
    rows = client_for(people["health"]).get(url).json()
    assert rows[0]["units"][0]["history"][0]["compliance"] == "pass"
    assert client_for(people["ecology"]).get(url).json()[0]["units"] == []
    assert client_for(people["office"]).get(f"{API}/indicator-reports/board/").status_code == 422


def test_standard_list_bounded_queries(people, client_for):
    for _ in range(15):
        StandardFactory()
    with assert_max_queries(6):
        assert client_for(people["office"]).get(f"{API}/standards/").json()["count"] == Standard.objects.count()
    with assert_max_queries(8):
        client_for(people["office"]).get(f"{API}/check-items/")
