"""Open311 API keys, managed by the office: issue (shown once), revoke, and check."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.public.models import ApiKey
from chuangcheng.public.permissions import can_manage_api_keys


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_api_key(*, actor, name: str, unit=None) -> tuple[ApiKey, str]:
    """Returns ``(api_key, secret)``; only the hash of the secret is stored."""
    if not can_manage_api_keys(actor):
        raise NotPermitted("只有创建办管理员可以发放接口密钥")
    if not name.strip():
        raise DomainError("请填写使用方名称", field="name")
    secret = secrets.token_urlsafe(24)
    api_key = ApiKey(name=name.strip(), prefix=secret[:8], key_hash=_hash(secret), unit=unit, created_by=actor)
    api_key.save()
    record(actor=actor, verb="public.api_key_issued", target=api_key, unit=unit, changes={"name": [None, api_key.name]})
    return api_key, secret


@transaction.atomic
def revoke_api_key(*, api_key: ApiKey, actor) -> ApiKey:
    if not can_manage_api_keys(actor):
        raise NotPermitted("只有创建办管理员可以停用接口密钥")
    api_key = ApiKey.objects.select_for_update(no_key=True).get(pk=api_key.pk)
    if not api_key.is_active:
        raise Conflict("该密钥已停用")
    api_key.is_active = False
    api_key.revoked_at = timezone.now()
    api_key.save(update_fields=["is_active", "revoked_at"])
    record(
        actor=actor,
        verb="public.api_key_revoked",
        target=api_key,
        unit=api_key.unit,
        changes={"is_active": [True, False]},
    )
    return api_key


def check_api_key(secret: str) -> ApiKey | None:
    """The active key matching ``secret``, or None. Touches ``last_used_at`` at most once a minute."""
    if not secret:
        return None
    api_key = ApiKey.objects.filter(key_hash=_hash(secret), is_active=True).first()
    if api_key is not None:
        now = timezone.now()
        if api_key.last_used_at is None or (now - api_key.last_used_at).total_seconds() > 60:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key
