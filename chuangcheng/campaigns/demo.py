"""Demo campaign for 示范市 (示例): a plan scheduled backwards from the inspection window, with milestones,
tasks, progress reports (some with evidence) and a few overdue, escalated tasks; responsibility letters,
leader assignments (包抓) and 门前三包 pledges. Idempotent (keyed by the plan's title); all through services.
Every name, target and figure below is illustrative.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts import services as account_services
from chuangcheng.accounts.models import Role, User
from chuangcheng.campaigns import demo_people, services
from chuangcheng.campaigns.models import FrontagePledge, Plan
from chuangcheng.core.workdays import add_working_days, working_days_between
from chuangcheng.dossiers.demo import demo_member
from chuangcheng.dossiers.demo_files import demo_upload, pdf_bytes
from chuangcheng.org.models import Unit
from chuangcheng.places.models import Area, Site

PLAN_TITLE = "示范市巩固国家卫生城市迎检工作方案（示例）"
# Working days from today to the inspection window when no active window is recorded.
DEFAULT_LEAD_DAYS = 80
MIN_LEAD_DAYS = 40
MILESTONES = (("动员部署", 95), ("自查自纠", 82), ("集中整治", 60), ("模拟测评", 35), ("迎检准备就绪", 10))
# (title, lead unit, cooperating units, working days before the window, milestone index, weight, progress)
TASKS = (
    ("召开全市巩卫迎检动员大会", "OFFICE", (), 95, 0, 1, 100),
    ("印发迎检工作方案和任务分解表", "OFFICE", (), 94, 0, 1, 100),
    ("与各区、各部门签订年度目标责任书", "OFFICE", ("D01", "D02", "D03", "D04"), 92, None, 1, 75),
    ("农贸市场全面自查并建立问题台账", "DEPT-SJ", ("D01", "D02"), 86, 1, 2, 60),
    ("背街小巷环境卫生拉网式排查", "DEPT-CG", ("D01", "D03"), 82, 1, 2, 80),
    ("小餐饮门店证照公示和“三防”设施检查", "DEPT-SJ", ("DEPT-WJ",), 82, 1, 1, 100),
    ("病媒生物防制：四害密度监测达标", "DEPT-WJ", ("D04",), 60, 2, 2, 30),
    ("公共厕所提质改造和保洁管理", "DEPT-CG", ("DEPT-ZJ",), 60, 2, 2, 45),
    ("建筑工地围挡、冲洗和扬尘治理", "DEPT-ZJ", ("DEPT-ST",), 55, 2, 1, 20),
    ("健康教育进社区、进学校", "DEPT-WJ", ("DEPT-JY",), 50, 2, 1, 0),
    ("档案资料补齐并通过二审", "OFFICE-AW", ("D01", "D02", "D03", "D04"), 40, 3, 2, 50),
    ("组织模拟测评并整改反馈问题", "OFFICE", ("OFFICE-INSP",), 35, 3, 2, 0),
    ("迎检点位最终复查", "D01", ("D02", "D03", "D04"), 10, 4, 1, 0),
)
LETTER_UNITS = ("D01", "D02", "D03", "D04", "DEPT-CG", "DEPT-SJ", "DEPT-WJ", "DEPT-ZJ")
LETTER_TARGETS = (
    "辖区（行业）内问题按期整改率不低于95%（示例）",
    "巩卫迎检任务按倒排工期节点完成（示例）",
    "档案资料按要求报送并通过审核（示例）",
    "群众满意度不低于90%（示例）",
)
# (username, full name, areas, units, duty)
LEADERS = (
    ("leader", "", ("D01",), ("DEPT-CG",), "包抓东城区及城市管理迎检工作（示例）"),
    ("demo_leader_2", "王副市长（演示）", ("D02",), ("DEPT-SJ",), "包抓西城区及市场监管领域（示例）"),
    ("demo_leader_3", "刘副市长（演示）", ("D03", "D04"), ("DEPT-WJ",), "包抓南湖区、高新区及病媒防制（示例）"),
)
PLEDGE_STREETS = ("D01-S01", "D01-S02", "D02-S01")
PLEDGE_CATEGORIES = ("small_catering", "six_small", "three_small", "four_small", "hotel_restaurant", "farmers_market")


def _target_date(today) -> tuple[date, int, str]:
    """The first recorded inspection window at least ``MIN_LEAD_DAYS`` working days away, else a date
    ``DEFAULT_LEAD_DAYS`` ahead; with the number of working days until it and its title."""
    try:
        from chuangcheng.readiness.models import InspectionWindow
    except ImportError:  # the readiness app is optional for this demo
        windows = []
    else:
        windows = InspectionWindow.objects.filter(is_active=True, earliest__gt=today).order_by("earliest")
    for window in windows:
        lead = working_days_between(today, window.earliest)
        if lead >= MIN_LEAD_DAYS:
            return window.earliest, lead, window.title or "迎检窗口"
    return add_working_days(today, DEFAULT_LEAD_DAYS), DEFAULT_LEAD_DAYS, "迎检窗口"


def _evidence(title: str, note: str):
    return demo_upload("pdf", f"{title}佐证", pdf_bytes(f"{title}（示例佐证）", [note]))


def _plan(office: User, units: dict[str, Unit], today) -> tuple[Plan, int]:
    target, lead_days, window = _target_date(today)

    def scaled(offset: int) -> int:  # the tables are written for a window DEFAULT_LEAD_DAYS away
        return round(offset * lead_days / DEFAULT_LEAD_DAYS)

    plan = services.create_plan(
        actor=office,
        title=PLAN_TITLE,
        year=target.year,
        unit=units["OFFICE"],
        target_date=target,
        description=f"按{window}（{target:%Y-%m-%d}）倒排工期，分动员部署、自查自纠、集中整治、模拟测评、"
        "迎检准备五个阶段推进。（示例）",
    )
    milestones = [
        services.add_milestone(actor=office, plan=plan, title=title, offset_days=scaled(offset), sort_order=order)
        for order, (title, offset) in enumerate(MILESTONES)
    ]
    reports = 0
    for order, (title, lead, cooperating, offset, stage, weight, progress) in enumerate(TASKS, start=1):
        lead_unit = units[lead]
        reporter = office if lead.startswith("OFFICE") else demo_member(lead_unit)
        task = services.create_task(
            actor=office,
            plan=plan,
            number=str(order),
            title=title,
            lead_unit=lead_unit,
            cooperating_units=[units[code] for code in cooperating if code in units],
            offset_days=scaled(offset),
            milestone=milestones[stage] if stage is not None else None,
            responsible=None if reporter == office else reporter,
            responsible_name="市创建办（示例）" if reporter == office else "",
            weight=weight,
            sort_order=order,
        )
        steps = [p for p in (30, 60, 100) if p < progress] + ([progress] if progress else [])
        for index, step in enumerate(steps):
            note = "已完成全部工作，佐证材料见附件" if step == 100 else f"按计划推进，完成约{step}%（示例）"
            evidence = _evidence(title, note) if step == 100 or index == len(steps) - 1 and index % 2 == 0 else None
            services.report_progress(task=task, actor=reporter, progress=step, note=note, evidence=evidence)
            reports += 1
    first = milestones[0]
    services.complete_milestone(milestone=first, actor=office, done_at=min(first.due_date, today))
    services.escalate_overdue_tasks(today=today, actor=None)
    return plan, reports


def _letters(office: User, units: dict[str, Unit], year: int) -> int:
    created = 0
    for index, code in enumerate(LETTER_UNITS):
        unit = units.get(code)
        if unit is None:
            continue
        scan = None
        if index % 3 != 2:  # a third still wait for the signed scan
            title = f"{unit.name}{year}年度目标责任书签字盖章件"
            scan = demo_upload("pdf", title, pdf_bytes(f"{title}（示例）", list(LETTER_TARGETS)))
        services.create_letter(
            actor=office,
            unit=unit,
            year=year,
            title=f"{year}年度巩固国家卫生城市工作目标责任书（示例）",
            targets=list(LETTER_TARGETS),
            signatory=f"{unit.short_name or unit.name}主要负责人（示例）",
            signed_on=timezone.localdate() if scan else None,
            scan=scan,
        )
        created += 1
    return created


def _leaders(office: User, units: dict[str, Unit], today) -> int:
    city = Unit.objects.filter(code="CITY").first()
    areas = {area.code: area for area in Area.objects.filter(code__in=[c for row in LEADERS for c in row[2]])}
    made = 0
    for username, full_name, area_codes, unit_codes, duty in LEADERS:
        leader = User.objects.filter(username=username).first()
        if leader is None and full_name and city is not None:
            leader = account_services.create_user(actor=None, username=username, password=None, full_name=full_name)
            account_services.grant_role(actor=None, user=leader, unit=city, role=Role.LEADER)
        if leader is None:
            continue
        for code in area_codes:
            if code in areas:
                services.assign_leader(actor=office, leader=leader, area=areas[code], duty=duty, start_date=today)
                made += 1
        for code in unit_codes:
            if code in units:
                services.assign_leader(actor=office, leader=leader, unit=units[code], duty=duty, start_date=today)
                made += 1
    return made


def _pledges(office: User, year: int, today) -> int:
    made = 0
    for street in Unit.objects.filter(code__in=PLEDGE_STREETS).order_by("code"):
        signer = User.objects.filter(memberships__unit=street, memberships__role=Role.UNIT_HEAD).first() or office
        sites = Site.objects.filter(
            unit__path__startswith=street.path, category__code__in=PLEDGE_CATEGORIES, is_active=True
        ).order_by("code")
        for index, site in enumerate(sites):
            if index % 5 == 4:  # about one in five not yet signed
                continue
            services.create_pledge(
                actor=signer, site=site, party=f"{site.name}（示例）", year=year, signed_on=today, contact="示例联系人"
            )
            made += 1
    return made


@transaction.atomic
def seed_campaigns_demo() -> str:
    if Plan.objects.filter(title=PLAN_TITLE).exists() or FrontagePledge.objects.exists():
        return "已有工作方案演示数据，跳过"
    office = User.objects.filter(username="office").first()
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=_unit_codes())}
    if office is None or "OFFICE" not in units:
        return "没有示范市演示单位或账号，跳过"
    today = timezone.localdate()
    plan, reports = _plan(office, units, today)
    letters = _letters(office, units, today.year)
    leaders = _leaders(office, units, today)
    pledges = _pledges(office, today.year, today)
    meetings = demo_people.seed_meetings(office, units, today)
    notices = demo_people.seed_notices(office, units, today)
    overdue = plan.tasks.filter(escalation_level__gt=0).count()
    return (
        f"工作方案 1 个（迎检窗口 {plan.target_date:%Y-%m-%d}，节点 {len(MILESTONES)} 个，任务 {len(TASKS)} 项，"
        f"进展 {reports} 条，超期督办 {overdue} 项）；目标责任书 {letters} 份；"
        f"领导包抓 {leaders} 处；门前三包 {pledges} 户；抄告单 {notices} 份；调度会/推进会 {meetings} 次"
    )


def _unit_codes() -> set[str]:
    codes = {"OFFICE", *LETTER_UNITS, *(code for row in LEADERS for code in row[3]), *demo_people.UNIT_CODES}
    for _, lead, cooperating, *_ in TASKS:
        codes |= {lead, *cooperating}
    return codes
