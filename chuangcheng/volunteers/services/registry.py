"""The registry: register and update volunteers (duplicate 身份证号 refused), teams with leader and members."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Q

from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.volunteers import permissions
from chuangcheng.volunteers.identity import IdNumber, check_phone, parse_id_number
from chuangcheng.volunteers.models import Team, Volunteer, VolunteerStatus

DUPLICATE = "身份证号：该身份证号已登记为志愿者（{name}，{unit}）"
SUSPECTED = "身份证号：与已登记的志愿者{name}（{unit}）姓名相同、脱敏身份证号相同，疑似重复，请核对完整身份证号"


def require_unit(actor, unit, field: str = "unit") -> None:
    if not permissions.can_manage_unit(actor, unit):
        raise NotPermitted(f"无权管理“{unit.name}”的志愿者和活动", field=field)


def duplicate_of(name: str, identity: IdNumber, *, exclude_pk=None) -> str | None:
    """The Chinese reason a registration duplicates a stored volunteer, or None (see ``identity.py``)."""
    rows = Volunteer.objects.select_related("unit").exclude(pk=exclude_pk)
    if identity.hash:
        match = rows.filter(id_hash=identity.hash).first()
        if match:
            return DUPLICATE.format(name=match.name, unit=match.unit.name)
        suspect = rows.filter(id_masked=identity.masked, name=name, id_hash="").first()
    else:
        suspect = rows.filter(Q(id_masked=identity.masked) & Q(name=name)).first()
    if suspect:
        return SUSPECTED.format(name=suspect.name, unit=suspect.unit.name)
    return None


def _field_value(parse, value, field):
    try:
        return parse(value)
    except ValueError as exc:
        raise DomainError(str(exc), field=field) from None


@transaction.atomic
def register_volunteer(
    *,
    actor,
    name: str,
    phone: str,
    id_number: str,
    unit,
    area=None,
    skills: str = "",
    joined_on: date | None = None,
    note: str = "",
    is_demo: bool = False,
) -> Volunteer:
    require_unit(actor, unit)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写姓名", field="name")
    phone = _field_value(check_phone, phone, "phone")
    identity = _field_value(parse_id_number, id_number, "id_number")
    reason = duplicate_of(name, identity)
    if reason:
        raise DomainError(reason, field="id_number", code="duplicate")
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                name=name,
                phone=phone,
                id_masked=identity.masked,
                id_hash=identity.hash,
                skills=skills.strip(),
                unit=unit,
                area=area,
                joined_on=joined_on,
                note=note.strip(),
                is_demo=is_demo,
                created_by=actor,
            )
    except IntegrityError:  # a concurrent registration of the same number
        raise DomainError("身份证号：该身份证号已登记为志愿者", field="id_number", code="duplicate") from None
    record(
        actor=actor,
        verb="volunteers.volunteer_registered",
        target=volunteer,
        unit=unit,
        changes={"id_verified": [None, identity.verified]},
    )
    return volunteer


EDITABLE = ("name", "phone", "skills", "unit", "area", "status", "joined_on", "note")


@transaction.atomic
def update_volunteer(*, actor, volunteer: Volunteer, id_number: str = "", **changes) -> Volunteer:
    """Change the listed fields; a new ``id_number`` (full or masked) replaces the stored one after the same
    duplicate checks. Moving a volunteer needs rights over both units."""
    volunteer = Volunteer.objects.select_for_update(no_key=True).get(pk=volunteer.pk)
    require_unit(actor, volunteer.unit)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(sorted(unknown))}", field=sorted(unknown)[0])
    if "unit" in changes and changes["unit"] != volunteer.unit:
        require_unit(actor, changes["unit"])
    if "name" in changes and not (changes["name"] or "").strip():
        raise DomainError("请填写姓名", field="name")
    if "phone" in changes:
        changes["phone"] = _field_value(check_phone, changes["phone"], "phone")
    if "status" in changes and changes["status"] not in VolunteerStatus.values:
        raise DomainError("状态不正确", field="status")
    delta = {}
    for field, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        old = getattr(volunteer, field)
        if old != value:
            delta[field] = [str(old) if old is not None else None, str(value) if value is not None else None]
            setattr(volunteer, field, value)
    if id_number:
        identity = _field_value(parse_id_number, id_number, "id_number")
        reason = duplicate_of(volunteer.name, identity, exclude_pk=volunteer.pk)
        if reason:
            raise DomainError(reason, field="id_number", code="duplicate")
        if (identity.masked, identity.hash) != (volunteer.id_masked, volunteer.id_hash):
            delta["id_number"] = [volunteer.id_masked, identity.masked]  # masked forms only in the audit
            volunteer.id_masked, volunteer.id_hash = identity.masked, identity.hash
    if delta:
        volunteer.save()
        record(actor=actor, verb="volunteers.volunteer_updated", target=volunteer, unit=volunteer.unit, changes=delta)
    return volunteer


def _check_members(actor, members: list[Volunteer]) -> None:
    visible = set(
        Volunteer.objects.visible_to(actor).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True)
    )
    hidden = [m.name for m in members if m.pk not in visible]
    if hidden:
        raise DomainError(f"队员不在您的管理范围内：{'、'.join(hidden)}", field="members")


@transaction.atomic
def create_team(
    *,
    actor,
    name: str,
    unit,
    leader: Volunteer | None = None,
    members: Iterable[Volunteer] = (),
    note: str = "",
    is_demo: bool = False,
) -> Team:
    require_unit(actor, unit)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写队伍名称", field="name")
    if Team.objects.filter(unit=unit, name=name).exists():
        raise DomainError("队伍名称：该单位已有同名队伍", field="name")
    members = list(members)
    if leader is not None and leader not in members:
        members.append(leader)
    _check_members(actor, members)
    team = Team.objects.create(name=name, unit=unit, leader=leader, note=note.strip(), is_demo=is_demo)
    team.members.set(members)
    record(
        actor=actor,
        verb="volunteers.team_created",
        target=team,
        unit=unit,
        changes={"members": [None, len(members)], "leader": [None, leader.name if leader else None]},
    )
    return team


@transaction.atomic
def set_team_members(*, actor, team: Team, members: Iterable[Volunteer], leader: Volunteer | None = None) -> Team:
    """Replace the members (and the leader, who is always a member)."""
    require_unit(actor, team.unit)
    members = list(members)
    if leader is not None and leader not in members:
        members.append(leader)
    _check_members(actor, members)
    before = set(team.members.values_list("pk", flat=True))
    after = {m.pk for m in members}
    old_leader = team.leader
    team.leader = leader
    team.save(update_fields=["leader"])
    team.members.set(members)
    record(
        actor=actor,
        verb="volunteers.team_members_set",
        target=team,
        unit=team.unit,
        changes={
            "added": [None, sorted(after - before)],
            "removed": [None, sorted(before - after)],
            "leader": [old_leader.name if old_leader else None, leader.name if leader else None],
        },
    )
    return team
