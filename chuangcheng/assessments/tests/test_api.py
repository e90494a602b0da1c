"""API: permission matrix per endpoint, a unit never reads another unit's lines, documents download."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from chuangcheng.assessments import services
from chuangcheng.assessments.models import PeriodKind, RuleKind, ScoreLine, UnitScore
from chuangcheng.assessments.tests.conftest import client_for
from chuangcheng.assessments.tests.factories import (
    AccountabilityRecordFactory,
    CommendationFactory,
    DecisionFactory,
)
from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(tree, users):
    actor = users["office"]
    scheme = services.create_scheme(actor=actor, code="KH", name="示范市创建工作考核办法", red_count=1, black_count=1)
    services.create_peer_group(actor=actor, scheme=scheme, name="区县", unit_kinds=["district"])
    services.create_peer_group(actor=actor, scheme=scheme, name="街道", unit_kinds=["street"])
    services.create_rule(actor=actor, scheme=scheme, kind=RuleKind.COMMENDATION, points=Decimal(2))
    scheme = services.publish_scheme(scheme=scheme, actor=actor)
    CommendationFactory(unit=tree["east"], title="东城表彰", awarded_on=datetime.date(2026, 3, 3))
    CommendationFactory(unit=tree["west"], title="西城表彰", awarded_on=datetime.date(2026, 3, 4))
    CommendationFactory(unit=tree["west"], title="西城再表彰", awarded_on=datetime.date(2026, 3, 5))
    period = services.create_period(
        actor=actor,
        scheme=scheme,
        kind=PeriodKind.MONTHLY,
        start=datetime.date(2026, 3, 1),
        end=datetime.date(2026, 3, 31),
        name="2026年3月专项考核",
        doc_number="示创办〔2026〕12号",
    )
    services.compute_period(period=period, actor=actor)
    return services.publish_period(period=period, actor=actor)


def matrix(url, tree, users, in_scope="east", out_of_scope="west"):
    assert_permission_matrix(
        client_for, url, in_scope=users[in_scope], out_of_scope=users[out_of_scope], no_role=users["nobody"]
    )


def test_unit_score_detail_permission_matrix(published, tree, users):
    score = UnitScore.objects.get(period=published, unit=tree["east"])
    matrix(f"/api/v1/assessments/scores/{score.pk}/", tree, users)
    matrix(f"/api/v1/assessments/scores/{score.pk}/lines/", tree, users)


def test_score_line_detail_permission_matrix(published, tree, users):
    line = ScoreLine.objects.get(period=published, unit=tree["east"])
    matrix(f"/api/v1/assessments/lines/{line.pk}/", tree, users)


def test_indicator_detail_permission_matrix(published, tree, users):
    row = published.indicators.get(unit=tree["east"], code="registered")
    matrix(f"/api/v1/assessments/indicators/{row.pk}/", tree, users)


@pytest.mark.parametrize(
    "factory,url",
    [
        (DecisionFactory, "decisions"),
        (AccountabilityRecordFactory, "accountability"),
        (CommendationFactory, "commendations"),
    ],
)
def test_outcome_detail_permission_matrix(factory, url, tree, users):
    item = factory(unit=tree["east"])
    matrix(f"/api/v1/assessments/{url}/{item.pk}/", tree, users)


def test_unit_reads_only_its_own_lines(published, tree, users):
    response = client_for(users["west"]).get(f"/api/v1/assessments/lines/?period={published.pk}")
    assert response.status_code == 200
    units = {row["unit"] for row in response.json()["results"]}
    assert units == {tree["west"].pk}
    east_line = ScoreLine.objects.get(period=published, unit=tree["east"])
    assert client_for(users["west"]).get(f"/api/v1/assessments/lines/{east_line.pk}/").status_code == 404
    east_score = east_line.score
    assert client_for(users["west"]).get(f"/api/v1/assessments/scores/{east_score.pk}/lines/").status_code == 404
    office = client_for(users["office"]).get(f"/api/v1/assessments/lines/?period={published.pk}").json()
    assert {row["unit"] for row in office["results"]} == {tree["east"].pk, tree["west"].pk}


def test_ranking_is_announced_to_every_unit_but_lines_are_not(published, tree, users):
    ranking = client_for(users["east"]).get(f"/api/v1/assessments/periods/{published.pk}/ranking/").json()
    assert [row["unit_name"] for row in ranking if row["group"] == "区县"][0] == "西城区"
    assert all("lines" not in row for row in ranking)


def test_preview_is_hidden_from_units_until_published(tree, users, published):
    actor = users["office"]
    draft = services.create_period(
        actor=actor,
        scheme=published.scheme,
        kind=PeriodKind.QUARTERLY,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 3, 31),
    )
    services.compute_period(period=draft, actor=actor)
    assert client_for(users["east"]).get(f"/api/v1/assessments/periods/{draft.pk}/").status_code == 404
    score = UnitScore.objects.get(period=draft, unit=tree["east"])
    assert client_for(users["east"]).get(f"/api/v1/assessments/scores/{score.pk}/").status_code == 404
    assert client_for(users["office"]).get(f"/api/v1/assessments/scores/{score.pk}/").status_code == 200


@pytest.mark.parametrize("user,expected", [("office", 202), ("east", 403), ("nobody", 404), (None, 403)])
def test_compute_endpoint_permissions(tree, users, published, user, expected, django_capture_on_commit_callbacks):
    period = services.create_period(
        actor=users["office"],
        scheme=published.scheme,
        kind=PeriodKind.ANNUAL,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    if user == "east":  # units only see published periods; publish a copy to reach the service check
        period = published
        expected = 403
    client = client_for(users.get(user) if user else None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/assessments/periods/{period.pk}/compute/")
    assert response.status_code in ((401, 403) if user is None else (expected,)), response.content
    if user == "office":
        period.refresh_from_db()
        assert period.status == "computed"


def test_compute_published_period_is_refused_with_409(published, users):
    response = client_for(users["office"]).post(f"/api/v1/assessments/periods/{published.pk}/compute/")
    assert response.status_code == 409
    assert "冻结" in response.json()["detail"]


def test_verify_reports_intact_hash(published, users):
    body = client_for(users["east"]).get(f"/api/v1/assessments/periods/{published.pk}/verify/").json()
    assert body["intact"] is True and body["content_hash"] == published.content_hash


@pytest.mark.parametrize(
    "method,url,data",
    [
        ("post", "/api/v1/assessments/schemes/", {"code": "X", "name": "新办法"}),
        ("post", "/api/v1/assessments/decisions/", {"kind": "reward", "title": "奖", "decided_on": "2026-04-01"}),
    ],
)
def test_unit_users_cannot_write(tree, users, method, url, data):
    data = dict(data)
    if "decisions" in url:
        data["unit"] = tree["east"].pk
    response = getattr(client_for(users["east"]), method)(url, data, format="json")
    assert response.status_code == 403
    assert "创建办" in response.json()["detail"]


def test_office_creates_scheme_rule_and_publishes_via_api(tree, users):
    client = client_for(users["office"])
    scheme = client.post(
        "/api/v1/assessments/schemes/", {"code": "KH9", "name": "测试办法", "base_score": "100"}, format="json"
    ).json()
    rule = client.post(
        "/api/v1/assessments/rules/",
        {"scheme": scheme["id"], "kind": "open_case", "points": "0.5", "severity": "serious"},
        format="json",
    )
    assert rule.status_code == 201, rule.json()
    group = client.post(
        "/api/v1/assessments/peer-groups/",
        {"scheme": scheme["id"], "name": "区县", "unit_kinds": ["district"]},
        format="json",
    )
    assert group.status_code == 201, group.json()
    published = client.post(f"/api/v1/assessments/schemes/{scheme['id']}/publish/")
    assert published.json()["status"] == "published"
    frozen = client.patch(f"/api/v1/assessments/rules/{rule.json()['id']}/", {"points": "3"}, format="json")
    assert frozen.status_code == 409
    assert AuditEvent.objects.filter(verb="assessments.scheme_published").exists()


def test_accountability_record_with_document_upload(tree, users):
    pdf = io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    pdf.name = "约谈记录.pdf"
    response = client_for(users["office"]).post(
        "/api/v1/assessments/accountability/",
        {
            "unit": tree["east"].pk,
            "kind": "interview",
            "reason": "连续两期黑榜",
            "occurred_on": "2026-04-03",
            "person_name": "李四",
            "position": "副区长",
            "document": pdf,
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["document"].endswith(".pdf")
    fake = io.BytesIO(b"not a pdf at all")
    fake.name = "x.pdf"
    bad = client_for(users["office"]).post(
        "/api/v1/assessments/commendations/",
        {"unit": tree["east"].pk, "title": "表彰", "awarded_on": "2026-04-03", "document": fake},
        format="multipart",
    )
    assert bad.status_code == 422 and bad.json()["field"] == "document"


def test_ledger_xlsx_for_office_only(published, users):
    response = client_for(users["office"]).get(f"/api/v1/assessments/periods/{published.pk}/ledger/")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    ranking = workbook["排名台账"]
    assert ranking["A1"].value.startswith("2026年3月专项考核")
    assert [c.value for c in ranking[3]][:4] == ["区县", 1, "D02", "西城区"]
    assert workbook["得分明细"].max_row == 4  # header + 3 commendation lines
    assert client_for(users["east"]).get(f"/api/v1/assessments/periods/{published.pk}/ledger/").status_code == 403


def test_bulletin_docx_downloads(published, users):
    response = client_for(users["east"]).get(f"/api/v1/assessments/periods/{published.pk}/bulletin/")
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def test_line_list_query_count_is_flat(published, tree, users):
    client = client_for(users["office"])
    with assert_max_queries(6):
        client.get(f"/api/v1/assessments/lines/?period={published.pk}")
    with assert_max_queries(6):
        client.get(f"/api/v1/assessments/scores/?period={published.pk}")


def _global_endpoints(published):
    scheme = published.scheme
    rule, group = scheme.rules.first(), scheme.peer_groups.first()
    return [
        f"/api/v1/assessments/schemes/{scheme.pk}/",
        f"/api/v1/assessments/rules/{rule.pk}/",
        f"/api/v1/assessments/peer-groups/{group.pk}/",
        f"/api/v1/assessments/periods/{published.pk}/",
        f"/api/v1/assessments/periods/{published.pk}/ranking/",
        f"/api/v1/assessments/periods/{published.pk}/verify/",
        f"/api/v1/assessments/periods/{published.pk}/bulletin/",
    ]


def test_shared_endpoints_matrix_anonymous_no_role_unit_office(published, users):
    """Schemes and published periods are shared by every role holder: no 'out of scope' unit exists for them."""
    for url in _global_endpoints(published):
        assert client_for(None).get(url).status_code in (401, 403), url
        assert client_for(users["nobody"]).get(url).status_code == 404, url
        for who in ("east", "west", "leader", "office"):
            assert client_for(users[who]).get(url).status_code == 200, (who, url)


@pytest.mark.parametrize(
    "method,path,data",
    [
        ("patch", "schemes/{scheme}/", {"name": "改名"}),
        ("post", "schemes/{scheme}/new-version/", None),
        ("post", "rules/", {"scheme": "{scheme}", "kind": "open_case", "points": "1"}),
        ("delete", "rules/{rule}/", None),
        ("post", "peer-groups/", {"scheme": "{scheme}", "name": "新组", "unit_kinds": ["street"]}),
        ("post", "periods/", {"scheme": "{scheme}", "kind": "monthly", "start": "2026-04-01", "end": "2026-04-30"}),
        ("patch", "periods/{period}/", {"doc_number": "示创办〔2026〕13号"}),
        ("post", "periods/{period}/publish/", None),
        ("post", "commendations/", {"unit": "{unit}", "title": "表彰", "awarded_on": "2026-04-01"}),
    ],
)
def test_write_endpoints_matrix(published, tree, users, method, path, data):
    ids = {
        "scheme": published.scheme_id,
        "rule": published.scheme.rules.first().pk,
        "period": published.pk,
        "unit": tree["east"].pk,
    }
    url = "/api/v1/assessments/" + path.format(**ids)
    body = {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in (data or {}).items()} if data else None
    assert getattr(client_for(None), method)(url, body, format="json").status_code in (401, 403)
    nobody = getattr(client_for(users["nobody"]), method)(url, body, format="json").status_code
    assert nobody in (403, 404)  # creates answer 403 (service), object URLs 404 (not visible)
    assert getattr(client_for(users["east"]), method)(url, body, format="json").status_code == 403
    office = getattr(client_for(users["office"]), method)(url, body, format="json").status_code
    # the published scheme and period are frozen: the office gets 409 there, 2xx elsewhere
    frozen = (
        path.startswith(("schemes/{scheme}/", "rules/", "peer-groups/", "periods/{period}/"))
        and "new-version" not in path
    )
    assert office == (409 if frozen else office) and (frozen or 200 <= office < 300), (url, office)
