"""Endpoints (对接系统) configured by the office, each with a system account for its inbound updates."""

from __future__ import annotations

import re
import secrets

from django.db import transaction

from chuangcheng.accounts import services as account_services
from chuangcheng.accounts.models import Role, User
from chuangcheng.audit.services import record
from chuangcheng.cases.models import CaseSource
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.exchange.models import Endpoint, EndpointKind
from chuangcheng.exchange.permissions import can_configure_endpoints
from chuangcheng.exchange.services.triggers import endpoints_changed

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
FIELDS = ("name", "kind", "url", "unit", "manual_only", "rule_sources", "is_active", "open311_jurisdiction",
          "open311_api_key", "pull_every_minutes")  # fmt: skip
RULES = ("rule_categories", "rule_areas", "rule_units")


def _require(actor) -> None:
    if not can_configure_endpoints(actor):
        raise NotPermitted("只有创建办管理员可以配置对接系统")


def _check(values: dict) -> None:
    if values.get("kind") not in EndpointKind.values:
        raise DomainError("请选择对接系统类型", field="kind")
    if not str(values.get("url", "")).startswith(("http://", "https://")):
        raise DomainError("地址须以 http:// 或 https:// 开头", field="url")
    unknown = [s for s in values.get("rule_sources") or [] if s not in CaseSource.values]
    if unknown:
        raise DomainError(f"未知的来源：{'、'.join(unknown)}", field="rule_sources")
    if values.get("kind") in (EndpointKind.CITY_MGMT, EndpointKind.DISTRICT) and values.get("unit") is None:
        raise DomainError("数字城管/区县系统须指定对应单位（其状态回传以该单位的系统账号办理）", field="unit")
    if not 1 <= int(values.get("pull_every_minutes") or 15) <= 1440:
        raise DomainError("拉取间隔须在 1～1440 分钟之间", field="pull_every_minutes")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _system_actor(*, actor, endpoint: Endpoint) -> User | None:
    """A user without a password standing for the other system, 单位承办人 of its unit."""
    if endpoint.unit is None:
        return endpoint.actor
    user = endpoint.actor
    if user is None:
        user = account_services.create_user(
            actor=actor, username=f"exchange-{endpoint.code}", password=None, full_name=f"{endpoint.name}（系统）"
        )
    account_services.grant_role(actor=actor, user=user, unit=endpoint.unit, role=Role.UNIT_HANDLER)
    return user


@transaction.atomic
def create_endpoint(*, actor, code: str, secret: str = "", **values) -> tuple[Endpoint, str]:
    """Create an endpoint; returns it and its shared secret (shown this once)."""
    _require(actor)
    code = (code or "").strip().lower()
    if not CODE.match(code):
        raise DomainError("接口编码须为 2～40 位小写字母、数字或 -", field="code")
    if Endpoint.objects.filter(code=code).exists():
        raise DomainError(f"接口编码“{code}”已存在", field="code")
    rules = {name: values.pop(name, None) or [] for name in RULES}
    values.setdefault("rule_sources", [])
    _check(values)
    secret = secret or new_secret()
    if len(secret) < 16:
        raise DomainError("共享密钥至少 16 个字符", field="secret")
    endpoint = Endpoint.objects.create(code=code, secret=secret, **{k: v for k, v in values.items() if k in FIELDS})
    for name, items in rules.items():
        getattr(endpoint, name).set(items)
    endpoint.actor = _system_actor(actor=actor, endpoint=endpoint)
    endpoint.save(update_fields=["actor"])
    endpoints_changed()
    transaction.on_commit(endpoints_changed)
    record(
        actor=actor,
        verb="exchange.endpoint_created",
        target=endpoint,
        unit=endpoint.unit,
        changes={"code": [None, code], "kind": [None, endpoint.kind], "url": [None, endpoint.url]},
    )
    return endpoint, secret


@transaction.atomic
def update_endpoint(*, actor, endpoint: Endpoint, **values) -> Endpoint:
    _require(actor)
    endpoint = Endpoint.objects.select_for_update(no_key=True).get(pk=endpoint.pk)
    values.pop("code", None)
    values.pop("secret", None)
    rules = {name: values.pop(name) for name in RULES if name in values}
    merged = {name: getattr(endpoint, name) for name in FIELDS} | values
    _check(merged)
    changes = {}
    for name in FIELDS:
        if name in values and getattr(endpoint, name) != values[name]:
            old = getattr(endpoint, name)
            changes[name] = [str(old) if name == "unit" else old, str(values[name]) if name == "unit" else values[name]]
            setattr(endpoint, name, values[name])
    endpoint.save()
    for name, items in rules.items():
        getattr(endpoint, name).set(items)
        changes[name] = [None, [item.pk for item in items]]
    if "unit" in changes:
        endpoint.actor = _system_actor(actor=actor, endpoint=endpoint)
        endpoint.save(update_fields=["actor"])
    endpoints_changed()
    transaction.on_commit(endpoints_changed)
    record(actor=actor, verb="exchange.endpoint_updated", target=endpoint, unit=endpoint.unit, changes=changes)
    return endpoint


@transaction.atomic
def rotate_secret(*, actor, endpoint: Endpoint) -> tuple[Endpoint, str]:
    """A new shared secret (shown once); the old one stops working at once."""
    _require(actor)
    endpoint = Endpoint.objects.select_for_update(no_key=True).get(pk=endpoint.pk)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "updated_at"])
    record(actor=actor, verb="exchange.secret_rotated", target=endpoint, changes={"secret": ["••••", "••••"]})
    return endpoint, endpoint.secret
