"""Office users are not shown developer fields (issue 13, item 8): no 点位ID/区域ID/检查项ID boxes, no
tri-state 未知, no ``---------``, and unit selects read as a tree."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.dossiers.tests.factories import MaterialFactory
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import SiteCategoryFactory, SiteFactory

pytestmark = pytest.mark.django_db

DEVELOPER_TEXT = (
    "点位ID",
    "区域ID",
    "检查项ID",
    "单位ID",
    "资料要求ID",
    "条款ID",
    "标准ID",
    "类别ID",
    "未知",
    "---------",
)


@pytest.fixture
def city():
    root = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=root)
    district = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=root)
    street = UnitFactory(code="D01-S01", name="东城一街道", kind=UnitKind.STREET, parent=district)
    site = SiteFactory(category=SiteCategoryFactory(name="农贸市场"), unit=street)
    case = CaseFactory(site=site, lead_unit=street, status=CaseStatus.REPORTED)
    CaseFactory(site=site, lead_unit=None, status=CaseStatus.REGISTERED)  # waits for a unit on the dispatch desk
    MaterialFactory(unit=street)
    client = Client()
    client.force_login(user_with_role(Role.OFFICE_ADMIN, office))
    return {"client": client, "site": site, "case": case, "street": street}


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "cases:list",
        "cases:create",
        "cases:rules",
        "cases:rule_create",
        "dossiers:material_list",
        "org:unit_list",
        "accounts:user_list",
    ],
)
def test_office_pages_show_no_developer_fields(city, name):
    html = _page(city["client"], reverse(name))
    shown = [text for text in DEVELOPER_TEXT if text in html]
    assert shown == []


def test_case_ledger_keeps_an_id_filter_from_a_link_as_a_hidden_value(city):
    html = _page(city["client"], reverse("cases:list") + f"?site={city['site'].pk}")
    assert f'<input type="hidden" name="site" value="{city["site"].pk}"' in html
    assert "点位ID" not in html
    # yes/no filters read 全部/是/否
    overdue = re.search(r'<select name="overdue"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.findall(r">([^<]+)</option>", overdue) == ["全部", "是", "否"]


def test_unit_selects_read_as_a_tree(city):
    indented = "\u3000\u3000东城一街道"
    for url in (
        reverse("cases:list"),
        reverse("cases:rule_create"),
        reverse("cases:dispatch"),
        reverse("cases:detail", args=[city["case"].pk]),
    ):
        html = _page(city["client"], url)
        assert f">{indented}</option>" in html, url
