"""抄告单: issue (numbered per year), sign, reply with an attachment, close; escalate late replies."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from chuangcheng.accounts.models import Membership, Role
from chuangcheng.audit.services import record
from chuangcheng.campaigns import permissions
from chuangcheng.campaigns.models import LeaderAssignment
from chuangcheng.campaigns.notice_models import (
    AWAITING_REPLY,
    DEFAULT_ISSUER,
    Notice,
    NoticeEvent,
    NoticeEventKind,
    NoticeStatus,
)
from chuangcheng.campaigns.services.plans import ESCALATION_LABELS, escalation_level_for
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.dossiers.files import checked_file
from chuangcheng.notifications.models import NotificationKind
from chuangcheng.notifications.services import notify
from chuangcheng.org.models import Unit

REPLY_KINDS = ("pdf", "docx", "image")
NUMBER_ATTEMPTS = 5


def _event(notice: Notice, kind: str, actor, note: str = "") -> None:
    NoticeEvent.objects.create(notice=notice, kind=kind, actor=actor, at=timezone.now(), note=note[:500])


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update(no_key=True).select_related("unit").get(pk=notice.pk)


def _check_cases(unit: Unit, cases: list) -> None:
    """Every case must belong to the addressed unit's subtree (as lead or territorial unit)."""
    for case in cases:
        paths = [u.path for u in (case.lead_unit, case.unit) if u is not None]
        if not any(path.startswith(unit.path) for path in paths):
            raise DomainError(f"问题{case.number}不属于{unit.name}，不能列入抄告单", field="cases")


@transaction.atomic
def issue_notice(
    *,
    actor,
    unit: Unit,
    title: str,
    body: str,
    warning_date: date,
    reply_due: date,
    principal=None,
    principal_name: str = "",
    cases: Iterable = (),
    issuer: str = "",
) -> Notice:
    """Number the notice for the year of its warning date and send it to the unit (in-app, on commit)."""
    if not permissions.can_issue_notice_to(actor, unit):
        raise NotPermitted("只有主管该单位的创建办可以发出抄告单")
    if not title.strip():
        raise DomainError("请填写标题", field="title")
    if not body.strip():
        raise DomainError("请填写抄告内容", field="body")
    if reply_due < warning_date:
        raise DomainError("要求回复日期不能早于预警日期", field="reply_due")
    cases = list(cases)
    _check_cases(unit, [c for c in cases])
    year = warning_date.year
    for attempt in range(NUMBER_ATTEMPTS):
        seq = (Notice.objects.filter(year=year).aggregate(top=Max("seq"))["top"] or 0) + 1
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    year=year,
                    seq=seq,
                    issuer=issuer.strip() or DEFAULT_ISSUER,
                    title=title.strip(),
                    unit=unit,
                    principal=principal,
                    principal_name=principal_name.strip() or (principal.display_name if principal else ""),
                    body=body.strip(),
                    warning_date=warning_date,
                    reply_due=reply_due,
                    issued_by=actor,
                    issued_at=timezone.now(),
                )
            break
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise Conflict("编号已被占用，请重试") from None
    notice.cases.set(cases)
    _event(notice, NoticeEventKind.ISSUED, actor, f"要求{reply_due:%Y-%m-%d}前回复")
    record(
        actor=actor,
        verb="campaigns.notice_issued",
        target=notice,
        unit=unit,
        changes={"number": [None, notice.number], "cases": [None, len(cases)], "reply_due": [None, str(reply_due)]},
    )
    notify(
        actor=actor,
        users=[*_unit_people(unit.pk, (Role.UNIT_HEAD, Role.UNIT_HANDLER)), principal],
        kind=NotificationKind.GENERAL,
        title=f"抄告单{notice.number}：{notice.title}"[:200],
        body=f"请于{reply_due:%Y-%m-%d}前签收并回复整改情况。",
        url=reverse("campaigns:notice_detail", args=[notice.pk]),
        units=[unit],
    )
    return notice


def _unit_people(unit_id: int, roles) -> list:
    return [m.user for m in Membership.objects.filter(unit_id=unit_id, role__in=roles).select_related("user")]


@transaction.atomic
def sign_notice(*, actor, notice: Notice) -> Notice:
    if not permissions.can_answer_notice(actor, notice):
        raise NotPermitted("只有主送单位可以签收抄告单")
    notice = _locked(notice)
    if notice.status != NoticeStatus.ISSUED:
        raise Conflict(f"抄告单{notice.get_status_display()}，不能再签收")
    notice.status, notice.signed_by, notice.signed_at = NoticeStatus.SIGNED, actor, timezone.now()
    notice.save(update_fields=["status", "signed_by", "signed_at"])
    _event(notice, NoticeEventKind.SIGNED, actor)
    record(
        actor=actor,
        verb="campaigns.notice_signed",
        target=notice,
        unit=notice.unit,
        changes={"status": [NoticeStatus.ISSUED, NoticeStatus.SIGNED]},
    )
    return notice


