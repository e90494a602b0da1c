"""What each workflow action does besides changing the status (inputs, counters, deadlines).

Called only by ``workflow.transition`` with the case row locked; it never sets
``status``. Raises ``DomainError`` for a missing reason, plan, evidence or unit,
before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from chuangcheng.accounts.permissions import require_in_jurisdiction
from chuangcheng.cases import deadlines, routing
from chuangcheng.cases import evidence as evidence_mod
from chuangcheng.cases.models import Case, CaseStatus, PhotoKind
from chuangcheng.cases.models.cases import OPEN_STATUSES, PendingRequest
from chuangcheng.cases.rules import verify_photo_sources
from chuangcheng.core.errors import DomainError
from chuangcheng.core.scoping import scope_of

REASON_REQUIRED = {
    "invalidate": "请填写不予立案的理由",
    "return": "请填写退回理由（如：不属于本单位职责）",
    "send_back": "请填写返工意见",
    "reject_extension": "请填写驳回理由",
    "reject_deferral": "请填写驳回理由",
}
ESCALATION_LEVELS = {"remind": 1, "supervise": 2, "escalate": 3}


@dataclass
class Outcome:
    data: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)
    after_save: list[Callable[[Case], None]] = field(default_factory=list)
    actor_unit: object = None
    cooperating_units: list | None = None  # set on the saved case (None: unchanged)


@dataclass
class Preloaded:
    """What a batch intake loads once for all its cases (see ``intake.create_cases``)."""

    routes: routing.RouteSource
    deadline_rules: list


def _set(case: Case, outcome: Outcome, name: str, value) -> None:
    old = getattr(case, name)
    if old != value:
        setattr(case, name, value)
        outcome.changes[name] = [_plain(old), _plain(value)]


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _actor_unit(actor, case: Case):
    if actor is None:
        return None
    members = scope_of(actor).member_unit_ids
    if case.lead_unit_id in members:
        return case.lead_unit
    if members:
        from chuangcheng.org.models import Unit

        return Unit.objects.filter(pk__in=members).order_by("depth").first()
    return None


def _assign(case: Case, outcome: Outcome, lead_unit, cooperating_units, reason: str, rule=None) -> None:
    _set(case, outcome, "lead_unit", lead_unit)
    _set(case, outcome, "route_reason", reason[:300])
    _set(case, outcome, "routing_rule", rule)
    if cooperating_units is not None:
        units = [u for u in cooperating_units if u.pk != getattr(lead_unit, "pk", None)]
        outcome.cooperating_units = units
        outcome.data["cooperating_units"] = [u.pk for u in units]
    outcome.data["lead_unit"] = lead_unit.pk if lead_unit else None
    outcome.data["route_reason"] = reason


def _start_clock(case: Case, outcome: Outcome, now, preloaded: Preloaded | None = None) -> None:
    days, reason = deadlines.rectification_days(case, preloaded.deadline_rules if preloaded else None)
    _set(case, outcome, "deadline_days", days)
    _set(case, outcome, "deadline_reason", reason)
    _set(case, outcome, "deadline", deadlines.deadline_from(now, days))
    outcome.data["deadline"] = case.deadline.isoformat()


def apply(
    case: Case, action: str, *, actor, note: str, evidence, now, params: dict, preloaded: Preloaded | None = None
) -> Outcome:
    """``preloaded``: a batch's routing and deadline data (else each case reads its own)."""
    outcome = Outcome(actor_unit=_actor_unit(actor, case))
    if action in REASON_REQUIRED and not note:
        raise DomainError(REASON_REQUIRED[action], field="note")
    handler = HANDLERS.get(action)
    if handler is not None:
        handler(case, outcome, actor=actor, note=note, evidence=evidence, now=now, params=params, preloaded=preloaded)
    return outcome


def _register(case, outcome, *, now, preloaded=None, **_):
    _set(case, outcome, "registered_at", now)
    if case.lead_unit_id is None:
        decision = routing.route(case, preloaded.routes if preloaded else None)
        _assign(case, outcome, decision.lead_unit, decision.cooperating_units, decision.reason, decision.rule)


