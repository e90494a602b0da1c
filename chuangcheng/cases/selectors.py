"""Reads that need thought: duplicates, the unit inbox, the ledger, the dispatch queues."""

from __future__ import annotations

import math

from django.db import connections
from django.db.models import Case as When_
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from chuangcheng.accounts.models import OFFICE_ROLES, Role
from chuangcheng.cases.conf import setting
from chuangcheng.cases.evidence import distance_m
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.models.cases import OPEN_STATUSES
from chuangcheng.core.fetch import Select
from chuangcheng.core.scoping import scope_of, scope_where
from chuangcheng.core.workdays import add_working_days

LIST_RELATED = ("lead_unit", "category", "site")
# What ``CaseListSerializer`` reads (its fields and the clock): API lists load only these columns.
LIST_FIELDS = (
    "id", "number", "source", "title", "status", "severity", "category", "site", "area", "lng", "lat",
    "lead_unit", "deadline", "deadline_days", "created_at", "dispatched_at", "status_changed_at", "closed_at",
    "sendback_count", "return_count", "misroute_count", "escalation_level", "is_rebound", "version",
    "lead_unit__name", "category__name",
)  # fmt: skip


def for_list(queryset: QuerySet) -> QuerySet:
    """Rows for the API list serializer: two small joins, no wide columns."""
    return queryset.select_related(None).select_related("lead_unit", "category").only(*LIST_FIELDS)


def page_ids(queryset: QuerySet) -> QuerySet:
    """The ordered ids of a (scoped, filtered) case queryset: pages are cut from these with index-only
    scans; ``rows_for_ids`` then loads only the page's rows."""
    return queryset.select_related(None).values_list("pk", flat=True)


def rows_for_ids(ids) -> list[Case]:
    """The list rows for ``ids`` (already scoped by the query that produced them), in their order."""
    ids = list(ids)
    rows = {case.pk: case for case in for_list(Case.objects.filter(pk__in=ids))}
    return [rows[pk] for pk in ids if pk in rows]


def visible_count(user) -> int:
    """``Case.objects.visible_to(user).count()``, exact, without reading the cases table on PostgreSQL.

    ``COUNT(*)`` over the scope's OR is a bitmap heap scan that reads every table page holding one of the
    scope's cases: a county's 66,668 cases among 10 million lie on as many pages (``bench/levels.py``). The
    same total as three disjoint parts in one statement: led in scope; in the scope's territory and not led in
    it; the scope's rest (cooperation, own reports, inspectors, ``Case.scope_extra_q``) with neither unit in
    it. The first two are index-only scans (the lead unit's foreign-key index, ``case_territory_lead_idx``: the
    visibility map kept by (auto)vacuum spares the heap), the third reads the table for its few rows only.
    """
    scope = scope_of(user)
    if scope.sees_all:
        return Case.objects.count()
    if not scope.unit_ids and not scope.roles:
        return 0
    if not scope.unit_ids:
        return Case.objects.filter(Case.scope_extra_q(scope, user)).count()
    alias, sql, params = visible_count_statement(scope, user)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def visible_count_statement(scope, user) -> tuple[str, str, list]:
    """``visible_count``'s single statement for a scope with units: (database alias, SQL, parameters)."""
    ids = scope.unit_ids
    parts = (
        Case.objects.filter(lead_unit__in=ids),
        Case.objects.filter(unit__in=ids).exclude(lead_unit__in=ids),
        Case.objects.filter(Case.scope_extra_q(scope, user)).exclude(lead_unit__in=ids).exclude(unit__in=ids),
    )
    statements, params = [], []
    for part in parts:
        sql, part_params = part.order_by().values("pk").query.get_compiler(using=part.db).as_sql()
        statements.append(f"(SELECT COUNT(*) FROM ({sql}) part)")
        params.extend(part_params)
    return parts[0].db, "SELECT " + " + ".join(statements), params


