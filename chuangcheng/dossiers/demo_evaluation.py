"""Demo 网上申报 for the demo 创文 测评手册 (CIV-DEMO, 示例): its 申报材料 assigned to the units that would own
them and this year's files in every review state. Idempotent: skips once any CIV-DEMO requirement is assigned.
Writes go through the dossiers services (the helpers of ``dossiers.demo`` are reused)."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.models import User
from chuangcheng.dossiers import services
from chuangcheng.dossiers.demo import _document, _outcome, _review, demo_member
from chuangcheng.dossiers.models import MaterialAssignment
from chuangcheng.org.models import Unit
from chuangcheng.standards.models import MaterialRequirement, Standard, StandardStatus

DEMO_CODE = "CIV-DEMO"
DEFAULT_UNITS = ("OFFICE-WM",)
# title prefix → the demo units that would own the material
OWNERS = {
    "社会信用体系": ("DEPT-SJ",),
    "失信联合惩戒": ("DEPT-SJ",),
    "新时代文明实践": ("DEPT-XC",),
    "志愿服务活动": ("OFFICE-WM", "D01", "D02"),
    "注册志愿者": ("OFFICE-WM",),
    "未成年人思想道德": ("DEPT-JY",),
    "心理健康教育": ("DEPT-JY",),
    "环境质量": ("DEPT-ST",),
    "污水处理": ("DEPT-SW",),
    "年度创建工作计划": ("OFFICE-WM", "D01", "D02", "D03", "D04"),
}


def _owners(requirement: MaterialRequirement) -> tuple[str, ...]:
    for prefix, codes in OWNERS.items():
        if requirement.title.startswith(prefix):
            return codes
    return DEFAULT_UNITS


@transaction.atomic
def seed_evaluation_dossiers_demo() -> str:
    standard = Standard.objects.filter(code=DEMO_CODE, status=StandardStatus.PUBLISHED).order_by("-id").first()
    office, staff = User.objects.filter(username="office").first(), User.objects.filter(username="staff").first()
    if standard is None or office is None or staff is None:
        return "没有示例测评手册或演示账号，跳过网上申报演示"
    requirements = list(
        MaterialRequirement.objects.filter(standard=standard).order_by("clause__sort_order", "sort_order")
    )
    if MaterialAssignment.objects.filter(requirement__in=requirements).exists():
        return "已有网上申报演示数据，跳过"
    units = {unit.code: unit for unit in Unit.objects.filter(code__in={c for r in requirements for c in _owners(r)})}
    rng, year, uploads = random.Random(2027), timezone.localdate().year, 0
    for index, requirement in enumerate(requirements):
        owing = [units[code] for code in _owners(requirement) if code in units]
        if not owing:
            continue
        services.assign_requirement(actor=office, requirement=requirement, units=owing)
        for unit in owing:
            if (index + uploads) % 5 == 4:
                continue  # not yet submitted
            title, upload = _document(("pdf", "docx", "xlsx")[uploads % 3], unit, requirement, year)
            material = services.upload_material(
                actor=demo_member(unit), requirement=requirement, unit=unit, year=year, file=upload, title=title
            )
            _review(material, _outcome(rng), (staff, office), rng)
            uploads += 1
    return f"网上申报（示例测评手册）：资料要求 {len(requirements)} 项已分解，上传示例资料 {uploads} 份"