def _check_ground(actor, params) -> None:
    """A person choosing units picks them inside their jurisdiction (the system routes by rules)."""
    if actor is not None:
        require_in_jurisdiction(actor, [params.get("lead_unit")], field="lead_unit", label="牵头单位")
        units = params.get("cooperating_units") or ()
        require_in_jurisdiction(actor, units, field="cooperating_units", label="协办单位")


def _dispatch(case, outcome, *, now, params, actor=None, preloaded=None, **_):
    lead_unit = params.get("lead_unit")
    _check_ground(actor, params)
    if lead_unit is not None:
        reason = params.get("reason") or "创建办人工指定"
        _assign(case, outcome, lead_unit, params.get("cooperating_units"), reason)
    if case.lead_unit_id is None and lead_unit is None:
        raise DomainError("该案件未匹配到责任单位，请先指定牵头单位", field="lead_unit")
    _set(case, outcome, "dispatched_at", now)
    if case.deadline is None or case.status == CaseStatus.RETURNED:
        _start_clock(case, outcome, now, preloaded)


def _return(case, outcome, **_):
    _set(case, outcome, "return_count", case.return_count + 1)


def _reroute(case, outcome, *, note, now, params, actor=None, **_):
    lead_unit = params.get("lead_unit")
    if lead_unit is None:
        raise DomainError("请选择新的牵头单位", field="lead_unit")
    _check_ground(actor, params)
    if lead_unit.pk == case.lead_unit_id:
        raise DomainError("改派单位与原单位相同；如维持原单位请选择“派遣”", field="lead_unit")
    previous = case.lead_unit
    reason = f"退回后改派（原单位：{previous.name if previous else '无'}）" + (f"：{note}" if note else "")
    _assign(case, outcome, lead_unit, params.get("cooperating_units", []), reason)
    _set(case, outcome, "misroute_count", case.misroute_count + 1)
    _set(case, outcome, "dispatched_at", now)
    _start_clock(case, outcome, now)


def _request_extension(case, outcome, *, params, **_):
    days = params.get("days")
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if days <= 0 or days > 60:
        raise DomainError("请填写申请延期的工作日数（1–60）", field="days")
    _set(case, outcome, "pending_request", PendingRequest.EXTENSION)
    _set(case, outcome, "requested_days", days)
    outcome.data["days"] = days


def _approve_extension(case, outcome, **_):
    days = case.requested_days or 0
    new_deadline = deadlines.add_days(case.deadline, days) if case.deadline else None
    _set(case, outcome, "deadline", new_deadline)
    _set(case, outcome, "pending_request", PendingRequest.NONE)
    _set(case, outcome, "requested_days", None)
    outcome.data["days"] = days
    outcome.data["deadline"] = new_deadline.isoformat() if new_deadline else None


def _clear_request(case, outcome, **_):
    _set(case, outcome, "pending_request", PendingRequest.NONE)
    _set(case, outcome, "requested_days", None)


def _request_deferral(case, outcome, *, note, params, **_):
    plan = (params.get("plan") or "").strip()
    if not plan:
        raise DomainError("申请挂账须填写整改计划", field="plan")
    _set(case, outcome, "pending_request", PendingRequest.DEFERRAL)
    _set(case, outcome, "deferral_plan", plan)
    outcome.data["plan"] = plan


def _approve_deferral(case, outcome, *, now, **_):
    _set(case, outcome, "pending_request", PendingRequest.NONE)
    _set(case, outcome, "paused_on", deadlines.local_date(now))


def _resume(case, outcome, *, now, **_):
    paused = deadlines.paused_working_days(case.paused_on, deadlines.local_date(now))
    if case.deadline is not None and paused:
        _set(case, outcome, "deadline", deadlines.add_days(case.deadline, paused))
    _set(case, outcome, "paused_on", None)
    outcome.data["paused_working_days"] = paused


