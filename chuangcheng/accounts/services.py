"""Writes for users and memberships."""

from __future__ import annotations

import re
import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from chuangcheng.accounts.models import Membership, Role, User
from chuangcheng.accounts.permissions import can_manage_users, is_office_for, manages_user
from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.tabular import ImportFailed, ImportReport, read_table
from chuangcheng.org.models import Unit

USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")
PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
PROFILE_FIELDS = ("full_name", "phone", "email")
ROLE_BY_LABEL = {label: value for value, label in Role.choices} | {value: value for value in Role.values}
USER_COLUMNS = ("用户名", "姓名", "手机号", "邮箱", "单位编码", "角色")


def _require_admin(actor, user: User | None = None) -> None:
    if actor is not None and not can_manage_users(actor):
        raise NotPermitted("只有创建办管理员可以管理用户")
    if actor is not None and user is not None and not manages_user(actor, user):
        raise NotPermitted("该账号不在本级管辖范围内")


def temporary_password(user: User) -> str:
    """A random password that passes the configured validators (shown once, changed at first login)."""
    # Handed over on paper or by phone: no look-alike characters (0/O/o, 1/l/I).
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0Oo1lI")
    while True:
        candidate = "Cc-" + "".join(secrets.choice(alphabet) for _ in range(10))
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate


def _check_profile(*, full_name: str, phone: str, email: str) -> None:
    if len(full_name) > 50:
        raise DomainError("姓名不能超过50个字", field="full_name")
    if phone and not PHONE.match(phone):
        raise DomainError("手机号格式不正确（11位手机号或带区号的固定电话）", field="phone")
    if email and ("@" not in email or len(email) > 254):
        raise DomainError("邮箱格式不正确", field="email")


@transaction.atomic
def create_user(
    *,
    actor,
    username: str,
    password: str | None,
    full_name: str = "",
    phone: str = "",
    email: str = "",
    must_change_password: bool = False,
) -> User:
    """Create a user. ``actor=None`` is allowed only for system set-up (seed commands).

    ``password=None`` makes an account that cannot log in until a password is set."""
    _require_admin(actor)
    username = (username or "").strip()
    if not USERNAME.match(username):
        raise DomainError("用户名须为3～150位字母、数字或 _ . @ + -", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"用户名“{username}”已存在", field="username")
    full_name, phone, email = (full_name or "").strip(), (phone or "").strip(), (email or "").strip()
    _check_profile(full_name=full_name, phone=phone, email=email)
    user = User(
        username=username, full_name=full_name, phone=phone, email=email, must_change_password=must_change_password
    )
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
def create_account(
    *, actor, username: str, full_name: str, unit: Unit, role: str, phone: str = "", email: str = ""
) -> tuple[User, str]:
    """A new person's account with one role and a temporary password (returned once, to be handed over;
    it must be changed at first login). Pages, API and import all create accounts through here."""
    password = temporary_password(User(username=(username or "").strip()))
    user = create_user(
        actor=actor,
        username=username,
        password=password,
        full_name=full_name,
        phone=phone,
        email=email,
        must_change_password=True,
    )
    grant_role(actor=actor, user=user, unit=unit, role=role)
    return user, password


@transaction.atomic
def update_user(*, actor, user: User, **changes) -> User:
    """Change a user's name, phone or e-mail."""
    _require_admin(actor, user)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    values = {name: (changes.get(name, getattr(user, name)) or "").strip() for name in PROFILE_FIELDS}
    _check_profile(**values)
    delta = {name: [getattr(user, name), value] for name, value in values.items() if getattr(user, name) != value}
    if delta:
        for name, value in values.items():
            setattr(user, name, value)
        user.save(update_fields=list(PROFILE_FIELDS))
        record(actor=actor, verb="accounts.user_updated", target=user, changes=delta)
    return user


