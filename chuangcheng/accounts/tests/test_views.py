import pytest
from django.test import Client, override_settings

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.audit.models import AuditEvent
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Test-pass-2026"


def test_login_success_redirects_home_and_is_audited():
    user = UserFactory()
    client = Client()
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert AuditEvent.objects.filter(verb="accounts.logged_in", actor=user).exists()


def test_login_wrong_password_shows_chinese_error():
    user = UserFactory()
    response = Client().post("/login/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 400
    assert "用户名或密码错误" in response.content.decode()


@override_settings(LOGIN_MAX_FAILURES=3)
def test_login_is_locked_after_repeated_failures_even_with_right_password():
    user = UserFactory()
    client = Client()
    for _ in range(3):
        client.post("/login/", {"username": user.username, "password": "wrong"})
    response = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_login_rejects_offsite_next():
    user = UserFactory()
    response = Client().post("/login/?next=https://evil.example/", {"username": user.username, "password": PASSWORD})
    assert response.url == "/"


def test_anonymous_home_redirects_to_login():
    response = Client().get("/")
    assert response.status_code == 302 and "/login/" in response.url


def test_logout_requires_post_and_ends_session():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_checks_old_password():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post(
        "/password/", {"old_password": "nope", "new_password1": "Abcd-9876-xyz", "new_password2": "Abcd-9876-xyz"}
    )
    assert response.status_code == 400
    assert "原密码不正确" in response.content.decode()
    response = client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": "Abcd-9876-xyz", "new_password2": "Abcd-9876-xyz"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Abcd-9876-xyz")
    assert AuditEvent.objects.filter(verb="accounts.password_changed", actor=user).exists()


def test_password_change_rejects_weak_password():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post("/password/", {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("role", Role.values)
def test_home_page_renders_for_every_role(role):
    unit = UnitFactory(kind=UnitKind.CITY)
    client = Client()
    client.force_login(user_with_role(role, unit))
    response = client.get("/?all=1")  # "/" itself lands on the role's work (test_landing)
    assert response.status_code == 200
    assert Role(role).label in response.content.decode()


def test_home_page_without_role_says_so():
    client = Client()
    client.force_login(UserFactory())
    assert "尚未分配角色" in client.get("/").content.decode()
