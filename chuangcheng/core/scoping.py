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


@dataclass(frozen=True)
class Scope:
    """What a user may see: everything, or the rows tied to ``unit_ids``."""

    sees_all: bool
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    member_unit_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def nothing(cls) -> Scope:
        return cls(sees_all=False)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


def scope_of(user) -> Scope:
    """The user's scope, computed once per user object (request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope.nothing()
    cached = getattr(user, "_scope_cache", None)
    if cached is None:
        cached = user.compute_scope()
        user._scope_cache = cached
    return cached


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
