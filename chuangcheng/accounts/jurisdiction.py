"""Levels: which part of the unit tree an office (or an inspector) works over.

An office role (创建办/爱卫办/文明办 staff) held in a unit gives office rights over that unit's
*jurisdiction*: the nearest territorial unit at or above it (province → city → district/county →
street/town → community/village). An office unit under the city (``OFFICE``) therefore works for the
city, a county's office for the county. With no territorial unit above, the top of the unit's chain is
the jurisdiction. When a jurisdiction is the root of the tree (a single-city installation's city, a
province), the scope is ``sees_all`` exactly as before, so nothing is computed per request.
"""

from __future__ import annotations

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.core.scoping import Scope
from chuangcheng.org.models import TERRITORIAL_KINDS, Unit
from chuangcheng.org.selectors import subtree_ids


def jurisdiction_of(unit: Unit, known: dict[int, Unit] | None = None) -> Unit:
    """The nearest territorial ancestor-or-self of ``unit`` (else the top of its chain).

    ``known`` may hold already loaded units by id (a ``select_related`` parent); the rest of the chain is
    read in one query only when needed.
    """
    if unit.kind in TERRITORIAL_KINDS or unit.parent_id is None:
        return unit
    known = dict(known or {})
    if Unit.parent.is_cached(unit):
        parent = unit.parent
        known[parent.pk] = parent
        if parent.kind in TERRITORIAL_KINDS or parent.parent_id is None:
            return parent
    chain = unit.ancestor_ids()[:-1]
    missing = [pk for pk in chain if pk not in known]
    if missing:
        known.update(Unit.objects.in_bulk(missing))
    for pk in reversed(chain):
        ancestor = known.get(pk)
        if ancestor is not None and ancestor.kind in TERRITORIAL_KINDS:
            return ancestor
    return known.get(chain[0], unit) if chain else unit


def _jurisdictions(units) -> list[Unit]:
    return list({j.pk: j for j in (jurisdiction_of(unit) for unit in units)}.values())


def scope_for(user, memberships) -> Scope:
    """The user's scope from active memberships (loaded with ``select_related("unit__parent")``)."""
    roles = frozenset(m.role for m in memberships)
    member_units = frozenset(m.unit_id for m in memberships)
    office_units = [m.unit for m in memberships if m.role in OFFICE_ROLES]
    if user.is_superuser:
        return Scope(sees_all=True, roles=roles | {Role.OFFICE_ADMIN}, member_unit_ids=member_units)
    jurisdictions = _jurisdictions(office_units)
    if any(j.parent_id is None for j in jurisdictions):
        return Scope(sees_all=True, roles=roles, member_unit_ids=member_units)
    office_ids = frozenset(subtree_ids(jurisdictions)) if jurisdictions else frozenset()
    other = [m.unit for m in memberships if m.role not in OFFICE_ROLES]
    unit_ids = office_ids | frozenset(subtree_ids(other))
    inspect_units = _jurisdictions(m.unit for m in memberships if m.role == Role.INSPECTOR)
    if not inspect_units:
        inspect_ids: frozenset[int] | None = frozenset()
    elif any(j.parent_id is None for j in inspect_units):
        inspect_ids = None
    else:
        inspect_ids = frozenset(subtree_ids(inspect_units))
    return Scope(
        sees_all=False,
        unit_ids=unit_ids,
        roles=roles,
        member_unit_ids=member_units,
        office_unit_ids=office_ids,
        jurisdiction_ids=frozenset(j.pk for j in jurisdictions),
        inspect_unit_ids=inspect_ids,
    )


def office_members_for(unit) -> list:
    """Active office users whose jurisdiction holds ``unit``: its own level's office and those above it
    (the root's office always; ``unit=None``: every office). Two queries."""
    from chuangcheng.accounts.models import Membership

    memberships = list(
        Membership.objects.filter(role__in=OFFICE_ROLES, user__is_active=True, unit__is_active=True).select_related(
            "user", "unit"
        )
    )
    if unit is None:
        return list({m.user_id: m.user for m in memberships}.values())
    chain = set(unit.ancestor_ids())
    needed = {pk for m in memberships for pk in m.unit.ancestor_ids()}
    known = Unit.objects.in_bulk(needed)
    users = {}
    for m in memberships:
        jurisdiction = jurisdiction_of(m.unit, known)
        if jurisdiction.pk in chain or jurisdiction.parent_id is None:
            users[m.user_id] = m.user
    return list(users.values())


def home_jurisdiction(user) -> Unit | None:
    """The widest jurisdiction the user works for (office memberships first); None for the root's office
    and superusers (everything)."""
    from chuangcheng.core.scoping import scope_of

    scope = scope_of(user)
    if scope.sees_all:
        return None
    memberships = list(user.memberships.select_related("unit__parent").filter(unit__is_active=True))
    office = [m.unit for m in memberships if m.role in OFFICE_ROLES]
    units = _jurisdictions(office or [m.unit for m in memberships])
    return min(units, key=lambda unit: (unit.depth, unit.pk)) if units else None