DUPLICATE_FIELDS = ("id", "number", "title", "status", "lng", "lat")
# Read on every intake's answer: one SELECT written once per process (``core.fetch``), the user's scope as
# kept SQL (``scope_where``). Nearest first by the local planar distance (the same order as the great-circle
# one at this scale), so only ``limit`` light rows come back however many open cases share the spot.
DUPLICATES = Select(Case, fields=DUPLICATE_FIELDS)
NEAR_D2_SQL = "(({lng} - %s) * %s) * (({lng} - %s) * %s) + ({lat} - %s) * ({lat} - %s)"


def duplicate_candidates(
    *, category_id, lng, lat, radius_m: float | None = None, exclude_pk=None, user=None, limit: int = 10
) -> list[Case]:
    """Open cases of the same category within ``radius_m`` (default ``CASE_DUPLICATE_RADIUS_M``), nearest
    first; ``user``: only those the user sees."""
    if category_id is None or lng is None or lat is None:
        return []
    radius_m = radius_m or setting("CASE_DUPLICATE_RADIUS_M")
    dlat = radius_m / 111_320
    coslat = max(math.cos(math.radians(lat)), 0.01)
    dlng = radius_m / (111_320 * coslat)
    col, using = DUPLICATES.col, DUPLICATES.using()
    statuses = [str(s) for s in OPEN_STATUSES]
    where = (
        f"{col('category')} = %s AND {col('status')} IN ({', '.join(['%s'] * len(statuses))})"
        f" AND {col('lng')} BETWEEN %s AND %s AND {col('lat')} BETWEEN %s AND %s"
    )
    params = [category_id, *statuses, lng - dlng, lng + dlng, lat - dlat, lat + dlat]
    if user is not None:
        scoped = scope_where(Case, user, using=using)
        if scoped is not None:
            where += f" AND ({scoped[0]})"
            params += scoped[1]
    if exclude_pk:
        where += f" AND {col('id')} <> %s"
        params.append(exclude_pk)
    order = NEAR_D2_SQL.format(lng=col("lng"), lat=col("lat")) + f", {col('id')}"
    params += [lng, coslat, lng, coslat, lat, lat]
    found = []
    for case in DUPLICATES.fetch(where, params, order=order, limit=limit, using=using):
        distance = distance_m(lng, lat, case.lng, case.lat)
        if distance <= radius_m:
            case.distance_m = round(distance)
            found.append(case)
    return found


INBOX_TABS = (
    ("to_sign", "待签收"),
    ("rectifying", "整改中"),
    ("due_soon", "即将超期"),
    ("overdue", "已超期"),
    ("to_verify", "待核查"),
)


def inbox_filters(today=None) -> dict[str, Q]:
    today = today or timezone.localdate()
    soon = add_working_days(today, 2)
    on_clock = Q(status__in=(CaseStatus.SIGNED, CaseStatus.RECTIFYING))
    return {
        "to_sign": Q(status=CaseStatus.DISPATCHED),
        "rectifying": on_clock,
        "due_soon": on_clock & Q(deadline__gte=today, deadline__lte=soon),
        "overdue": Q(status__in=(CaseStatus.DISPATCHED, CaseStatus.SIGNED, CaseStatus.RECTIFYING), deadline__lt=today),
        "to_verify": Q(status=CaseStatus.SUBMITTED),
    }


def _inbox_base(user, tab: str) -> QuerySet:
    """What a unit must act on: cases it leads (inspectors: everything waiting for verification)."""
    scope = scope_of(user)
    queryset = Case.objects.visible_to(user)
    if scope.sees_all or (tab == "to_verify" and scope.has_role("inspector")):
        return queryset
    return queryset.filter(lead_unit_id__in=scope.unit_ids)


