"""Publicity point checks (完好/破损/缺失/内容过期, photo checked by content) and their cases."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.civility import casebridge, permissions
from chuangcheng.civility.catalog import PUBLICITY_CATEGORY_CODES
from chuangcheng.civility.models import PointState, PublicityCheck
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.dossiers.files import checked_file
from chuangcheng.places.models import Site


@transaction.atomic
def record_check(
    *, actor, site: Site, state: str, checked_on: date | None = None, photo=None, note: str = ""
) -> PublicityCheck:
    """Record a check of a publicity point; a failed state needs a photo or a note saying what is wrong."""
    if site.category.code not in PUBLICITY_CATEGORY_CODES:
        raise DomainError(f"“{site.name}”不是宣传点位（公益广告或核心价值观宣传栏）", field="site")
    if not permissions.can_check_point(actor, site):
        raise NotPermitted("您无权检查该宣传点位")
    if state not in PointState.values:
        raise DomainError(f"未知的检查结果“{state}”：应为完好、破损、缺失或内容过期", field="state")
    today = timezone.localdate()
    checked_on = checked_on or today
    if checked_on > today:
        raise DomainError("检查日期不能晚于今天", field="checked_on")
    note = (note or "").strip()
    checked = checked_file(photo, field="photo", kinds=("image",)) if photo else None
    if state != PointState.INTACT and checked is None and not note:
        raise DomainError("检查结果不是“完好”时，请上传现场照片或填写说明", field="photo")
    check = PublicityCheck.objects.create(
        site=site,
        checked_on=checked_on,
        state=state,
        photo=checked.content if checked else "",
        photo_sha256=checked.sha256 if checked else "",
        note=note[:500],
        checked_by=actor,
    )
    record(
        actor=actor,
        verb="civility.point_checked",
        target=check,
        unit=site.unit,
        changes={"site": [None, site.code], "state": [None, state], "photo": [None, bool(checked)]},
    )
    return check


@transaction.atomic
def open_case_for_check(*, actor, check: PublicityCheck) -> PublicityCheck:
    """Turn a failed check into a case (once): through ``casebridge``, registered and routed at once."""
    locked = PublicityCheck.objects.select_for_update(no_key=True).select_related("site__category").get(pk=check.pk)
    if not permissions.can_check_point(actor, locked.site):
        raise NotPermitted("您无权为该宣传点位立案")
    if locked.state == PointState.INTACT:
        raise DomainError("检查结果为“完好”，无需立案", field="state")
    if locked.case_id is not None:
        raise Conflict("该检查已立案", field="case")
    case = casebridge.case_for_check(check=locked, actor=actor)
    locked.case = case
    locked.save(update_fields=["case"])
    record(
        actor=actor,
        verb="civility.check_case_opened",
        target=locked,
        unit=locked.site.unit,
        changes={"case": [None, case.number]},
    )
    return locked