def _submit(case, outcome, *, actor, evidence, **_):
    attempt = case.sendback_count + 1
    photos = [
        evidence_mod.add_photo(case=case, upload=upload, kind=PhotoKind.EVIDENCE, actor=actor, attempt=attempt)
        for upload in evidence
    ]
    if not photos and not case.photos.filter(kind=PhotoKind.EVIDENCE, attempt=attempt).exists():
        raise DomainError("提交核查须上传至少一张整改照片", field="evidence")
    outcome.data["attempt"] = attempt
    outcome.data["photos"] = [p.pk for p in photos]


def verify_photo_required(case: Case) -> bool:
    """The case's source is one whose verification needs the verifier's own on-site photo."""
    return case.source in verify_photo_sources()


def _verify(case, outcome, *, actor, evidence, now, **_):
    photos = [
        evidence_mod.add_photo(
            case=case, upload=upload, kind=PhotoKind.VERIFY, actor=actor, attempt=case.sendback_count + 1
        )
        for upload in evidence
    ]
    if not photos and verify_photo_required(case):
        raise DomainError(
            f"“{case.get_source_display()}”来源的问题须由核查人上传现场核查照片后才能销号", field="evidence"
        )
    if photos:
        outcome.data["photos"] = [p.pk for p in photos]
    _set(case, outcome, "closed_at", now)


def _send_back(case, outcome, **_):
    _set(case, outcome, "sendback_count", case.sendback_count + 1)
    outcome.data["attempt"] = case.sendback_count


def _merge(case, outcome, *, actor, now, params, **_):
    target = params.get("target")
    if target is None:
        raise DomainError("请选择要合并到的案件", field="target")
    if target.pk == case.pk:
        raise DomainError("不能合并到自身", field="target")
    target = Case.objects.select_for_update(no_key=True).get(pk=target.pk)
    if target.status not in OPEN_STATUSES:
        raise DomainError(f"目标案件“{target.number}”已{target.get_status_display()}，不能合并", field="target")
    _set(case, outcome, "merged_into", target)
    outcome.data["merged_into"] = target.number

    def mark_target(saved: Case) -> None:
        from chuangcheng.cases import chain

        chain.append(
            target,
            action="absorb",
            from_status=target.status,
            to_status=target.status,
            actor=actor,
            note=f"合并案件 {saved.number}（其处置记录保留在原案件中）",
            data={"merged_case": saved.number},
            at=now,
        )
        target.version += 1
        target.save(update_fields=["timeline_head", "version"])

    outcome.after_save.append(mark_target)


def _escalate(case, outcome, *, action, **_):
    level = ESCALATION_LEVELS[action]
    if action == "escalate":
        level = max(case.escalation_level + 1, 3)
    _set(case, outcome, "escalation_level", max(case.escalation_level, level))


def _with_action(action):
    return lambda case, outcome, **kw: _escalate(case, outcome, action=action, **kw)


HANDLERS = {
    "register": _register,
    "dispatch": _dispatch,
    "return": _return,
    "reroute": _reroute,
    "request_extension": _request_extension,
    "approve_extension": _approve_extension,
    "reject_extension": _clear_request,
    "request_deferral": _request_deferral,
    "approve_deferral": _approve_deferral,
    "reject_deferral": _clear_request,
    "resume": _resume,
    "submit": _submit,
    "verify": _verify,
    "send_back": _send_back,
    "merge": _merge,
    "remind": _with_action("remind"),
    "supervise": _with_action("supervise"),
    "escalate": _with_action("escalate"),
}


def notify_on_commit(case: Case, action: str, row, recipients=None) -> None:
    """Hand the event to the notifications app (in-app rows now, deliveries after commit).

    ``recipients``: a batch's ``notify.RecipientCache``.
    """
    from chuangcheng.cases import notify

    notify.case_event(case=case, action=str(action), transition=row, cache=recipients)


def on_commit(func) -> None:
    transaction.on_commit(func)
