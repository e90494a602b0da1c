"""The case state machine: a table plus one mutator. The only code that sets ``Case.status``.

``TRANSITIONS[(state, action)] -> new state``; ``ACTION_ROLES[action]`` names the
workflow roles (see ``permissions``) allowed to take it; ``GUARDS`` adds the few
conditions on the case itself (an open request to approve). ``allowed_actions``
reads the same tables, so buttons, API and services agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.cases import chain, effects, hooks
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.models.cases import OPEN_STATUSES, PendingRequest
from chuangcheng.cases.permissions import (
    LEADER,
    OFFICE,
    SYSTEM,
    UNIT,
    VERIFIER,
    actor_kinds,
    is_independent_verifier,
)
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted

S = CaseStatus


class Action(models.TextChoices):
    REGISTER = "register", "立案"
    INVALIDATE = "invalidate", "不予立案"
    DISPATCH = "dispatch", "派遣"
    SIGN = "sign", "签收"
    RETURN = "return", "退回"
    REROUTE = "reroute", "改派"
    START = "start", "开始整改"
    REQUEST_EXTENSION = "request_extension", "申请延期"
    APPROVE_EXTENSION = "approve_extension", "批准延期"
    REJECT_EXTENSION = "reject_extension", "驳回延期"
    REQUEST_DEFERRAL = "request_deferral", "申请挂账"
    APPROVE_DEFERRAL = "approve_deferral", "批准挂账"
    REJECT_DEFERRAL = "reject_deferral", "驳回挂账"
    RESUME = "resume", "恢复整改"
    SUBMIT = "submit", "提交核查"
    VERIFY = "verify", "核查通过（销号）"
    SEND_BACK = "send_back", "返工"
    MERGE = "merge", "合并"
    REMIND = "remind", "催办"
    SUPERVISE = "supervise", "督办"
    ESCALATE = "escalate", "提级督办"


A = Action
CONCURRENT_UPDATE_MESSAGE = "案件已被他人更新，请刷新后重试"

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.REPORTED, A.REGISTER): S.REGISTERED,
    (S.REPORTED, A.INVALIDATE): S.INVALID,
    (S.REGISTERED, A.INVALIDATE): S.INVALID,
    (S.REGISTERED, A.DISPATCH): S.DISPATCHED,
    (S.DISPATCHED, A.SIGN): S.SIGNED,
    (S.DISPATCHED, A.RETURN): S.RETURNED,
    (S.SIGNED, A.RETURN): S.RETURNED,
    (S.SIGNED, A.START): S.RECTIFYING,
    (S.RETURNED, A.REROUTE): S.DISPATCHED,
    (S.RETURNED, A.DISPATCH): S.DISPATCHED,
    (S.RECTIFYING, A.REQUEST_EXTENSION): S.RECTIFYING,
    (S.RECTIFYING, A.APPROVE_EXTENSION): S.RECTIFYING,
    (S.RECTIFYING, A.REJECT_EXTENSION): S.RECTIFYING,
    (S.RECTIFYING, A.REQUEST_DEFERRAL): S.RECTIFYING,
    (S.RECTIFYING, A.APPROVE_DEFERRAL): S.DEFERRED,
    (S.RECTIFYING, A.REJECT_DEFERRAL): S.RECTIFYING,
    (S.DEFERRED, A.RESUME): S.RECTIFYING,
    (S.RECTIFYING, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.VERIFY): S.CLOSED,
    (S.SUBMITTED, A.SEND_BACK): S.RECTIFYING,
}
for _state in OPEN_STATUSES:
    TRANSITIONS[(_state, A.MERGE)] = S.MERGED
for _state in (S.DISPATCHED, S.SIGNED, S.RETURNED, S.RECTIFYING, S.SUBMITTED):
    for _action in (A.REMIND, A.SUPERVISE, A.ESCALATE):
        TRANSITIONS[(_state, _action)] = _state

ACTION_ROLES: dict[str, frozenset[str]] = {
    A.REGISTER: frozenset({OFFICE, SYSTEM}),
    A.INVALIDATE: frozenset({OFFICE}),
    A.DISPATCH: frozenset({OFFICE, SYSTEM}),
    A.SIGN: frozenset({UNIT}),
    A.RETURN: frozenset({UNIT}),
    A.REROUTE: frozenset({OFFICE}),
    A.START: frozenset({UNIT}),
    A.REQUEST_EXTENSION: frozenset({UNIT}),
    A.APPROVE_EXTENSION: frozenset({OFFICE}),
    A.REJECT_EXTENSION: frozenset({OFFICE}),
    A.REQUEST_DEFERRAL: frozenset({UNIT}),
    A.APPROVE_DEFERRAL: frozenset({OFFICE}),
    A.REJECT_DEFERRAL: frozenset({OFFICE}),
    A.RESUME: frozenset({UNIT, OFFICE}),
    A.SUBMIT: frozenset({UNIT}),
    A.VERIFY: frozenset({VERIFIER}),
    A.SEND_BACK: frozenset({VERIFIER}),
    A.MERGE: frozenset({OFFICE}),
    A.REMIND: frozenset({OFFICE, SYSTEM}),
    A.SUPERVISE: frozenset({OFFICE, SYSTEM}),
    A.ESCALATE: frozenset({OFFICE, LEADER, SYSTEM}),
}

# Actions taken on the rectifying side: whoever took them may not verify the case.
RECTIFIER_ACTIONS = (A.SIGN, A.START, A.SUBMIT, A.REQUEST_EXTENSION, A.REQUEST_DEFERRAL, A.RESUME)


def _no_request(case: Case) -> bool:
    return case.pending_request == PendingRequest.NONE


GUARDS = {
    A.REQUEST_EXTENSION: _no_request,
    A.REQUEST_DEFERRAL: _no_request,
    A.APPROVE_EXTENSION: lambda case: case.pending_request == PendingRequest.EXTENSION,
    A.REJECT_EXTENSION: lambda case: case.pending_request == PendingRequest.EXTENSION,
    A.APPROVE_DEFERRAL: lambda case: case.pending_request == PendingRequest.DEFERRAL,
    A.REJECT_DEFERRAL: lambda case: case.pending_request == PendingRequest.DEFERRAL,
    A.SUBMIT: _no_request,
}


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"


def rectifier_ids(case: Case) -> set[int]:
    return set(
        case.transitions.filter(action__in=RECTIFIER_ACTIONS, actor__isnull=False).values_list("actor_id", flat=True)
    )


def can_transition(user, case: Case, action: str, *, kinds: set[str] | None = None) -> bool:
    """Role check for one action (state and guards are checked separately)."""
    kinds = actor_kinds(user, case) if kinds is None else kinds
    if not kinds & ACTION_ROLES.get(action, frozenset()):
        return False
    if action in (A.VERIFY, A.SEND_BACK):
        return is_independent_verifier(user, case, rectifier_ids(case))
    return True


def allowed_actions(user, case: Case) -> list[str]:
    """Actions ``user`` may take on ``case`` now, in table order (for buttons and the API)."""
    kinds = actor_kinds(user, case)
    result = []
    for (state, action), _target in TRANSITIONS.items():
        if state != case.status or action in result:
            continue
        guard = GUARDS.get(action)
        if guard is not None and not guard(case):
            continue
        if can_transition(user, case, action, kinds=kinds):
            result.append(action)
    return result


def _refresh_instance(instance: Case, fresh: Case) -> None:
    if instance is fresh:
        return
    for field in Case._meta.concrete_fields:
        setattr(instance, field.attname, getattr(fresh, field.attname))


def transition(
    case: Case,
    action: str,
    *,
    actor,
    note: str = "",
    evidence=(),
    expected_version: int | None = None,
    now=None,
    created_in_this_transaction: bool = False,
    **params,
) -> Case:
    """Take ``action`` on ``case`` as ``actor`` (None = system); the only status mutator.

    ``expected_version`` (default: the version of the ``case`` object passed in)
    must match the locked row, so of two concurrent actors exactly one wins and
    the other gets ``Conflict`` (409). ``params`` carry action inputs:
    ``lead_unit``/``cooperating_units`` (dispatch, reroute), ``days``
    (request_extension), ``plan`` (request_deferral), ``target`` (merge).
    ``created_in_this_transaction``: intake taking its first actions on the row it just inserted.
    """
    if created_in_this_transaction:
        # The caller inserted ``case`` in the still-open transaction it runs in: nobody else can see
        # the row, so there is nothing to lock or re-read, and a failure fails the caller's intake.
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("created_in_this_transaction requires the caller's transaction")
        return _transition(case, action, actor=actor, note=note, evidence=evidence, now=now, params=params)
    with transaction.atomic():
        expected = case.version if expected_version is None else expected_version
        locked = Case.objects.select_for_update(no_key=True).get(pk=case.pk)
        if locked.version != expected:
            raise Conflict(CONCURRENT_UPDATE_MESSAGE, code="stale_version")
        _transition(locked, action, actor=actor, note=note, evidence=evidence, now=now, params=params)
    _refresh_instance(case, locked)
    return locked


@dataclass
class Step:
    """One planned transition of a case: its state already applied to the case object in memory;
    what remains is to write it (timeline row, save, audit row, notifications)."""

    action: Action
    from_status: str
    to_status: str
    actor: object
    note: str
    at: object
    outcome: effects.Outcome
    unit_id: int | None  # the lead unit once the action is taken (the audit row's unit)

    def row_kwargs(self) -> dict:
        """``chain.append``/``chain.build`` arguments of the step's timeline row."""
        return {
            "action": self.action,
            "from_status": self.from_status,
            "to_status": self.to_status,
            "actor": self.actor,
            "note": self.note,
            "data": self.outcome.data,
            "at": self.at,
            "actor_unit": self.outcome.actor_unit,
        }

    def audit(self, case: Case) -> dict:
        """``record``/``record_many`` arguments of the step's audit row."""
        changes = {"status": [self.from_status, self.to_status]} | self.outcome.changes
        return {
            "actor": self.actor,
            "verb": f"cases.{self.action.value}",
            "target": case,
            "unit": self.unit_id,
            "changes": changes,
        }


