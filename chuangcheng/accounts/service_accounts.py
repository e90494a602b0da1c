"""Writes for integration (service) accounts and their scoped API tokens.

A service account is a ``User`` with ``is_service_account`` and no usable password; its memberships give
its data scope exactly like a person's. Tokens look like ``cct_<8 chars>_<secret>``: the whole token is
returned once by ``issue_token`` / ``rotate_token`` and only its SHA-256 is kept (tokens carry 256 bits of
randomness, so a plain digest is enough). Only the office administrator manages them; every write is audited.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from chuangcheng.accounts.models import ApiToken, Membership, Role, TokenScope, User
from chuangcheng.accounts.services import _require_admin, create_user, grant_role
from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError
from chuangcheng.org.models import Unit

TOKEN_PREFIX = "cct_"
MAX_GRACE_HOURS = 72
# Last use is written at most once a minute per token, so busy integrations do not write on every call.
TOUCH_EVERY = timedelta(seconds=60)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _new_raw_token() -> tuple[str, str]:
    while True:
        prefix = TOKEN_PREFIX + secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


def _clean_scopes(scopes) -> list[str]:
    scopes = sorted(set(scopes or ()))
    if not scopes:
        raise DomainError("请至少选择一个权限范围", field="scopes")
    unknown = [s for s in scopes if s not in TokenScope.values]
    if unknown:
        raise DomainError(f"未知权限范围：{'、'.join(unknown)}", field="scopes")
    return scopes


def _require_service_account(user: User) -> None:
    if not user.is_service_account:
        raise DomainError("只能为集成账号签发令牌", field="user")


@transaction.atomic
def create_service_account(*, actor, username: str, full_name: str, unit: Unit, role: str) -> User:
    """An integration account (cannot sign in to pages) with one membership giving its scope."""
    _require_admin(actor)
    if role in (Role.OFFICE_ADMIN,):
        raise DomainError("集成账号不能担任创建办管理员", field="role")
    user = create_user(actor=actor, username=username, password=None, full_name=full_name)
    user.is_service_account = True
    user.save(update_fields=["is_service_account"])
    grant_role(actor=actor, user=user, unit=unit, role=role)
    record(
        actor=actor,
        verb="accounts.service_account_created",
        target=user,
        unit=unit,
        changes={"username": [None, user.username], "role": [None, role]},
    )
    return user


@transaction.atomic
def issue_token(*, actor, user: User, name: str, scopes) -> tuple[ApiToken, str]:
    """A new token for a service account; returns the token row and the raw token (shown once)."""
    _require_admin(actor)
    _require_service_account(user)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError("请填写令牌名称（不超过100个字）", field="name")
    scopes = _clean_scopes(scopes)
    prefix, raw = _new_raw_token()
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, key_hash=hash_token(raw), scopes=scopes, created_by=actor
    )
    record(
        actor=actor,
        verb="accounts.token_issued",
        target=token,
        changes={"prefix": [None, prefix], "scopes": [None, scopes], "user": [None, user.username]},
    )
    return token, raw


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> ApiToken:
    _require_admin(actor)
    token = ApiToken.objects.select_for_update(no_key=True).get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, verb="accounts.token_revoked", target=token, changes={"revoked_at": [None, "now"]})
    return token


@transaction.atomic
def rotate_token(*, actor, token: ApiToken, grace_hours: int = 0) -> tuple[ApiToken, str]:
    """A new token with the same name and scopes; the old one is revoked now (``grace_hours=0``) or stops
    working after the grace period (at most 72 hours), so the other system can switch without downtime."""
    _require_admin(actor)
    if not isinstance(grace_hours, int) or not 0 <= grace_hours <= MAX_GRACE_HOURS:
        raise DomainError(f"宽限时间须为0～{MAX_GRACE_HOURS}小时", field="grace_hours")
    old = ApiToken.objects.select_for_update(no_key=True).select_related("user").get(pk=token.pk)
    now = timezone.now()
    if not old.is_usable(now):
        raise DomainError("该令牌已吊销或已失效，不能轮换", field="token")
    new, raw = issue_token(actor=actor, user=old.user, name=old.name, scopes=old.scopes)
    old.replaced_by = new
    if grace_hours:
        old.expires_at = now + timedelta(hours=grace_hours)
    else:
        old.revoked_at = now
    old.save(update_fields=["replaced_by", "expires_at", "revoked_at"])
    record(
        actor=actor,
        verb="accounts.token_rotated",
        target=old,
        changes={"replaced_by": [None, new.prefix], "grace_hours": [None, grace_hours]},
    )
    return new, raw


def touch_token(*, token: ApiToken, address: str | None) -> None:
    """Remember when and from where a token was last used (not audited: it is a read, not a change)."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < TOUCH_EVERY and token.last_used_ip == address:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=address)
    token.last_used_at, token.last_used_ip = now, address


def accounts_with_tokens():
    """Integration accounts with their memberships and tokens (read by the administrator's pages and API)."""
    memberships = Prefetch("memberships", queryset=Membership.objects.select_related("unit").order_by("unit__path"))
    tokens = Prefetch("api_tokens", queryset=ApiToken.objects.select_related("replaced_by"))
    return User.objects.filter(is_service_account=True).prefetch_related(memberships, tokens)
