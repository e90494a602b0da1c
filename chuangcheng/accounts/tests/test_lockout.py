"""Sign-in lockout that a guesser cannot use against someone else, and the admin's sign-in under it (issue 14/6)."""

import pytest
from django.test import Client, override_settings

from chuangcheng.accounts import throttling
from chuangcheng.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Test-pass-2026"


def client_from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def login(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


@override_settings(LOGIN_MAX_FAILURES=3)
def test_guessing_from_one_address_locks_that_address_only():
    user = UserFactory()
    attacker = client_from("203.0.113.9")
    for _ in range(3):
        assert login(attacker, user.username, "wrong").status_code == 400
    assert login(attacker, user.username, PASSWORD).status_code == 429
    # the owner at another address, never signed in before, is not locked out by the guesser
    assert login(client_from("198.51.100.7"), user.username, PASSWORD).status_code == 302


@override_settings(LOGIN_MAX_FAILURES=3, LOGIN_ACCOUNT_MAX_FAILURES=6)
def test_known_client_gets_in_while_the_account_is_attacked_from_many_addresses():
    user = UserFactory()
    owner = client_from("198.51.100.7")
    assert login(owner, user.username, PASSWORD).status_code == 302
    assert throttling.KNOWN_CLIENT_COOKIE in owner.cookies
    owner.post("/logout/")
    for n in range(6):  # guesses spread over addresses, under the per-address limit each
        login(client_from(f"203.0.113.{n // 2}"), user.username, "wrong")
    # a new client, even at a fresh address, may not try the attacked account
    assert login(client_from("192.0.2.50"), user.username, PASSWORD).status_code == 429
    # the owner's browser signed in before: let through with the right password
    assert login(owner, user.username, PASSWORD).status_code == 302


@override_settings(LOGIN_MAX_FAILURES=3)
def test_known_client_behind_the_attackers_address_still_gets_in():
    user = UserFactory()
    office = "198.51.100.7"  # one NAT address for the whole office
    owner = client_from(office)
    assert login(owner, user.username, PASSWORD).status_code == 302
    owner.post("/logout/")
    colleague = client_from(office)
    for _ in range(3):
        login(colleague, user.username, "wrong")
    assert login(colleague, user.username, PASSWORD).status_code == 429
    assert login(owner, user.username, PASSWORD).status_code == 302


@override_settings(LOGIN_MAX_FAILURES=3)
def test_known_client_is_limited_by_its_own_failures():
    user = UserFactory()
    owner = client_from("198.51.100.7")
    assert login(owner, user.username, PASSWORD).status_code == 302
    owner.post("/logout/")
    for _ in range(3):
        assert login(owner, user.username, "wrong").status_code == 400
    assert login(owner, user.username, PASSWORD).status_code == 429


@override_settings(LOGIN_MAX_FAILURES=3)
def test_a_forged_or_foreign_known_client_cookie_counts_for_nothing():
    user, other = UserFactory(), UserFactory()
    attacker = client_from("203.0.113.9")
    assert login(attacker, other.username, PASSWORD).status_code == 302  # known client of *another* account
    attacker.post("/logout/")
    for _ in range(3):
        login(attacker, user.username, "wrong")
    assert login(attacker, user.username, PASSWORD).status_code == 429
    forged = client_from("203.0.113.10")
    forged.cookies[throttling.KNOWN_CLIENT_COOKIE] = '{"id":"x","a":[]}'
    for _ in range(3):
        login(forged, user.username, "wrong")
    assert login(forged, user.username, PASSWORD).status_code == 429


@override_settings(LOGIN_MAX_FAILURES=4)
def test_one_address_trying_many_accounts_is_locked():
    users = [UserFactory() for _ in range(5)]
    sprayer = client_from("203.0.113.9")
    for user in users:
        for _ in range(3):  # under the per-account limit each, 15 in all
            login(sprayer, user.username, "wrong")
    victim = UserFactory()
    login(sprayer, victim.username, "wrong")  # the 16th failure from this address: 4 × 4
    assert login(sprayer, victim.username, PASSWORD).status_code == 429
    assert login(client_from("198.51.100.7"), victim.username, PASSWORD).status_code == 302


def test_admin_login_goes_to_the_product_login():
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/login/?next=/admin/"
    assert client.get("/admin/").status_code == 302  # the admin's form did not sign anyone in
    response = client.get("/admin/")
    assert response.url.startswith("/admin/login/")


@override_settings(LOGIN_MAX_FAILURES=3)
def test_admin_sign_in_is_throttled_like_everyone_else():
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(3):
        client.post("/login/?next=/admin/", {"username": staff.username, "password": "wrong"})
    response = client.post("/login/?next=/admin/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 429
    response = client_from("198.51.100.7").post(
        "/login/?next=/admin/", {"username": staff.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response.url == "/admin/"


# Passwords: the username plus digits is refused (Django's similarity check lets "zhangsan20261206" through).
@pytest.mark.parametrize(
    "password", ["zhangsan20261206", "Zhangsan@20261206!", "20261206ZHANGSAN", "zhang-san-2026-12"]
)
def test_password_made_of_the_username_plus_digits_is_refused(password):
    user = UserFactory(username="zhangsan")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": password, "new_password2": password}
    )
    assert response.status_code == 400
    assert "密码不能由用户名加数字组成" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_containing_the_username_with_other_words_is_accepted():
    user = UserFactory(username="zhangsan")
    client = Client()
    client.force_login(user)
    password = "zhangsan-Qiu-Tian-Lu-7"
    response = client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": password, "new_password2": password}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(password)
