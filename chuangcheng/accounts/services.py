"""Writes for users and memberships."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from chuangcheng.accounts.models import Membership, Role, User
from chuangcheng.accounts.permissions import can_manage_users
from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.org.models import Unit


def _require_admin(actor) -> None:
    if actor is not None and not can_manage_users(actor):
        raise NotPermitted("只有创建办管理员可以管理用户")


@transaction.atomic
def create_user(*, actor, username: str, password: str, full_name: str = "", phone: str = "", email: str = "") -> User:
    """Create a user. ``actor=None`` is allowed only for system set-up (seed commands)."""
    _require_admin(actor)
    if User.objects.filter(username=username).exists():
        raise DomainError(f"用户名“{username}”已存在", field="username")
    user = User(username=username, full_name=full_name, phone=phone, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError("密码不符合要求：" + "；".join(exc.messages), field="password") from exc
        user.set_password(password)
    user.save()
    record(actor=actor, verb="accounts.user_created", target=user, changes={"username": [None, username]})
    return user


@transaction.atomic
def grant_role(*, actor, user: User, unit: Unit, role: str) -> Membership:
    _require_admin(actor)
    if role not in Role.values:
        raise DomainError(f"未知角色“{role}”", field="role")
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        record(actor=actor, verb="accounts.role_granted", target=membership, unit=unit, changes={"role": [None, role]})
    return membership


@transaction.atomic
def revoke_role(*, actor, membership: Membership) -> None:
    _require_admin(actor)
    record(
        actor=actor,
        verb="accounts.role_revoked",
        target=membership,
        unit=membership.unit,
        changes={"role": [membership.role, None]},
    )
    membership.delete()


@transaction.atomic
def change_password(*, actor: User, old_password: str, new_password: str) -> User:
    user = User.objects.select_for_update(no_key=True).get(pk=actor.pk)
    if not user.check_password(old_password):
        raise DomainError("原密码不正确", field="old_password")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError("新密码不符合要求：" + "；".join(exc.messages), field="new_password1") from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(actor=actor, verb="accounts.password_changed", target=user)
    return user