def plan(case: Case, action: str, *, actor, note: str = "", evidence=(), now=None, params=None, preloaded=None) -> Step:
    """Check ``action`` and apply it to ``case`` in memory (status, version, effects); write nothing.

    ``transition`` writes the step at once; a batch intake (``intake.create_cases``) plans every
    case's steps, then writes the rows of the whole batch together. ``preloaded``: the batch's
    routing and deadline data.
    """
    now = now or timezone.now()
    params = params or {}
    try:
        action = Action(action)
    except ValueError as exc:
        raise TransitionNotAllowed(f"未知的操作“{action}”", field="action") from exc
    target_status = TRANSITIONS.get((case.status, action))
    if target_status is None:
        raise TransitionNotAllowed(
            f"案件当前状态为“{case.get_status_display()}”，不能执行“{action.label}”", field="action"
        )
    guard = GUARDS.get(action)
    if guard is not None and not guard(case):
        raise TransitionNotAllowed(f"当前不能执行“{action.label}”（存在待审批申请或无申请可审批）", field="action")
    if not can_transition(actor, case, action):
        if action in (A.VERIFY, A.SEND_BACK) and VERIFIER in actor_kinds(actor, case):
            raise NotPermitted("核查人不能是整改人，也不能来自整改责任单位")
        raise NotPermitted(f"您无权对该案件执行“{action.label}”")
    from_status = case.status
    note = note.strip()
    outcome = effects.apply(
        case, action, actor=actor, note=note, evidence=evidence, now=now, params=params, preloaded=preloaded
    )
    case.status = target_status
    if target_status != from_status:
        case.status_changed_at = now
    case.version += 1
    return Step(action, from_status, target_status, actor, note, now, outcome, case.lead_unit_id)


def _transition(locked: Case, action: str, *, actor, note: str, evidence, now, params: dict) -> Case:
    """Check and apply ``action`` to the locked (or just created) row; write timeline, audit, notifications."""
    step = plan(locked, action, actor=actor, note=note, evidence=evidence, now=now, params=params)
    row = chain.append(locked, **step.row_kwargs())
    locked.save()
    if step.outcome.cooperating_units is not None:
        locked.cooperating_units.set(step.outcome.cooperating_units)
    for after in step.outcome.after_save:
        after(locked)
    record(**step.audit(locked))
    hooks.transitioned(locked, step.action, step.from_status, step.to_status, actor)
    effects.notify_on_commit(locked, step.action, row)
    return locked