@transaction.atomic
def set_active(*, actor, user: User, is_active: bool) -> User:
    """Disable an account (it can no longer log in; its history stays) or enable it again."""
    _require_admin(actor, user)
    if actor is not None and actor.pk == user.pk and not is_active:
        raise DomainError("不能停用自己的账号", field="is_active")
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if user.is_active != is_active:
        record(
            actor=actor,
            verb="accounts.user_activated" if is_active else "accounts.user_deactivated",
            target=user,
            changes={"is_active": [user.is_active, is_active]},
        )
        user.is_active = is_active
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def reset_password(*, actor, user: User) -> str:
    """Give the user a temporary password (returned once, never stored in clear); it must be changed at login."""
    _require_admin(actor, user)
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if user.is_service_account:
        raise DomainError("集成账号只凭 API 令牌访问，不能设置登录密码", field="password")
    password = temporary_password(user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    record(actor=actor, verb="accounts.password_reset", target=user)
    return password


@transaction.atomic
def import_users(*, actor, data: bytes, filename: str = "") -> list[tuple[User, str]]:
    """All-or-nothing xlsx/CSV import of accounts with one role each (a user may appear on several rows
    with different units or roles). Returns ``(user, temporary password)`` for the new accounts."""
    _require_admin(actor)
    table = read_table(data, filename=filename, required=("用户名", "姓名", "单位编码", "角色"))
    report = ImportReport()
    units = {unit.code: unit for unit in Unit.objects.filter(is_active=True)}
    existing = {name.lower() for name in User.objects.values_list("username", flat=True)}
    first_row: dict[str, int] = {}
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        username, name = row.get("用户名", ""), row.get("姓名", "")
        if not USERNAME.match(username):
            report.add(number, "用户名", username, "须为3～150位字母、数字或 _ . @ + -")
        elif username.lower() in existing:
            report.add(number, "用户名", username, "系统中已存在该用户名")
        first_row.setdefault(username.lower(), number)
        if not name:
            report.add(number, "姓名", name, "不能为空")
        try:
            _check_profile(full_name=name, phone=row.get("手机号", ""), email=row.get("邮箱", ""))
        except DomainError as exc:
            column = {"full_name": "姓名", "phone": "手机号", "email": "邮箱"}[exc.field]
            report.add(number, column, row.get(column, ""), exc.message)
        if row.get("单位编码", "") not in units:
            report.add(number, "单位编码", row.get("单位编码", ""), "单位不存在或已停用")
        elif actor is not None and not is_office_for(actor, units[row["单位编码"]]):
            report.add(number, "单位编码", row["单位编码"], "单位不在本级管辖范围内")
        if row.get("角色", "") not in ROLE_BY_LABEL:
            report.add(
                number, "角色", row.get("角色", ""), "未知角色，可选：" + "、".join(label for _, label in Role.choices)
            )
    if not report.ok:
        raise ImportFailed(report)
    created: dict[str, tuple[User, str]] = {}
    for row in table.rows:
        key = row["用户名"].lower()
        unit, role = units[row["单位编码"]], ROLE_BY_LABEL[row["角色"]]
        if key in created:  # a further row of the same person: one more role
            grant_role(actor=actor, user=created[key][0], unit=unit, role=role)
            continue
        created[key] = create_account(
            actor=actor,
            username=row["用户名"],
            full_name=row["姓名"],
            phone=row.get("手机号", ""),
            email=row.get("邮箱", ""),
            unit=unit,
            role=role,
        )
    record(
        actor=actor, verb="accounts.users_imported", target_type="accounts.user", changes={"count": [0, len(created)]}
    )
    return list(created.values())


@transaction.atomic
def grant_role(*, actor, user: User, unit: Unit, role: str) -> Membership:
    _require_admin(actor)
    if actor is not None and not is_office_for(actor, unit):
        raise DomainError(f"单位“{unit.name}”不在本级管辖范围内", field="unit")
    if role not in Role.values:
        raise DomainError(f"未知角色“{role}”", field="role")
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        record(actor=actor, verb="accounts.role_granted", target=membership, unit=unit, changes={"role": [None, role]})
    return membership


@transaction.atomic
def revoke_role(*, actor, membership: Membership) -> None:
    _require_admin(actor)
    if actor is not None and not is_office_for(actor, membership.unit_id):
        raise NotPermitted("该角色所在单位不在本级管辖范围内")
    if actor is not None and membership.user_id == actor.pk and membership.role == Role.OFFICE_ADMIN:
        raise DomainError("不能撤销自己的创建办管理员角色（请由另一位管理员操作）", field="role")
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
    if new_password == old_password:
        raise DomainError("新密码不能与原密码相同", field="new_password1")
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    record(actor=actor, verb="accounts.password_changed", target=user)
    return user
