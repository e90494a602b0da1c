"""Refreshes the command centre's pre-aggregated figures from the cases (a handful of GROUP BY queries)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.dashboard.models import AreaCaseStat, DailyCaseStat, UnitCaseStat

RECENT_DAYS = 35  # the periodic refresh rebuilds this many days of flows; older days do not change often


def case_models():
    try:
        return apps.get_model("cases", "Case"), apps.get_model("cases", "CaseTransition")
    except LookupError:
        return None, None


def open_statuses() -> tuple[str, ...]:
    from chuangcheng.cases.models.cases import OPEN_STATUSES

    return tuple(str(s) for s in OPEN_STATUSES)


@transaction.atomic
def refresh_dashboard(*, actor=None, since: date | None = None, full: bool = False) -> dict:
    """Rebuild snapshots and the daily flows from ``since`` (default: the last 35 days; ``full``: all).

    Derived data; audited only when a person asks for it (``actor``), not on the periodic run.
    """
    case, transition = case_models()
    if case is None:
        return {"units": 0, "areas": 0, "days": 0}
    now = timezone.now()
    today = timezone.localdate()
    if full:
        first = case.objects.order_by("created_at").values_list("created_at", flat=True).first()
        since = timezone.localtime(first).date() if first else today
    since = since or today - timedelta(days=RECENT_DAYS)
    units = _refresh_units(case, now, today)
    areas = _refresh_areas(case, now, today)
    days = _refresh_days(case, transition, since)
    summary = {"units": units, "areas": areas, "days": days, "since": since.isoformat()}
    if actor is not None:
        record(actor=actor, verb="dashboard.refreshed", target_type="dashboard.dailycasestat", changes=summary)
    return summary


def _refresh_units(case, now, today) -> int:
    opened = Q(status__in=open_statuses())
    closed = Q(closed_at__isnull=False, status="closed")
    rows = case.objects.values("lead_unit").annotate(
        open=Count("pk", filter=opened),
        overdue=Count("pk", filter=opened & Q(deadline__lt=today) & ~Q(status="deferred")),
        deferred=Count("pk", filter=Q(status="deferred")),
        submitted=Count("pk", filter=Q(status="submitted")),
        closed_total=Count("pk", filter=closed),
        closed_on_time=Count("pk", filter=closed & (Q(deadline__isnull=True) | Q(closed_at__date__lte=F("deadline")))),
        sendbacks_total=Sum("sendback_count"),
        rebounds_total=Count("pk", filter=Q(is_rebound=True)),
    )
    UnitCaseStat.objects.all().delete()
    UnitCaseStat.objects.bulk_create(
        [
            UnitCaseStat(
                unit_id=row["lead_unit"],
                open=row["open"],
                overdue=row["overdue"],
                deferred=row["deferred"],
                submitted=row["submitted"],
                closed_total=row["closed_total"],
                closed_on_time=row["closed_on_time"],
                sendbacks_total=row["sendbacks_total"] or 0,
                rebounds_total=row["rebounds_total"],
                refreshed_at=now,
            )
            for row in rows
        ],
        batch_size=2000,
    )
    return len(rows)


def _refresh_areas(case, now, today) -> int:
    opened = Q(status__in=open_statuses())
    rows = (
        case.objects.filter(opened, area__isnull=False)
        .values("area")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today) & ~Q(status="deferred")))
    )
    AreaCaseStat.objects.all().delete()
    AreaCaseStat.objects.bulk_create(
        [AreaCaseStat(area_id=r["area"], open=r["open"], overdue=r["overdue"], refreshed_at=now) for r in rows],
        batch_size=2000,
    )
    return len(rows)


def _refresh_days(case, transition, since: date) -> int:
    start = timezone.make_aware(timezone.datetime.combine(since, timezone.datetime.min.time()))
    figures: dict[tuple, dict] = defaultdict(dict)
    reported = (
        case.objects.filter(created_at__gte=start)
        .annotate(day=TruncDate("created_at"))
        .values("day", "lead_unit")
        .annotate(
            reported=Count("pk"),
            registered=Count("pk", filter=Q(registered_at__isnull=False)),
            dispatched=Count("pk", filter=Q(dispatched_at__isnull=False)),
            resolved=Count("pk", filter=Q(status="closed")),
            rebounds=Count("pk", filter=Q(is_rebound=True)),
        )
    )
    for row in reported:
        figures[(row.pop("day"), row.pop("lead_unit"))].update(row)
    closed = (
        case.objects.filter(closed_at__gte=start, status="closed")
        .annotate(day=TruncDate("closed_at"))
        .values("day", "lead_unit")
        .annotate(
            closed=Count("pk"),
            closed_on_time=Count("pk", filter=Q(deadline__isnull=True) | Q(closed_at__date__lte=F("deadline"))),
        )
    )
    for row in closed:
        figures[(row.pop("day"), row.pop("lead_unit"))].update(row)
    if transition is not None:
        sendbacks = (
            transition.objects.filter(at__gte=start, action="send_back")
            .annotate(day=TruncDate("at"))
            .values("day", "case__lead_unit")
            .annotate(sendbacks=Count("pk"))
        )
        for row in sendbacks:
            figures[(row["day"], row["case__lead_unit"])]["sendbacks"] = row["sendbacks"]
    DailyCaseStat.objects.filter(day__gte=since).delete()
    _insert(DailyCaseStat, [{"day": day, "unit_id": unit_id, **values} for (day, unit_id), values in figures.items()])
    return len({day for day, _ in figures})


def _insert(model, rows: list[dict]) -> None:
    """Bulk insert derived rows: COPY on PostgreSQL (Django's bulk_create spends seconds per 100k rows)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=5000)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row.get(f.attname, defaults[f.attname]) for f in fields])
