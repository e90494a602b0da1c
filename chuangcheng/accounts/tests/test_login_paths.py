"""The ways a new user arrives at the login (issue 13, item 8): /login/, /accounts/login/, /admin/login/,
and ``next`` – including through the first-login password change."""

import pytest
from django.test import Client

from chuangcheng.accounts.models import Role, User
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Test-pass-2026"


@pytest.fixture
def leader():
    return user_with_role(Role.LEADER, UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY))


def _sign_in(client, user, url="/login/"):
    return client.post(url, {"username": user.username, "password": PASSWORD})


def test_a_page_sends_an_anonymous_visitor_to_the_login_and_back(leader):
    client = Client()
    response = client.get("/readiness/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/readiness/"
    page = client.get(response["Location"]).content.decode()
    assert 'name="next" value="/readiness/"' in page
    response = _sign_in(client, leader, response["Location"])
    assert response.status_code == 302 and response["Location"] == "/readiness/"


def test_django_default_login_addresses_lead_to_the_one_login_page(leader):
    client = Client()
    response = client.get("/accounts/login/?next=/readiness/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/readiness/"
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_foreign_or_looping_next_is_ignored(leader):
    client = Client()
    assert _sign_in(client, leader, "/login/?next=https://evil.example/")["Location"] == "/"
    client = Client()
    assert _sign_in(client, leader, "/login/?next=/login/")["Location"] == "/"


def test_signed_in_user_following_a_login_link_goes_to_next_not_in_circles(leader):
    client = Client()
    client.force_login(leader)
    assert client.get("/login/?next=/readiness/")["Location"] == "/readiness/"
    # the admin sends non-staff back to its login, which leads here: go home instead of looping
    response = client.get("/login/?next=/admin/")
    assert response["Location"] == "/"
    assert "后台管理仅限系统管理员" in client.get("/?all=1").content.decode()


def test_first_login_password_change_keeps_where_the_user_was_going(leader):
    User.objects.filter(pk=leader.pk).update(must_change_password=True)
    client = Client()
    response = _sign_in(client, leader, "/login/?next=/readiness/")
    assert response["Location"] == "/readiness/"
    response = client.get("/readiness/")
    assert response.status_code == 302 and response["Location"] == "/password/?next=%2Freadiness%2F"
    response = client.post(
        response["Location"],
        {"old_password": PASSWORD, "new_password1": "Brand-new-2026x", "new_password2": "Brand-new-2026x"},
    )
    assert response.status_code == 302 and response["Location"] == "/readiness/"
    assert client.get("/readiness/").status_code == 200