@transaction.atomic
def reply_notice(*, actor, notice: Notice, text: str, attachment=None) -> Notice:
    """The unit's reply (text and an optional pdf/docx/image checked by content); a reply also signs."""
    if not permissions.can_answer_notice(actor, notice):
        raise NotPermitted("只有主送单位可以回复抄告单")
    if not (text or "").strip():
        raise DomainError("请填写回复内容（整改情况）", field="text")
    notice = _locked(notice)
    if notice.status not in AWAITING_REPLY:
        raise Conflict(f"抄告单{notice.get_status_display()}，不能再回复")
    checked = checked_file(attachment, field="attachment", kinds=REPLY_KINDS) if attachment is not None else None
    old = notice.status
    now = timezone.now()
    if notice.status == NoticeStatus.ISSUED:
        notice.signed_by, notice.signed_at = actor, now
    notice.status, notice.reply_text, notice.replied_by, notice.replied_at = (
        NoticeStatus.REPLIED,
        text.strip(),
        actor,
        now,
    )
    if checked is not None:
        notice.reply_file, notice.reply_file_name, notice.reply_file_kind = (
            checked.content,
            checked.original_name,
            checked.kind,
        )
    notice.save()
    late = notice.reply_due < timezone.localdate()
    _event(notice, NoticeEventKind.REPLIED, actor, "逾期回复" if late else "")
    record(
        actor=actor,
        verb="campaigns.notice_replied",
        target=notice,
        unit=notice.unit,
        changes={"status": [old, NoticeStatus.REPLIED], "attachment": [None, bool(checked)], "late": [None, late]},
    )
    notify(
        actor=actor,
        users=[notice.issued_by],
        kind=NotificationKind.GENERAL,
        title=f"抄告单{notice.number}已回复"[:200],
        body=f"{notice.unit.name}已回复“{notice.title}”。",
        url=reverse("campaigns:notice_detail", args=[notice.pk]),
    )
    return notice


@transaction.atomic
def close_notice(*, actor, notice: Notice, note: str = "") -> Notice:
    if not permissions.can_close_notice(actor, notice):
        raise NotPermitted("只有主管该单位的创建办可以办结抄告单")
    notice = _locked(notice)
    if notice.status != NoticeStatus.REPLIED:
        raise Conflict(f"抄告单{notice.get_status_display()}，回复后才能办结")
    notice.status, notice.closed_by, notice.closed_at = NoticeStatus.CLOSED, actor, timezone.now()
    notice.close_note = (note or "").strip()[:500]
    notice.save(update_fields=["status", "closed_by", "closed_at", "close_note"])
    _event(notice, NoticeEventKind.CLOSED, actor, notice.close_note)
    record(
        actor=actor,
        verb="campaigns.notice_closed",
        target=notice,
        unit=notice.unit,
        changes={"status": [NoticeStatus.REPLIED, NoticeStatus.CLOSED]},
    )
    return notice


def leaders_holding(units: Iterable[Unit], today: date) -> dict[int, list]:
    """Per unit: the leaders whose current 包抓 covers it (the unit itself, an ancestor, or its area)."""
    units = list(units)
    ids = {pk for unit in units for pk in unit.ancestor_ids()} | {unit.pk for unit in units}
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    rows = (
        LeaderAssignment.objects.filter(current)
        .filter(Q(unit__in=ids) | Q(area__unit__in=ids))
        .select_related("leader", "area")
    )
    holders: dict[int, list] = {}
    for unit in units:
        chain = set(unit.ancestor_ids()) | {unit.pk}
        holders[unit.pk] = [
            row.leader for row in rows if row.unit_id in chain or (row.area_id and row.area.unit_id in chain)
        ]
    return holders


@transaction.atomic
def escalate_overdue_notices(*, today: date, actor=None) -> list[Notice]:
    """Raise the level of every notice whose reply is late (1/5/10 working days); idempotent per level.

    Each step is on the notice's timeline and in the audit log; the unit's heads, the principal and the
    leaders holding the unit are notified through ``notifications.services.notify``.
    """
    candidates = (
        Notice.objects.select_for_update(no_key=True, of=("self",))
        .filter(status__in=AWAITING_REPLY, reply_due__lt=today)
        .select_related("unit", "principal")
        .order_by("id")
    )
    escalated: list[Notice] = []
    for notice in candidates:
        level = escalation_level_for(notice.reply_due, today)
        if level <= notice.escalation_level:
            continue
        old = notice.escalation_level
        notice.escalation_level, notice.escalated_at = level, timezone.now()
        notice.save(update_fields=["escalation_level", "escalated_at"])
        _event(
            notice,
            NoticeEventKind.ESCALATED,
            actor,
            f"{ESCALATION_LABELS[level]}：超过回复期限{notice.reply_due:%Y-%m-%d}",
        )
        record(
            actor=actor,
            verb="campaigns.notice_escalated",
            target=notice,
            unit=notice.unit,
            changes={"escalation_level": [old, level]},
        )
        escalated.append(notice)
    if escalated:
        holders = leaders_holding({n.unit_id: n.unit for n in escalated}.values(), today)
        heads: dict[int, list] = {}
        for membership in Membership.objects.filter(
            unit__in={n.unit_id for n in escalated}, role=Role.UNIT_HEAD
        ).select_related("user"):
            heads.setdefault(membership.unit_id, []).append(membership.user)
        for notice in escalated:
            label = ESCALATION_LABELS[notice.escalation_level]
            notify(
                actor=actor,
                users=[*heads.get(notice.unit_id, []), notice.principal, *holders.get(notice.unit_id, [])],
                kind=NotificationKind.CASE_ESCALATED,
                title=f"抄告单{label}：{notice.number} {notice.title}"[:200],
                body=f"{notice.unit.name}未在{notice.reply_due:%Y-%m-%d}前回复抄告单“{notice.title}”，请督促办理。",
                url=reverse("campaigns:notice_detail", args=[notice.pk]),
                units=[notice.unit],
            )
    return escalated
