"""The 文明单位 state machine: a table and the one function that sets ``CivilizedUnit.status``.

    有效 --warn (黄牌警示: reason, deadline)--> 警示
    警示 --lift (整改到位，解除警示: note)--> 有效
    警示 --revoke (撤销: reason)--> 撤销
    有效 --revoke--> 撤销            only when the unit has a 不合格 review (the guard)

撤销 is final. Every change locks the row, appends a ``StatusChange`` and an audit event.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.civility import permissions
from chuangcheng.civility.models import CivilizedUnit, HonourStatus, ReviewResult, StatusChange
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted


class Action(models.TextChoices):
    WARN = "warn", "黄牌警示"
    LIFT = "lift", "解除警示"
    REVOKE = "revoke", "撤销"


TRANSITIONS: dict[tuple[str, str], str] = {
    (HonourStatus.ACTIVE, Action.WARN): HonourStatus.WARNED,
    (HonourStatus.WARNED, Action.LIFT): HonourStatus.ACTIVE,
    (HonourStatus.WARNED, Action.REVOKE): HonourStatus.REVOKED,
    (HonourStatus.ACTIVE, Action.REVOKE): HonourStatus.REVOKED,
}
REASON_LABELS = {Action.WARN: "警示原因", Action.LIFT: "整改情况", Action.REVOKE: "撤销原因"}


def has_failed_review(civilized_unit: CivilizedUnit) -> bool:
    return civilized_unit.reviews.filter(result=ReviewResult.FAILED).exists()


def guard(civilized_unit: CivilizedUnit, action: str) -> str:
    """'' when the table's transition may run now, else the Chinese reason it may not."""
    if (
        action == Action.REVOKE
        and civilized_unit.status == HonourStatus.ACTIVE
        and not has_failed_review(civilized_unit)
    ):
        return "有效状态的文明单位须先黄牌警示，或复查不合格后才能撤销"
    return ""


def allowed_actions(user, civilized_unit: CivilizedUnit) -> list[str]:
    """Actions the user may take now (buttons and API agree with ``transition``)."""
    if not permissions.can_manage_honours(user, civilized_unit.unit_id):
        return []
    return [
        action
        for (state, action) in TRANSITIONS
        if state == civilized_unit.status and not guard(civilized_unit, action)
    ]


def transition(
    civilized_unit: CivilizedUnit, action: str, *, actor, reason: str = "", deadline: date | None = None
) -> CivilizedUnit:
    """Run one action; the caller's transaction holds it (services wrap it in ``transaction.atomic``)."""
    if action not in Action.values:
        raise DomainError(f"未知的操作“{action}”", field="action")
    if not permissions.can_manage_honours(actor, civilized_unit.unit_id):
        raise NotPermitted("只有主管该单位的创建办可以变更文明单位状态")
    locked = CivilizedUnit.objects.select_for_update(no_key=True).get(pk=civilized_unit.pk)
    target = TRANSITIONS.get((locked.status, action))
    if target is None:
        raise Conflict(f"文明单位当前为“{locked.get_status_display()}”，不能{Action(action).label}", field="action")
    refused = guard(locked, action)
    if refused:
        raise Conflict(refused, field="action")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(f"请填写{REASON_LABELS[action]}", field="reason")
    today = timezone.localdate()
    if action == Action.WARN:
        if deadline is None:
            raise DomainError("请填写整改期限", field="deadline")
        if deadline <= today:
            raise DomainError("整改期限须晚于今天", field="deadline")
    old = locked.status
    locked.status = target
    if action == Action.WARN:
        locked.warning_reason, locked.warning_deadline = reason[:500], deadline
    elif action == Action.LIFT:
        locked.warning_reason, locked.warning_deadline = "", None
    else:
        locked.revoked_reason, locked.revoked_at = reason[:500], timezone.now()
    locked.save()
    StatusChange.objects.create(
        civilized_unit=locked,
        action=action,
        from_status=old,
        to_status=target,
        reason=reason[:500],
        deadline=deadline if action == Action.WARN else None,
        actor=actor,
        at=timezone.now(),
    )
    changes = {"status": [old, target], "reason": [None, reason[:200]]}
    if action == Action.WARN:
        changes["deadline"] = [None, deadline.isoformat()]
    record(actor=actor, verb=f"civility.unit_{action}", target=locked, unit=locked.unit, changes=changes)
    return locked
