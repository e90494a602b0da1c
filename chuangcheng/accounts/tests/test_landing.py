"""Each role lands on its own work when it opens the product (or signs in); ``/?all=1`` keeps every card."""

import pytest
from django.test import Client
from django.urls import reverse

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import MembershipFactory, UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Test-pass-2026"

LANDS_ON = {
    Role.OFFICE_ADMIN: ("cases:dispatch", "派遣台"),
    Role.OFFICE_STAFF: ("cases:dispatch", "派遣台"),
    Role.LEADER: ("dashboard:index", "指挥中心"),
    Role.UNIT_HEAD: ("cases:inbox", "单位待办"),
    Role.UNIT_HANDLER: ("cases:inbox", "单位待办"),
    Role.INSPECTOR: ("cases:verify_queue", "待核查"),
    Role.GRID_WORKER: ("inspections:patrol", "巡查"),
}


def unit_for(role):
    city = UnitFactory(kind=UnitKind.CITY, name="示范市")
    if role in (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.INSPECTOR):
        return UnitFactory(kind=UnitKind.OFFICE, parent=city, name="市创建办")
    if role in (Role.UNIT_HEAD, Role.UNIT_HANDLER):
        return UnitFactory(kind=UnitKind.DEPARTMENT, parent=city, name="市城管局")
    if role == Role.GRID_WORKER:
        return UnitFactory(kind=UnitKind.COMMUNITY, parent=city, name="一社区")
    return city


@pytest.mark.parametrize("role", Role.values)
def test_each_role_opens_the_product_on_its_own_work(role):
    url_name, text = LANDS_ON[role]
    client = Client()
    client.force_login(user_with_role(role, unit_for(role)))
    response = client.get("/")
    assert response.status_code == 302 and response.url == reverse(url_name)
    page = client.get(response.url)
    assert page.status_code == 200 and text in page.content.decode()


@pytest.mark.parametrize("role", Role.values)
def test_signing_in_lands_on_the_roles_work(role):
    url_name, _text = LANDS_ON[role]
    user = user_with_role(role, unit_for(role))
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(url_name)
    assert response.status_code == 200


def test_inspector_lands_on_the_verification_queue_titled_first():
    client = Client()
    client.force_login(user_with_role(Role.INSPECTOR, unit_for(Role.INSPECTOR)))
    page = client.get("/", follow=True).content.decode()
    assert "<h1>待核查" in page


def test_office_role_wins_over_other_roles():
    office = unit_for(Role.OFFICE_STAFF)
    user = user_with_role(Role.INSPECTOR, office)
    MembershipFactory(user=user, unit=office, role=Role.OFFICE_STAFF)
    client = Client()
    client.force_login(user)
    assert client.get("/").url == reverse("cases:dispatch")


def test_all_cards_stay_reachable_and_a_user_without_role_stays_home():
    client = Client()
    client.force_login(user_with_role(Role.INSPECTOR, unit_for(Role.INSPECTOR)))
    page = client.get("/?all=1")
    assert page.status_code == 200 and "督查员" in page.content.decode()
    client.force_login(UserFactory())
    page = client.get("/")
    assert page.status_code == 200 and "尚未分配角色" in page.content.decode()
