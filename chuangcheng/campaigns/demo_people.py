"""Demo 抄告单 and meetings for 示范市 (演示): notices in every state (one overdue and escalated), a
dispatch meeting held last week with its attendance and decisions, and an upcoming progress meeting.
Called by ``seed_campaigns_demo``; all through services; every name and text is illustrative.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from chuangcheng.accounts.models import Role, User
from chuangcheng.campaigns import services
from chuangcheng.campaigns.meeting_models import AttendanceStatus, DecisionOutcome, MeetingKind
from chuangcheng.campaigns.notice_models import Notice
from chuangcheng.cases.models import Case
from chuangcheng.cases.models.cases import OPEN_STATUSES
from chuangcheng.org.models import Unit

# (unit code, title, body, days since the warning, days allowed for the reply, state reached)
NOTICES = (
    (
        "D01-S01",
        "关于农贸市场环境卫生问题的抄告单（演示）",
        "经暗访发现，辖区农贸市场存在地面积水、生熟不分、“三防”设施缺失等问题（演示）。\n请立即组织整改，举一反三，防止反弹。",
        12,
        5,
        "closed",
    ),
    (
        "D02",
        "关于背街小巷垃圾清运不及时的抄告单（演示）",
        "近期督查发现，辖区多条背街小巷垃圾清运不及时、乱堆乱放问题反复出现（演示）。\n请限期整改并书面回复。",
        14,
        5,
        "issued",
    ),
    (
        "D01",
        "关于建筑工地扬尘治理不到位的抄告单（演示）",
        "督查发现辖区建筑工地围挡破损、车辆未冲洗上路（演示）。\n请督促施工单位落实“六个百分之百”。",
        3,
        7,
        "signed",
    ),
)
MEETING_TITLE = "全市巩卫迎检第三次调度会（演示）"
MEETING_UNITS = ("D01", "D02", "D03", "D04", "DEPT-CG", "DEPT-SJ", "DEPT-WJ", "DEPT-ZJ")
ATTENDANCE = {"D03": (AttendanceStatus.ABSENT, ""), "DEPT-ZJ": (AttendanceStatus.LATE, "")}
LEAVE = ("DEPT-WJ", "参加省卫健委会议（演示）")
UNIT_CODES = {*MEETING_UNITS, *(row[0] for row in NOTICES)}


def _head(unit: Unit) -> User | None:
    return User.objects.filter(memberships__unit=unit, memberships__role=Role.UNIT_HEAD).order_by("id").first()


def _open_cases(unit: Unit) -> list[Case]:
    return list(Case.objects.filter(lead_unit__path__startswith=unit.path, status__in=OPEN_STATUSES).order_by("id")[:2])


def seed_notices(office: User, units: dict[str, Unit], today) -> int:
    for code, title, body, since, allowed, state in NOTICES:
        unit = units.get(code)
        if unit is None:
            continue
        head = _head(unit)
        warning = today - timedelta(days=since)
        notice = services.issue_notice(
            actor=office,
            unit=unit,
            title=title,
            body=body,
            warning_date=warning,
            reply_due=warning + timedelta(days=allowed),
            principal=head,
            principal_name="" if head else "主要负责人（演示）",
            cases=_open_cases(unit),
        )
        answerer = head or office
        if state in ("signed", "closed") and head is not None:
            notice = services.sign_notice(actor=answerer, notice=notice)
        if state == "closed" and head is not None:
            notice = services.reply_notice(
                actor=answerer, notice=notice, text="已完成整改，并建立日常巡查机制（演示）。"
            )
            services.close_notice(actor=office, notice=notice, note="整改到位，同意办结（演示）")
    services.escalate_overdue_notices(today=today, actor=None)
    return Notice.objects.count()


def seed_meetings(office: User, units: dict[str, Unit], today) -> int:
    invited = [units[code] for code in MEETING_UNITS if code in units]
    if not invited or "OFFICE" not in units:
        return 0
    held = timezone.make_aware(datetime.combine(today - timedelta(days=7), time(9, 0)))
    meeting = services.create_meeting(
        actor=office,
        kind=MeetingKind.DISPATCH,
        title=MEETING_TITLE,
        held_at=held,
        agenda="一、通报近期暗访发现问题（演示）\n二、各区、各部门汇报整改进度（演示）\n三、部署下阶段迎检工作（演示）",
        unit=units["OFFICE"],
        place="市政府第一会议室（演示）",
        chair="分管副市长（演示）",
        units=invited,
    )
    by_code = {attendee.unit.code: attendee for attendee in meeting.attendees.select_related("unit")}
    entries = []
    for code, attendee in by_code.items():
        status, reason = ATTENDANCE.get(code, (AttendanceStatus.PRESENT, ""))
        if code == LEAVE[0]:
            status, reason = AttendanceStatus.LEAVE, LEAVE[1]
        entries.append({"attendee": attendee.pk, "status": status, "reason": reason})
    services.record_attendance(actor=office, meeting=meeting, entries=entries, today=today)
    services.add_meeting_decision(actor=office, meeting=meeting, content="各区每周开展一次背街小巷拉网式排查（演示）")
    if "D04" in units:
        services.add_meeting_decision(
            actor=office,
            meeting=meeting,
            content="高新区公厕保洁不到位，限期完成提质改造并书面回复（演示）",
            unit=units["D04"],
            deadline=today + timedelta(days=10),
            outcome=DecisionOutcome.NOTICE,
        )
    services.create_meeting(
        actor=office,
        kind=MeetingKind.PROGRESS,
        title="巩卫迎检集中整治推进会（演示）",
        held_at=timezone.make_aware(datetime.combine(today + timedelta(days=3), time(15, 0))),
        agenda="一、集中整治阶段进展（演示）\n二、模拟测评安排（演示）",
        unit=units["OFFICE"],
        place="市创建办会议室（演示）",
        units=invited[:4],
    )
    return 2
