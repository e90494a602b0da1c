"""Writes for the working-day calendar (the only domain table in core)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from chuangcheng.accounts.permissions import is_top_office
from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.models import WorkdayOverride, WorkdaySource
from chuangcheng.core.workdays import bump_version, invalidate_local


@transaction.atomic
def set_workday_override(*, actor, day: date, is_working_day: bool, name: str = "") -> WorkdayOverride:
    if not is_top_office(actor):
        raise NotPermitted("只有创建办可以调整工作日历")
    override = WorkdayOverride.objects.select_for_update(no_key=True).filter(date=day).first()
    old = None if override is None else override.is_working_day
    if override is None:
        override = WorkdayOverride(date=day)
    override.is_working_day = is_working_day
    override.name = name
    override.source = WorkdaySource.LOCAL
    override.save()
    record(actor=actor, verb="core.workday_set", target=override, changes={"is_working_day": [old, is_working_day]})
    invalidate_local()
    transaction.on_commit(bump_version)
    return override


@transaction.atomic
def delete_workday_override(*, actor, override: WorkdayOverride) -> None:
    if not is_top_office(actor):
        raise NotPermitted("只有创建办可以调整工作日历")
    if override.source == WorkdaySource.OFFICIAL:
        raise DomainError("国务院办公厅发布的节假日安排不能删除，可改为本地调整", field="date")
    record(
        actor=actor,
        verb="core.workday_deleted",
        target=override,
        changes={"is_working_day": [override.is_working_day, None]},
    )
    override.delete()
    invalidate_local()
    transaction.on_commit(bump_version)


@transaction.atomic
def load_official_calendar(*, actor=None, holidays: dict[date, str], workdays: dict[date, str]) -> int:
    """Insert official exceptions that are not there yet; local overrides are never replaced."""
    existing = set(WorkdayOverride.objects.values_list("date", flat=True))
    rows = [
        WorkdayOverride(date=day, is_working_day=False, name=name, source=WorkdaySource.OFFICIAL)
        for day, name in holidays.items()
        if day.weekday() < 5 and day not in existing
    ] + [
        WorkdayOverride(date=day, is_working_day=True, name=name, source=WorkdaySource.OFFICIAL)
        for day, name in workdays.items()
        if day.weekday() >= 5 and day not in existing
    ]
    WorkdayOverride.objects.bulk_create(rows)
    if rows:
        record(
            actor=actor,
            verb="core.calendar_loaded",
            target_type="core.workdayoverride",
            changes={"rows": [0, len(rows)]},
        )
    invalidate_local()
    transaction.on_commit(bump_version)
    return len(rows)