def unit_inbox(user, tab: str = "to_sign", *, unit_ids=None, today=None) -> QuerySet:
    """The cases a unit must act on, most urgent first (escalated, then earliest deadline)."""
    filters = inbox_filters(today)
    queryset = _inbox_base(user, tab).filter(filters.get(tab, filters["to_sign"]))
    if unit_ids:
        queryset = queryset.filter(lead_unit_id__in=unit_ids)
    return queryset.select_related(*LIST_RELATED).order_by("-escalation_level", "deadline", "id")


def inbox_counts(user, *, today=None) -> dict[str, int]:
    filters = inbox_filters(today)
    return {key: _inbox_base(user, key).filter(q).count() for key, q in filters.items()}


def verify_queue(user) -> QuerySet:
    """Cases waiting for verification (待核查) that ``user`` may verify, longest waiting first: the same rule
    as ``permissions.is_independent_verifier`` (not a case they rectified, nor one led by their unit or a
    unit above it), as one query."""
    from chuangcheng.cases.models import CaseTransition
    from chuangcheng.cases.workflow import RECTIFIER_ACTIONS
    from chuangcheng.org.models import Unit

    scope = scope_of(user)
    if not scope.has_role(*OFFICE_ROLES, Role.INSPECTOR):
        return Case.objects.none()
    queryset = Case.objects.visible_to(user).filter(status=CaseStatus.SUBMITTED)
    own = {pk for unit in Unit.objects.filter(pk__in=scope.member_unit_ids) for pk in unit.ancestor_ids()}
    if own:
        queryset = queryset.exclude(lead_unit_id__in=own)
    rectified = CaseTransition.objects.filter(case_id=OuterRef("pk"), actor=user.pk, action__in=RECTIFIER_ACTIONS)
    return queryset.exclude(Exists(rectified)).select_related(*LIST_RELATED).order_by("status_changed_at", "id")


def dispatch_queues(user) -> dict[str, QuerySet]:
    """The office console: new reports, registered but unrouted, routed but not dispatched, returned."""
    base = Case.objects.visible_to(user).select_related(*LIST_RELATED).order_by("created_at")
    return {
        "reported": base.filter(status=CaseStatus.REPORTED),
        "unrouted": base.filter(status=CaseStatus.REGISTERED, lead_unit__isnull=True),
        "routed": base.filter(status=CaseStatus.REGISTERED, lead_unit__isnull=False),
        "returned": base.filter(status=CaseStatus.RETURNED),
        "requests": base.filter(status=CaseStatus.RECTIFYING).exclude(pending_request=""),
    }


def urgency_order() -> When_:
    return When_(
        When(status=CaseStatus.SUBMITTED, then=Value(1)),
        When(status__in=(CaseStatus.DISPATCHED, CaseStatus.SIGNED, CaseStatus.RECTIFYING), then=Value(0)),
        default=Value(2),
        output_field=IntegerField(),
    )


def held_territory_q(*, unit_paths=(), area_ids=()) -> Q:
    """Cases led by, or in the territory of, the given unit subtrees, or placed in the given areas."""
    q = Q(pk__in=[])
    for path in unit_paths:
        q |= Q(lead_unit__path__startswith=path) | Q(unit__path__startswith=path)
    if area_ids:
        q |= Q(area_id__in=list(area_ids))
    return q


def open_cases_held(user, *, unit_paths=(), area_ids=(), today=None, limit: int = 20) -> tuple[dict, list[Case]]:
    """A 包抓 leader's problems: counts of open and overdue cases and the most urgent open ones (two queries).

    ``area_ids`` should already include the areas' descendants; everything is read through ``visible_to``.
    """
    today = today or timezone.localdate()
    held = Case.objects.visible_to(user).filter(held_territory_q(unit_paths=unit_paths, area_ids=area_ids))
    held = held.filter(status__in=OPEN_STATUSES)
    overdue = inbox_filters(today)["overdue"]
    counts = held.aggregate(open=Count("id"), overdue=Count("id", filter=overdue))
    rows = held.select_related(*LIST_RELATED).order_by("-escalation_level", F("deadline").asc(nulls_last=True), "id")
    return counts, list(rows[:limit])
