"""Pages: permission matrix, office-only pages, and every page renders in Chinese."""

import datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.test import Client

from chuangcheng.assessments import services
from chuangcheng.assessments.models import Period, PeriodStatus, RuleKind, Scheme, ScoreLine, UnitScore
from chuangcheng.assessments.tests.factories import AccountabilityRecordFactory
from chuangcheng.assessments.tests.test_api import published  # noqa: F401 - fixture
from chuangcheng.core.testing import assert_permission_matrix

pytestmark = pytest.mark.django_db


def page_client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_score_page_permission_matrix(published, tree, users):  # noqa: F811
    score = UnitScore.objects.get(period=published, unit=tree["east"])
    assert_permission_matrix(
        page_client,
        f"/assessments/scores/{score.pk}/",
        in_scope=users["east"],
        out_of_scope=users["west"],
        no_role=users["nobody"],
    )


def test_score_page_lists_every_line_of_own_unit_only(published, tree, users):  # noqa: F811
    score = UnitScore.objects.get(period=published, unit=tree["west"])
    html = page_client(users["west"]).get(f"/assessments/scores/{score.pk}/").content.decode()
    assert "西城表彰" in html and "西城再表彰" in html and "东城表彰" not in html
    assert "104" in html


def test_period_pages_render_for_office_and_units(published, tree, users):  # noqa: F811
    office, east = page_client(users["office"]), page_client(users["east"])
    for client in (office, east):
        assert "2026年3月专项考核" in client.get("/assessments/").content.decode()
        detail = client.get(f"/assessments/periods/{published.pk}/").content.decode()
        assert "西城区" in detail and "校验一致" in detail
        assert client.get(f"/assessments/periods/{published.pk}/indicators/").status_code == 200
        assert client.get(f"/assessments/periods/{published.pk}/bulletin.docx").status_code == 200
    ledger = office.get(f"/assessments/periods/{published.pk}/ledger.xlsx")
    assert ledger.status_code == 200
    assert quote("2026年3月专项考核排名台账.xlsx") in ledger["Content-Disposition"]
    bulletin = east.get(f"/assessments/periods/{published.pk}/bulletin.docx")
    assert quote("2026年3月专项考核通报.docx") in bulletin["Content-Disposition"]
    assert east.get(f"/assessments/periods/{published.pk}/ledger.xlsx").status_code == 403


@pytest.mark.parametrize(
    "url",
    ["/assessments/periods/new/", "/assessments/schemes/new/", "/assessments/outcomes/decisions/new/"],
)
def test_office_only_pages_forbid_units(url, users):
    assert page_client(users["east"]).get(url).status_code == 403
    assert page_client(users["office"]).get(url).status_code == 200
    assert page_client(None).get(url).status_code == 302


