"""Responsibility letters (目标责任书), leader assignments (包抓) and 门前三包 pledges."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from chuangcheng.accounts.permissions import require_in_jurisdiction
from chuangcheng.audit.services import diff, record
from chuangcheng.campaigns import permissions
from chuangcheng.campaigns.models import FrontagePledge, LeaderAssignment, ResponsibilityLetter
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.dossiers.files import checked_file
from chuangcheng.org.models import Unit, UnitKind

LETTER_FIELDS = ("title", "targets", "signatory", "signed_on")
SCAN_KINDS = ("pdf", "image")


def _clean_targets(targets) -> list[str]:
    if isinstance(targets, str):
        targets = targets.splitlines()
    return [str(item).strip() for item in targets or () if str(item).strip()]


@transaction.atomic
def create_letter(
    *,
    actor,
    unit: Unit,
    year: int,
    title: str,
    targets=(),
    signatory: str = "",
    signed_on: date | None = None,
    scan=None,
) -> ResponsibilityLetter:
    if not permissions.can_manage_letters(actor):
        raise NotPermitted("只有创建办可以下达目标责任书")
    require_in_jurisdiction(actor, [unit], field="unit", label="责任单位")
    if ResponsibilityLetter.objects.filter(unit=unit, year=year).exists():
        raise DomainError(f"{unit.name}{year}年度已有目标责任书", field="year")
    letter = ResponsibilityLetter(
        unit=unit,
        year=year,
        title=title.strip() or f"{year}年度创建工作目标责任书",
        targets=_clean_targets(targets),
        signatory=signatory,
        signed_on=signed_on,
    )
    if scan is not None:
        _put_scan(letter, scan)
    letter.save()
    record(
        actor=actor,
        verb="campaigns.letter_created",
        target=letter,
        unit=unit,
        changes={"year": [None, year], "targets": [None, len(letter.targets)], "signed": [None, letter.is_signed]},
    )
    return letter


def _put_scan(letter: ResponsibilityLetter, scan) -> None:
    checked = checked_file(scan, field="scan", kinds=SCAN_KINDS)
    letter.scan = checked.content
    letter.scan_name = checked.original_name
    letter.scan_kind = checked.kind


@transaction.atomic
def update_letter(*, letter: ResponsibilityLetter, actor, **changes) -> ResponsibilityLetter:
    if not permissions.can_manage_letters(actor):
        raise NotPermitted("只有创建办可以修改目标责任书")
    unknown = set(changes) - set(LETTER_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    if "targets" in changes:
        changes["targets"] = _clean_targets(changes["targets"])
    letter = ResponsibilityLetter.objects.select_for_update(no_key=True).get(pk=letter.pk)
    delta = diff(letter, changes)
    for name, value in changes.items():
        setattr(letter, name, value)
    letter.save()
    if delta:
        record(actor=actor, verb="campaigns.letter_updated", target=letter, unit=letter.unit, changes=delta)
    return letter


@transaction.atomic
def attach_letter_scan(*, letter: ResponsibilityLetter, actor, scan, signed_on: date | None = None):
    """Upload the signed and sealed scan (PDF or image, checked by content)."""
    if not permissions.can_upload_letter_scan(actor, letter):
        raise NotPermitted("只有创建办或责任单位可以上传签字盖章件")
    letter = ResponsibilityLetter.objects.select_for_update(no_key=True).get(pk=letter.pk)
    had_scan = letter.is_signed
    _put_scan(letter, scan)
    letter.signed_on = signed_on or letter.signed_on or date.today()
    letter.save()
    record(
        actor=actor,
        verb="campaigns.letter_signed",
        target=letter,
        unit=letter.unit,
        changes={"scan": [had_scan, letter.scan.name], "signed_on": [None, str(letter.signed_on)]},
    )
    return letter


@transaction.atomic
def assign_leader(
    *,
    actor,
    leader,
    area=None,
    unit: Unit | None = None,
    duty: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
) -> LeaderAssignment:
    if not permissions.can_manage_leaders(actor):
        raise NotPermitted("只有创建办可以安排领导包抓")
    require_in_jurisdiction(actor, [unit], field="unit", label="包抓单位")
    require_in_jurisdiction(actor, [area], field="area", label="包抓区域")
    if area is None and unit is None:
        raise DomainError("须指定包抓区域或包抓单位", field="area")
    if start_date and end_date and end_date < start_date:
        raise DomainError("结束日期不能早于开始日期", field="end_date")
    if LeaderAssignment.objects.filter(leader=leader, area=area, unit=unit, end_date__isnull=True).exists():
        raise DomainError("该领导已包抓此区域/单位", field="area")
    assignment = LeaderAssignment.objects.create(
        leader=leader, area=area, unit=unit, duty=duty, start_date=start_date, end_date=end_date
    )
    record(
        actor=actor,
        verb="campaigns.leader_assigned",
        target=assignment,
        unit=unit or getattr(area, "unit", None),
        changes={
            "leader": [None, leader.pk],
            "area": [None, getattr(area, "pk", None)],
            "unit": [None, getattr(unit, "pk", None)],
        },
    )
    return assignment


@transaction.atomic
def end_leader_assignment(*, assignment: LeaderAssignment, actor, end_date: date | None = None):
    if not permissions.can_manage_leaders(actor):
        raise NotPermitted("只有创建办可以调整领导包抓")
    assignment = LeaderAssignment.objects.select_for_update(no_key=True).get(pk=assignment.pk)
    old = assignment.end_date
    assignment.end_date = end_date or date.today()
    assignment.save(update_fields=["end_date"])
    record(
        actor=actor,
        verb="campaigns.leader_assignment_ended",
        target=assignment,
        unit=assignment.unit,
        changes={"end_date": [str(old) if old else None, str(assignment.end_date)]},
    )
    return assignment


def street_of(unit: Unit | None) -> Unit | None:
    """The street/town unit at or above ``unit`` (one query)."""
    if unit is None:
        return None
    if unit.kind == UnitKind.STREET:
        return unit
    return Unit.objects.filter(pk__in=unit.ancestor_ids(), kind=UnitKind.STREET).order_by("-depth").first()


@transaction.atomic
def create_pledge(
    *, actor, site, party: str, year: int, signed_on: date, contact: str = "", phone: str = "", scan=None
) -> FrontagePledge:
    if not permissions.can_manage_pledge(actor, site):
        raise NotPermitted("只有创建办或点位属地单位可以签订门前三包")
    if not party.strip():
        raise DomainError("请填写责任人（商户）", field="party")
    if FrontagePledge.objects.filter(site=site, year=year).exists():
        raise DomainError(f"该点位{year}年度已签订门前三包", field="site")
    pledge = FrontagePledge(
        site=site,
        street=street_of(site.unit),
        party=party.strip(),
        contact=contact,
        phone=phone,
        year=year,
        signed_on=signed_on,
    )
    if scan is not None:
        pledge.scan = checked_file(scan, field="scan", kinds=SCAN_KINDS).content
    pledge.save()
    record(
        actor=actor,
        verb="campaigns.pledge_signed",
        target=pledge,
        unit=site.unit,
        changes={"site": [None, site.pk], "party": [None, pledge.party], "year": [None, year]},
    )
    return pledge


@transaction.atomic
def end_pledge(*, pledge: FrontagePledge, actor) -> FrontagePledge:
    if not permissions.can_manage_pledge(actor, pledge.site):
        raise NotPermitted("只有创建办或点位属地单位可以终止门前三包")
    pledge = FrontagePledge.objects.select_for_update(no_key=True).get(pk=pledge.pk)
    if pledge.is_active:
        pledge.is_active = False
        pledge.save(update_fields=["is_active"])
        record(
            actor=actor,
            verb="campaigns.pledge_ended",
            target=pledge,
            unit=pledge.site.unit,
            changes={"is_active": [True, False]},
        )
    return pledge
