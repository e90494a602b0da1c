"""Demo archive for 示范市 (示例): the shipped material requirements assigned to units, and files in
every review state. Idempotent: does nothing once any assignment exists. All writes go through services.

The shipped standards know eleven requirements: the ten declaration materials of the sanitary-city
review (clause 三, owed by the 爱卫办) and the yearly plan, deployment, inspection and summary of the 2021
sanitary-city standard (clause （三）, owed by the 爱卫办, the districts and the main departments every year).
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts import services as account_services
from chuangcheng.accounts.models import Role, User
from chuangcheng.dossiers import services
from chuangcheng.dossiers.demo_files import demo_upload, docx_bytes, pdf_bytes, xlsx_bytes
from chuangcheng.dossiers.models import MaterialAssignment, ReviewDecision
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.standards.models import MaterialRequirement

DEMO_PREFIX = "demo_"
YEARLY_CODE = "M2021-03"
DECLARATION_PREFIX = "DECL-"
OFFICE_CODE = "OFFICE-AW"
YEARLY_UNITS = ("OFFICE-AW", "D01", "D02", "D03", "D04", "DEPT-WJ", "DEPT-CG", "DEPT-SJ", "DEPT-JY", "DEPT-ZJ")
RETURN_REASONS = (
    "缺少主要领导签批页，请补充后重新提交",
    "总结未附工作照片和数据，请补充",
    "文件为草稿版本，请上传正式印发件",
    "扫描件不清晰，请重新扫描",
)
# (weight, outcome): what happened to an uploaded file in the demo.
OUTCOMES = ((45, "approved"), (15, "first_passed"), (20, "submitted"), (20, "returned"))


def demo_member(unit: Unit) -> User:
    """A head or handler of the unit (a demo handler account is made for units without one)."""
    member = (
        User.objects.filter(memberships__unit=unit, memberships__role__in=(Role.UNIT_HEAD, Role.UNIT_HANDLER))
        .order_by("pk")
        .first()
    )
    if member is not None:
        return member
    role = Role.UNIT_HEAD if unit.kind == UnitKind.DISTRICT else Role.UNIT_HANDLER
    user = User.objects.filter(username=f"{DEMO_PREFIX}{unit.code.lower()}").first() or account_services.create_user(
        actor=None,
        username=f"{DEMO_PREFIX}{unit.code.lower()}",
        password=None,
        full_name=f"{unit.short_name or unit.name}{'负责人' if role == Role.UNIT_HEAD else '承办人'}（演示）",
    )
    account_services.grant_role(actor=None, user=user, unit=unit, role=role)
    return user


def _document(kind: str, unit: Unit, requirement: MaterialRequirement, year: int, version: int = 1):
    title = f"{unit.short_name or unit.name}{year}年{requirement.title}（示例）"
    lines = [
        f"单位：{unit.name}",
        f"资料要求：{requirement.title}",
        f"年度：{year}",
        f"版本：第{version}稿",
        "一、工作部署：召开专题会议研究部署创建工作。",
        "二、检查督导：每月开展一次自查，问题建立台账。",
        "三、工作总结：按季度总结，年底形成书面报告。",
    ]
    if kind == "pdf":
        data = pdf_bytes(title, lines)
    elif kind == "docx":
        data = docx_bytes(title, lines)
    else:
        data = xlsx_bytes(
            f"{year}年工作台账",
            ["月份", "工作事项", "完成情况"],
            [[f"{month}月", f"{requirement.title}第{month}项", "已完成"] for month in range(1, 13)],
        )
    return title, demo_upload(kind, title, data)


def _review(material, outcome: str, reviewers: tuple[User, User], rng: random.Random) -> None:
    first, second = reviewers
    if outcome == "submitted":
        return
    if outcome == "returned":
        services.review_material(
            material=material, actor=first, decision=ReviewDecision.RETURN, reason=rng.choice(RETURN_REASONS)
        )
        return
    services.review_material(material=material, actor=first, decision=ReviewDecision.APPROVE)
    if outcome == "approved":
        services.review_material(material=material, actor=second, decision=ReviewDecision.APPROVE)


def _outcome(rng: random.Random) -> str:
    return rng.choices([o for _, o in OUTCOMES], weights=[w for w, _ in OUTCOMES])[0]


@transaction.atomic
def seed_dossiers_demo() -> str:
    if MaterialAssignment.objects.exists():
        return "已有档案资料数据，跳过"
    office = User.objects.filter(username="office").first()
    staff = User.objects.filter(username="staff").first()
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=YEARLY_UNITS)}
    if office is None or staff is None or OFFICE_CODE not in units:
        return "没有示范市演示单位或账号，跳过"
    yearly = MaterialRequirement.objects.filter(code=YEARLY_CODE).order_by("-standard_id").first()
    declarations = list(
        MaterialRequirement.objects.filter(code__startswith=DECLARATION_PREFIX).order_by("standard_id", "sort_order")
    )
    rng = random.Random(2026)
    this_year = timezone.localdate().year
    counts = {"approved": 0, "first_passed": 0, "submitted": 0, "returned": 0}
    kinds = ("pdf", "docx", "xlsx")
    uploads = 0
    if yearly is not None:
        owing = [units[code] for code in YEARLY_UNITS if code in units]
        services.assign_requirement(actor=office, requirement=yearly, units=owing)
        for unit in owing:
            uploader = demo_member(unit)
            for year in range(this_year - 2, this_year + 1):
                if rng.random() < 0.2 and year == this_year:
                    continue  # not yet submitted this year
                title, upload = _document(kinds[uploads % 3], unit, yearly, year)
                material = services.upload_material(
                    actor=uploader, requirement=yearly, unit=unit, year=year, file=upload, title=title
                )
                outcome = "approved" if year < this_year and rng.random() < 0.8 else _outcome(rng)
                _review(material, outcome, (staff, office), rng)
                counts[outcome] += 1
                uploads += 1
    office_unit = units[OFFICE_CODE]
    for index, requirement in enumerate(declarations):
        services.assign_requirement(actor=office, requirement=requirement, units=[office_unit])
        if index >= 7:
            continue  # three declaration materials still missing
        title, upload = _document(kinds[index % 2], office_unit, requirement, this_year)
        material = services.upload_material(
            actor=demo_member(office_unit),
            requirement=requirement,
            unit=office_unit,
            year=this_year,
            file=upload,
            title=title,
        )
        outcome = _outcome(rng)
        _review(material, outcome, (staff, office), rng)
        counts[outcome] += 1
        uploads += 1
    return (
        f"资料要求 {len(declarations) + (1 if yearly else 0)} 项已分解；上传示例资料 {uploads} 份"
        f"（已通过 {counts['approved']}，待二审 {counts['first_passed']}，待一审 {counts['submitted']}，"
        f"已退回 {counts['returned']}）"
    )
