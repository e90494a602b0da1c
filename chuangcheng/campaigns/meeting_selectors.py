"""Reads for meetings: absentees and late-comers for the period bulletin (通报), the meeting roll."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from chuangcheng.campaigns.meeting_models import LAPSES, AttendanceStatus, Attendee


@dataclass
class Lapse:
    """The invitees of one meeting who were absent (or late), named for the 通报."""

    meeting_id: int
    meeting_title: str
    day: date
    status: str
    names: list[str] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return AttendanceStatus(self.status).label


def attendance_lapses(start: date, end: date) -> list[Lapse]:
    """Absent and late invitees of the meetings held from ``start`` to ``end`` (inclusive); one query."""
    since = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    rows = (
        Attendee.objects.filter(meeting__held_at__gte=since, meeting__held_at__lt=until, status__in=LAPSES)
        .select_related("meeting", "unit", "person")
        .order_by("meeting__held_at", "meeting_id", "status", "sort_order", "id")
    )
    lapses: dict[tuple[int, str], Lapse] = {}
    for row in rows:
        key = (row.meeting_id, row.status)
        if key not in lapses:
            day = timezone.localtime(row.meeting.held_at).date()
            lapses[key] = Lapse(row.meeting_id, row.meeting.title, day, row.status)
        lapses[key].names.append(row.label)
    return list(lapses.values())


def meeting_roll(meeting) -> dict[str, list[Attendee]]:
    """The invitees of a meeting grouped by attendance status (one query)."""
    roll: dict[str, list[Attendee]] = {status: [] for status in AttendanceStatus.values}
    for attendee in Attendee.objects.filter(meeting=meeting).select_related("unit", "person"):
        roll[attendee.status].append(attendee)
    return roll
