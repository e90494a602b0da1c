"""Service accounts and scoped API tokens: issue, use, scope (403) vs data scope (404), rotate, revoke."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from chuangcheng.accounts import service_accounts as sa
from chuangcheng.accounts.models import ApiToken, Role, TokenScope
from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.core.errors import DomainError, NotPermitted

pytestmark = pytest.mark.django_db


def bearer(raw, keyword="Bearer"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {raw}")
    return client


def integration(world, unit=None, scopes=(TokenScope.CASES_READ,), username="gov-bridge"):
    user = sa.create_service_account(
        actor=world.admin, username=username, full_name="数字城管对接", unit=unit or world.urban, role=Role.UNIT_HANDLER
    )
    token, raw = sa.issue_token(actor=world.admin, user=user, name="数字城管", scopes=list(scopes))
    return user, token, raw


def test_issue_token_stores_only_a_hash_and_shows_the_prefix(world):
    user, token, raw = integration(world)
    assert raw.startswith(token.prefix + "_") and token.prefix.startswith("cct_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == sa.hash_token(raw) and raw not in str(stored.__dict__)
    assert user.is_service_account and not user.has_usable_password()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"accounts.service_account_created", "accounts.token_issued"} <= verbs


def test_only_office_admin_manages_service_accounts(world):
    with pytest.raises(NotPermitted):
        sa.create_service_account(
            actor=world.office, username="x-bridge", full_name="x", unit=world.urban, role="unit_handler"
        )
    user, token, _ = integration(world)
    with pytest.raises(NotPermitted):
        sa.issue_token(actor=world.office, user=user, name="再来一个", scopes=["cases:read"])
    with pytest.raises(NotPermitted):
        sa.revoke_token(actor=world.office, token=token)


def test_tokens_only_for_service_accounts_with_known_scopes(world):
    with pytest.raises(DomainError) as person:
        sa.issue_token(actor=world.admin, user=world.handler, name="个人", scopes=["cases:read"])
    assert person.value.field == "user"
    user, _, _ = integration(world)
    with pytest.raises(DomainError) as unknown:
        sa.issue_token(actor=world.admin, user=user, name="x", scopes=["cases:delete"])
    assert unknown.value.field == "scopes" and "cases:delete" in unknown.value.message
    with pytest.raises(DomainError):
        sa.issue_token(actor=world.admin, user=user, name="x", scopes=[])


def test_token_reads_cases_of_its_units_and_records_last_use(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    _, token, raw = integration(world)
    for keyword in ("Bearer", "Token"):
        response = bearer(raw, keyword).get(f"/api/v1/cases/{case.pk}/", REMOTE_ADDR="10.1.2.3")
        assert response.status_code == 200, response.content
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_ip == "10.1.2.3"


def test_case_outside_the_accounts_units_is_404_and_missing_scope_is_403(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    _, _, other = integration(world, unit=world.market, username="market-bridge")
    assert bearer(other).get(f"/api/v1/cases/{case.pk}/").status_code == 404
    _, _, reader = integration(world)
    response = bearer(reader).post(
        f"/api/v1/cases/{case.pk}/transitions/", {"action": "sign", "note": ""}, format="json"
    )
    assert response.status_code == 403 and "cases:write" in response.json()["detail"]
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED


def test_token_with_write_scope_moves_a_case_it_may_handle(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    _, _, raw = integration(world, scopes=(TokenScope.CASES_READ, TokenScope.CASES_WRITE))
    response = bearer(raw).post(f"/api/v1/cases/{case.pk}/transitions/", {"action": "sign"}, format="json")
    assert response.status_code in (200, 201), response.content
    case.refresh_from_db()
    assert case.status == CaseStatus.SIGNED


def test_endpoints_without_a_token_scope_refuse_tokens_with_403(world):
    _, _, raw = integration(world, scopes=list(TokenScope.values))
    assert bearer(raw).get("/api/v1/users/").status_code == 403
    assert bearer(raw).get("/api/v1/notifications/").status_code == 403
    assert bearer(raw).get("/api/v1/me/").status_code == 200


def test_unknown_revoked_and_expired_tokens_answer_401(world):
    _, token, raw = integration(world)
    for bad in ("cct_deadbeef_nope", raw + "x"):
        response = bearer(bad).get("/api/v1/me/")
        assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    sa.revoke_token(actor=world.admin, token=token)
    assert bearer(raw).get("/api/v1/me/").status_code == 401
    assert AuditEvent.objects.filter(verb="accounts.token_revoked").count() == 1


def test_rotate_without_grace_revokes_the_old_token_at_once(world):
    _, token, old_raw = integration(world)
    new, new_raw = sa.rotate_token(actor=world.admin, token=token)
    assert new.scopes == token.scopes and new.name == token.name and new.prefix != token.prefix
    assert bearer(old_raw).get("/api/v1/me/").status_code == 401
    assert bearer(new_raw).get("/api/v1/me/").status_code == 200
    with pytest.raises(DomainError):
        sa.rotate_token(actor=world.admin, token=token)


def test_rotate_with_grace_keeps_the_old_token_until_it_expires(world):
    _, token, old_raw = integration(world)
    sa.rotate_token(actor=world.admin, token=token, grace_hours=24)
    assert bearer(old_raw).get("/api/v1/me/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(old_raw).get("/api/v1/me/").status_code == 401
    with pytest.raises(DomainError) as too_long:
        sa.rotate_token(actor=world.admin, token=ApiToken.objects.latest("id"), grace_hours=100)
    assert too_long.value.field == "grace_hours"


def test_disabled_service_account_cannot_use_its_token(world):
    from chuangcheng.accounts.services import set_active

    user, _, raw = integration(world)
    set_active(actor=world.admin, user=user, is_active=False)
    assert bearer(raw).get("/api/v1/me/").status_code == 401


def test_service_account_cannot_sign_in_to_pages(world, client):
    user, _, raw = integration(world)
    assert not client.login(username=user.username, password=raw)


def test_service_account_pages_issue_rotate_and_revoke(world, client):
    client.force_login(world.admin)
    response = client.post(
        "/users/service/new/",
        {"username": "szcg-bridge", "full_name": "数字城管平台", "unit": world.urban.pk, "role": Role.UNIT_HANDLER},
    )
    assert response.status_code == 302
    account = world.admin.__class__.objects.get(username="szcg-bridge")
    assert account.is_service_account
    page = client.post(f"/users/service/{account.pk}/tokens/", {"name": "主令牌", "scopes": ["cases:read"]})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=account)
    raw = page.context["raw"]
    assert raw.startswith(token.prefix) and sa.hash_token(raw) == token.key_hash
    detail = client.get(f"/users/service/{account.pk}/").content.decode()
    assert token.prefix in detail and raw not in detail
    rotated = client.post(f"/users/service/{account.pk}/tokens/{token.pk}/rotate/", {"grace_hours": "24"})
    assert rotated.status_code == 200 and rotated.context["raw"] != raw
    client.post(f"/users/service/{account.pk}/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "szcg-bridge" in client.get("/users/service/").content.decode()


def test_service_account_pages_are_for_the_office_admin_only(world, client):
    user, token, _ = integration(world)
    client.force_login(world.office)
    assert client.get("/users/service/").status_code == 403
    assert client.post(f"/users/service/{user.pk}/tokens/{token.pk}/revoke/").status_code == 403
    client.force_login(world.admin)
    assert client.get(f"/users/service/{world.handler.pk}/").status_code == 404


def test_service_account_api_issues_a_token_once_and_lists_without_it(world):
    client = APIClient()
    client.force_authenticate(world.admin)
    created = client.post(
        "/api/v1/service-accounts/",
        {"username": "hotline-bridge", "full_name": "12345 热线", "unit": world.urban.pk, "role": "unit_handler"},
        format="json",
    )
    assert created.status_code == 201, created.content
    issued = client.post(
        f"/api/v1/service-accounts/{created.json()['id']}/tokens/",
        {"name": "推送", "scopes": ["hotline:push"]},
        format="json",
    )
    assert issued.status_code == 201 and issued.json()["token"].startswith("cct_")
    listing = client.get("/api/v1/api-tokens/").json()
    assert listing["results"][0]["prefix"] == issued.json()["prefix"] and "token" not in listing["results"][0]
    bad = client.post(
        f"/api/v1/service-accounts/{created.json()['id']}/tokens/", {"name": "x", "scopes": ["root"]}, format="json"
    )
    assert bad.status_code == 400
    rotated = client.post(f"/api/v1/api-tokens/{issued.json()['id']}/rotate/", {"grace_hours": 1}, format="json")
    assert rotated.status_code == 201 and rotated.json()["token"] != issued.json()["token"]
    revoked = client.post(f"/api/v1/api-tokens/{rotated.json()['id']}/revoke/")
    assert revoked.json()["status"] == "已吊销"
    staff = APIClient()
    staff.force_authenticate(world.office)
    assert staff.get("/api/v1/service-accounts/").status_code == 403


def test_service_account_cannot_get_a_password(world):
    from chuangcheng.accounts.services import reset_password

    user, _, _ = integration(world)
    with pytest.raises(DomainError):
        reset_password(actor=world.admin, user=user)


def test_service_account_list_endpoint_has_bounded_queries(world):
    from chuangcheng.core.testing import assert_max_queries

    for number in range(5):
        _, token, _ = integration(world, username=f"bridge-{number}")
        sa.rotate_token(actor=world.admin, token=token, grace_hours=1)
    client = APIClient()
    client.force_authenticate(world.admin)
    with assert_max_queries(10):
        response = client.get("/api/v1/service-accounts/")
    assert response.status_code == 200 and response.json()["count"] == 5
    assert all(len(row["tokens"]) == 2 for row in response.json()["results"])
