"""The office administrator manages accounts: create, import, edit, roles, disable, temporary passwords."""

import io

import pytest
from django.test import Client
from openpyxl import Workbook

from chuangcheng.accounts import services
from chuangcheng.accounts.models import Membership, Role, User
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.tabular import ImportFailed
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    cg = UnitFactory(code="DEPT-CG", name="市城管局", kind=UnitKind.DEPARTMENT, parent=city)
    return {
        "city": city,
        "office": office,
        "cg": cg,
        "admin": user_with_role(Role.OFFICE_ADMIN, office),
        "staff": user_with_role(Role.OFFICE_STAFF, office),
        "handler": user_with_role(Role.UNIT_HANDLER, cg),
    }


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["用户名", "姓名", "手机号", "邮箱", "单位编码", "角色"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("url", ["/users/", "/users/new/", "/users/import/", "/users/{pk}/", "/users/{pk}/edit/"])
def test_account_pages_are_for_the_office_admin_only(org, url):
    url = url.format(pk=org["handler"].pk)
    assert client_for(None).get(url).status_code == 302
    assert client_for(org["staff"]).get(url).status_code == 403
    assert client_for(org["handler"]).get(url).status_code == 403
    assert client_for(org["admin"]).get(url).status_code == 200


def test_list_filters_by_role_and_text(org):
    page = client_for(org["admin"]).get("/users/", {"role": "unit_handler"}).content.decode()
    assert org["handler"].username in page and org["staff"].username not in page
    page = client_for(org["admin"]).get("/users/", {"q": org["staff"].full_name}).content.decode()
    assert org["staff"].username in page and org["handler"].username not in page


def test_create_page_shows_a_temporary_password_once_and_login_forces_a_change(org):
    response = client_for(org["admin"]).post(
        "/users/new/",
        {
            "username": "wang_cg",
            "full_name": "王城管",
            "phone": "13800001111",
            "unit": org["cg"].pk,
            "role": "unit_handler",
        },
    )
    assert response.status_code == 200 and "只显示这一次" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    password = response.context["created"][0][1]
    assert not set(password) & set("0Oo1lI")  # handed over on paper: no look-alike characters
    user = User.objects.get(username="wang_cg")
    assert user.must_change_password and user.check_password(password)
    assert list(user.memberships.values_list("unit__code", "role")) == [("DEPT-CG", "unit_handler")]
    assert password not in str(list(AuditEvent.objects.values_list("changes", flat=True)))
    newcomer = Client()
    assert newcomer.post("/login/", {"username": "wang_cg", "password": password}).status_code == 302
    assert newcomer.get("/cases/").url == "/password/?next=%2Fcases%2F"
    changed = newcomer.post(
        "/password/", {"old_password": password, "new_password1": "Qiu-Tian-2026!", "new_password2": "Qiu-Tian-2026!"}
    )
    assert changed.status_code == 302
    assert newcomer.get("/cases/").status_code == 200


def test_create_with_bad_input_names_the_field_and_creates_nothing(org):
    response = client_for(org["admin"]).post(
        "/users/new/",
        {"username": "王 五", "full_name": "王五", "phone": "123", "unit": org["cg"].pk, "role": "leader"},
    )
    assert response.status_code == 200 and "用户名须为3～150位字母" in response.content.decode()
    assert not User.objects.filter(full_name="王五").exists()
    with pytest.raises(DomainError) as error:
        services.create_user(actor=org["admin"], username="wang5", password=None, phone="123")
    assert error.value.field == "phone"


def test_import_is_all_or_nothing_with_every_problem_listed(org):
    bad = xlsx(
        [
            ["li_1", "李一", "13800000001", "", "DEPT-CG", "单位承办人"],
            ["li_2", "", "", "", "NOPE", "局长"],
            [org["handler"].username, "重名", "", "", "DEPT-CG", "单位承办人"],
        ]
    )
    with pytest.raises(ImportFailed) as failure:
        services.import_users(actor=org["admin"], data=bad, filename="users.xlsx")
    issues = {(i.row, i.column) for i in failure.value.report.issues}
    assert {(3, "姓名"), (3, "单位编码"), (3, "角色"), (4, "用户名")} <= issues
    assert not User.objects.filter(username="li_1").exists()


def test_import_creates_accounts_with_several_roles(org):
    data = xlsx(
        [
            ["li_1", "李一", "13800000001", "", "DEPT-CG", "单位承办人"],
            ["li_1", "李一", "13800000001", "", "DEPT-CG", "督查员"],
            ["li_2", "李二", "", "li2@example.cn", "OFFICE", "office_staff"],
        ]
    )
    created = dict(
        (user.username, (user, password))
        for user, password in services.import_users(actor=org["admin"], data=data, filename="users.xlsx")
    )
    assert set(created) == {"li_1", "li_2"}
    user, password = created["li_1"]
    assert user.check_password(password) and user.must_change_password
    assert set(user.memberships.values_list("role", flat=True)) == {"unit_handler", "inspector"}
    assert created["li_2"][0].memberships.get().role == Role.OFFICE_STAFF
    assert AuditEvent.objects.filter(verb="accounts.users_imported").exists()


def test_import_page_lists_temporary_passwords(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("users.xlsx", xlsx([["li_9", "李九", "", "", "DEPT-CG", "单位负责人"]]))
    response = client_for(org["admin"]).post("/users/import/", {"file": upload})
    assert response.status_code == 200 and "导入成功：新增 1 个账号" in response.content.decode()
    assert User.objects.get(username="li_9").memberships.get().role == Role.UNIT_HEAD


def test_roles_granted_and_revoked_on_the_account_page(org):
    client = client_for(org["admin"])
    target = org["handler"]
    assert client.post(f"/users/{target.pk}/roles/", {"unit": org["cg"].pk, "role": "inspector"}).status_code == 302
    assert target.memberships.filter(role="inspector").exists()
    membership = target.memberships.get(role="inspector")
    assert client.post(f"/users/{target.pk}/roles/{membership.pk}/revoke/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"accounts.role_granted", "accounts.role_revoked"} <= verbs
    refused = client.post(f"/users/{target.pk}/roles/", {"unit": "", "role": "inspector"}, follow=True)
    assert "授予角色失败：单位" in refused.content.decode()


def test_admin_cannot_lock_themselves_out(org):
    admin = org["admin"]
    with pytest.raises(DomainError):
        services.set_active(actor=admin, user=admin, is_active=False)
    own = admin.memberships.get(role=Role.OFFICE_ADMIN)
    with pytest.raises(DomainError):
        services.revoke_role(actor=admin, membership=own)
    page = client_for(admin).post(f"/users/{admin.pk}/active/", {"is_active": "0"}, follow=True)
    assert "不能停用自己的账号" in page.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


def test_disabled_account_cannot_log_in_and_can_be_enabled_again(org):
    client = client_for(org["admin"])
    target = org["handler"]
    client.post(f"/users/{target.pk}/active/", {"is_active": "0"})
    target.refresh_from_db()
    assert not target.is_active
    assert Client().post("/login/", {"username": target.username, "password": "Test-pass-2026"}).status_code == 400
    client.post(f"/users/{target.pk}/active/", {"is_active": "1"})
    target.refresh_from_db()
    assert target.is_active
    assert AuditEvent.objects.filter(verb="accounts.user_deactivated", target_id=str(target.pk)).exists()


def test_password_reset_gives_a_new_temporary_password(org):
    target = org["handler"]
    response = client_for(org["admin"]).post(f"/users/{target.pk}/password/")
    password = response.context["created"][0][1]
    assert response["Cache-Control"] == "no-store"
    target.refresh_from_db()
    assert target.check_password(password) and not target.check_password("Test-pass-2026")
    assert target.must_change_password
    assert AuditEvent.objects.filter(verb="accounts.password_reset", target_id=str(target.pk)).exists()


def test_edit_profile(org):
    target = org["handler"]
    response = client_for(org["admin"]).post(
        f"/users/{target.pk}/edit/", {"full_name": "新名字", "phone": "021-12345678"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.full_name, target.phone) == ("新名字", "021-12345678")
    event = AuditEvent.objects.get(verb="accounts.user_updated")
    assert event.changes["full_name"][1] == "新名字"


def test_services_refuse_non_admins(org):
    for who in ("staff", "handler"):
        with pytest.raises(NotPermitted):
            services.reset_password(actor=org[who], user=org["handler"])
        with pytest.raises(NotPermitted):
            services.update_user(actor=org[who], user=org["handler"], full_name="x")


def test_django_admin_cannot_change_accounts(org):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(superuser)
    url = f"/admin/accounts/user/{org['handler'].pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"username": "renamed"}).status_code == 403
    assert client.get("/admin/accounts/user/add/").status_code == 403


def api_for(user):
    from rest_framework.test import APIClient

    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_users_api_for_the_office_admin_only(org):
    assert api_for(None).get("/api/v1/users/").status_code in (401, 403)
    assert api_for(org["staff"]).get("/api/v1/users/").status_code == 403
    listing = api_for(org["admin"]).get("/api/v1/users/", {"role": "office_staff"}).json()
    assert [row["username"] for row in listing["results"]] == [org["staff"].username]


def test_users_api_create_roles_active_and_reset(org):
    client = api_for(org["admin"])
    created = client.post(
        "/api/v1/users/",
        {"username": "api_user", "full_name": "接口用户", "unit": org["cg"].pk, "role": "unit_head"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    user = User.objects.get(username="api_user")
    assert user.check_password(body["temporary_password"]) and body["memberships"][0]["role"] == "unit_head"
    bad = client.post(f"/api/v1/users/{user.pk}/grant-role/", {"unit": 999999, "role": "inspector"}, format="json")
    assert bad.status_code == 422 and bad.json()["field"] == "unit"
    granted = client.post(f"/api/v1/users/{user.pk}/grant-role/", {"unit": org["cg"].pk, "role": "inspector"})
    assert {m["role"] for m in granted.json()["memberships"]} == {"unit_head", "inspector"}
    membership = user.memberships.get(role="inspector")
    revoked = client.post(f"/api/v1/users/{user.pk}/revoke-role/", {"membership": membership.pk})
    assert [m["role"] for m in revoked.json()["memberships"]] == ["unit_head"]
    assert client.post(f"/api/v1/users/{user.pk}/set-active/", {"is_active": "maybe"}).status_code == 422
    assert client.post(f"/api/v1/users/{user.pk}/set-active/", {"is_active": "false"}).json()["is_active"] is False
    reset = client.post(f"/api/v1/users/{user.pk}/reset-password/").json()
    user.refresh_from_db()
    assert user.check_password(reset["temporary_password"])
    patched = client.patch(f"/api/v1/users/{user.pk}/", {"phone": "1380000"}, format="json")
    assert patched.status_code == 422 and patched.json()["field"] == "phone"


def test_temporary_passwords_avoid_look_alike_characters(org):
    passwords = [services.temporary_password(User(username=f"u{n}")) for n in range(200)]
    assert len(set(passwords)) == 200
    assert not set("".join(passwords)) & set("0Oo1lI")