def test_office_builds_scheme_and_period_through_pages(tree, users, django_capture_on_commit_callbacks):
    client = page_client(users["office"])
    response = client.post(
        "/assessments/schemes/new/",
        {
            "code": "KHP",
            "name": "页面考核办法",
            "base_score": "100",
            "normalisation": "none",
            "red_count": 1,
            "black_count": 1,
            "sign_limit_days": 1,
        },
    )
    scheme = Scheme.objects.get(code="KHP")
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(
        f"/assessments/schemes/{scheme.pk}/groups/new/", {"name": "区县", "unit_kinds": ["district"], "sort_order": 0}
    )
    client.post(
        f"/assessments/schemes/{scheme.pk}/rules/new/",
        {"kind": RuleKind.COMMENDATION, "points": "2", "sort_order": 0, "params": ""},
    )
    client.post(f"/assessments/schemes/{scheme.pk}/publish/")
    scheme.refresh_from_db()
    assert scheme.is_published and scheme.rules.count() == 1
    response = client.post(
        "/assessments/periods/new/",
        {
            "scheme": scheme.pk,
            "kind": "quarterly",
            "name": "2026年第一季度面上考核",
            "start": "2026-01-01",
            "end": "2026-03-31",
            "issuer": "示范市创建办",
            "addressees": "各区",
            "signer": "示范市创建办",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    period = Period.objects.get(name="2026年第一季度面上考核")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/assessments/periods/{period.pk}/compute/")
    period.refresh_from_db()
    assert period.status == PeriodStatus.COMPUTED
    client.post(f"/assessments/periods/{period.pk}/publish/")
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED
    follow = client.post(f"/assessments/periods/{period.pk}/compute/", follow=True).content.decode()
    assert "冻结" in follow


def test_scheme_and_outcome_pages_render(published, tree, users):  # noqa: F811
    AccountabilityRecordFactory(unit=tree["east"], reason="排名末位约谈")
    client = page_client(users["east"])
    assert "排名末位约谈" in client.get("/assessments/outcomes/").content.decode()
    west = page_client(users["west"]).get("/assessments/outcomes/").content.decode()
    assert "排名末位约谈" not in west
    html = client.get(f"/assessments/schemes/{published.scheme_id}/").content.decode()
    assert "表彰加分" in html and "新增规则" not in html


def test_draft_rule_edit_page_and_delete(tree, users):
    actor = users["office"]
    scheme = services.create_scheme(actor=actor, code="K2", name="草稿办法")
    rule = services.create_rule(actor=actor, scheme=scheme, kind=RuleKind.OPEN_CASE, points=Decimal(1))
    client = page_client(actor)
    assert client.get(f"/assessments/schemes/{scheme.pk}/rules/{rule.pk}/").status_code == 200
    client.post(f"/assessments/schemes/{scheme.pk}/rules/{rule.pk}/delete/")
    assert not scheme.rules.exists()
    assert ScoreLine.objects.count() == 0
    _ = datetime


def test_period_list_shows_the_users_own_unit_score(published, tree, users):  # noqa: F811
    from chuangcheng.accounts.models import Role
    from chuangcheng.accounts.tests.factories import user_with_role

    district = user_with_role(Role.UNIT_HEAD, tree["east"])
    html = page_client(district).get("/assessments/").content.decode()
    assert "东城区 102.00 分" in html and "东城一街道" not in html


def test_indicator_values_read_as_counts_and_percentages(published, tree, users):  # noqa: F811
    from chuangcheng.assessments.models import IndicatorResult

    score = UnitScore.objects.get(period=published, unit=tree["east"])
    rows = IndicatorResult.objects.filter(period=published, unit=tree["east"])
    rows.filter(code="registered").update(value=Decimal("42.00"), numerator=42)
    rows.filter(code="ontime_closure_rate").update(value=Decimal("57.14"), numerator=20, denominator=35, grade="D")
    client = page_client(users["east"])
    for url in (f"/assessments/scores/{score.pk}/", f"/assessments/periods/{published.pk}/indicators/"):
        html = client.get(url).content.decode()
        assert "42.00" not in html  # a number of cases is never shown as "42.00"
        assert ">42<" in html or ">42 <" in html
        assert "57.14%" in html


def test_scheme_page_describes_rule_parameters_and_groups_in_chinese(users):
    from chuangcheng.assessments.views.schemes import describe_params

    office = users["office"]
    scheme = services.create_scheme(actor=office, code="KP", name="参数说明办法", red_count=1, black_count=1)
    services.create_peer_group(actor=office, scheme=scheme, name="区县", unit_kinds=["district"])
    services.create_rule(
        actor=office,
        scheme=scheme,
        kind=RuleKind.INDICATOR_GRADE,
        points=Decimal(0),
        params={"indicator": "ontime_closure_rate", "grade_points": {"A": 1, "E": -2}},
    )
    services.create_rule(
        actor=office,
        scheme=scheme,
        kind=RuleKind.FUND_DEDUCTION,
        points=Decimal(0),
        params={"below_score": 80, "amount": 20000},
    )
    html = page_client(users["east"]).get(f"/assessments/schemes/{scheme.pk}/").content.decode()
    assert "指标：按期结案率；A级+1分、E级-2分" in html
    assert "得分低于80分时；扣罚20000元" in html
    assert "ontime_closure_rate" not in html and "below_score" not in html
    assert "<td>区县</td>" in html and ">district<" not in html
    assert describe_params({"from": "both", "item_points": True}) == "来源：案件和督查发现；按检查项分值扣分"
