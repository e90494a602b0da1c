"""Object-level data scope, applied once by base querysets, views and viewsets.

A model opts in by using ``ScopedManager`` and naming the unit path(s) it is
scoped by in ``SCOPE_FIELDS`` (e.g. ``("unit", "department")``); a row is
visible when any of them points into the user's visible units. Models with
extra rules (secret rounds, cooperating units) override ``scope_q``.
Out-of-scope objects are simply absent from the queryset, so detail pages and
API endpoints answer 404 exactly as for a missing object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from chuangcheng.core.cache import Kept


@dataclass(frozen=True)
class Scope:
    """What a user may see: everything, or the rows tied to ``unit_ids``.

    Levels (``accounts/jurisdiction.py``): an office role gives office rights over a *jurisdiction*, the
    nearest territorial unit at or above the member unit. ``office_unit_ids`` is the union of those
    jurisdictions' subtrees (empty when ``sees_all``: the jurisdiction is the root of the tree), and
    ``jurisdiction_ids`` the jurisdiction units themselves. ``inspect_unit_ids`` is where an inspector
    works (None: everywhere, the root's inspectors; empty: no inspector role).
    """

    sees_all: bool
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    member_unit_ids: frozenset[int] = field(default_factory=frozenset)
    office_unit_ids: frozenset[int] = field(default_factory=frozenset)
    jurisdiction_ids: frozenset[int] = field(default_factory=frozenset)
    inspect_unit_ids: frozenset[int] | None = field(default_factory=frozenset)

    @classmethod
    def nothing(cls) -> Scope:
        return cls(sees_all=False)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def sees_unit(self, unit_id) -> bool:
        return self.sees_all or unit_id in self.unit_ids

    def is_office_for(self, unit_id) -> bool:
        """Office rights over ``unit_id``: an office role whose jurisdiction holds it (root office: all)."""
        if self.sees_all:
            return bool(self.roles.intersection(OFFICE_ROLE_NAMES))
        return unit_id is not None and unit_id in self.office_unit_ids

    def inspects_unit(self, unit_id) -> bool:
        if self.sees_all or self.inspect_unit_ids is None:
            return True
        return unit_id in self.inspect_unit_ids


# The office roles by name (``accounts.models.OFFICE_ROLES``; core must not import accounts).
OFFICE_ROLE_NAMES = frozenset({"office_admin", "office_staff"})


def scope_of(user) -> Scope:
    """The user's scope, computed once per user object (request) and kept per process (``cached_scope``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope.nothing()
    cached = getattr(user, "_scope_cache", None)
    if cached is None:
        cached = cached_scope(user)
        user._scope_cache = cached
    return cached


# Scopes kept per process under a version token, renewed whenever a membership or a unit changes
# (``accounts.apps``: signals; ``org.bulk``: bulk writes), so a request reads one cache key, not memberships.
KEPT_SCOPES = Kept("scopes:version")
scopes_changed = KEPT_SCOPES.changed


def cached_scope(user) -> Scope:
    """``user.compute_scope()``, kept in this process until ``scopes_changed``."""
    return KEPT_SCOPES.get((user.pk, getattr(user, "is_superuser", False)), user.compute_scope)


# The SQL of ``visible_to`` per model, scope, user and database: hot reads written by hand (``core.fetch``)
# add it to their WHERE instead of compiling the scope's Q each time. Keyed by the scope's value, so a changed
# scope is a new key and nothing goes stale.
_SCOPE_SQL: dict = {}
SCOPE_SQL_ENTRIES = 10_000


def scope_where(model, user, *, using: str) -> tuple[str, list] | None:
    """``(sql, params)`` of ``model.objects.visible_to(user)``'s condition on ``model``'s table (None: the
    user sees every row). For models whose ``scope_q`` depends on the scope and the user only (no reads)."""
    scope = scope_of(user)
    if scope.sees_all:
        return None
    if not scope.unit_ids and not scope.roles:
        return "1 = 0", []
    key = (model._meta.label, scope, getattr(user, "pk", None), using)
    found = _SCOPE_SQL.get(key)
    if found is None:
        query = model._default_manager.filter(model.scope_q(scope, user)).query
        sql, params = query.get_compiler(using=using).compile(query.where)
        if len(_SCOPE_SQL) >= SCOPE_SQL_ENTRIES:
            _SCOPE_SQL.clear()
        found = _SCOPE_SQL[key] = (sql, list(params))
    return found


def unit_q(paths: tuple[str, ...], scope: Scope) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{path}__in": scope.unit_ids})
    return q


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScopedQuerySet:
        scope = scope_of(user)
        if scope.sees_all:
            return self
        if not scope.unit_ids and not scope.roles:
            return self.none()
        return self.filter(self.model.scope_q(scope, user))


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    pass


class ScopedModelMixin:
    """Mixin for domain models: default ``scope_q`` from ``SCOPE_FIELDS``."""

    SCOPE_FIELDS: tuple[str, ...] = ("unit",)

    @classmethod
    def scope_q(cls, scope: Scope, user) -> Q:
        return unit_q(cls.SCOPE_FIELDS, scope)


def visible_to(queryset_or_model, user):
    """``visible_to(Model, user)`` or ``visible_to(qs, user)``."""
    if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, models.Model):
        queryset_or_model = queryset_or_model.objects.all()
    return queryset_or_model.visible_to(user)


def owned_q(scope: Scope, unit_ids=None, *, campaign: str = "campaign", creator: str | None = "created_by") -> Q:
    """Rows owned inside ``unit_ids`` (default: the office's jurisdictions): the campaign's unit is there or,
    for rows without a campaign, the creator holds an office role there (the creator's jurisdiction)."""
    from django.contrib.auth import get_user_model

    ids = scope.office_unit_ids if unit_ids is None else unit_ids
    if not ids:
        return Q(pk__in=[])
    q = Q(**{f"{campaign}__unit__in": ids})
    if creator:
        creators = get_user_model().objects.filter(memberships__role__in=OFFICE_ROLE_NAMES, memberships__unit__in=ids)
        q |= Q(**{f"{campaign}__isnull": True, f"{creator}__in": creators.values("pk")})
    return q
