"""Who hears about which case event (called by the workflow inside its transaction)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from chuangcheng.accounts.jurisdiction import office_members_for
from chuangcheng.accounts.models import Membership, Role, User
from chuangcheng.core.fetch import Select
from chuangcheng.notifications.models import NotificationKind as K
from chuangcheng.notifications.services import notify_many

UNIT_ROLES = (Role.UNIT_HANDLER, Role.UNIT_HEAD)

# action -> (kind, audience, message); audience: unit (lead unit's handlers/heads),
# office, reporter, heads (lead unit heads + leaders, for 提级督办).
EVENTS = {
    "dispatch": (K.CASE_DISPATCHED, ("unit",), "新问题已派遣至本单位，请及时签收"),
    "reroute": (K.CASE_DISPATCHED, ("unit",), "问题已改派至本单位，请及时签收"),
    "return": (K.CASE_RETURNED, ("office",), "问题被责任单位退回，请改派或仲裁"),
    "request_extension": (K.CASE_REQUEST, ("office",), "责任单位申请延期，请审批"),
    "request_deferral": (K.CASE_REQUEST, ("office",), "责任单位申请挂账，请审批"),
    "approve_extension": (K.CASE_DECISION, ("unit",), "延期申请已批准"),
    "reject_extension": (K.CASE_DECISION, ("unit",), "延期申请被驳回"),
    "approve_deferral": (K.CASE_DECISION, ("unit",), "挂账申请已批准，期限暂停计算"),
    "reject_deferral": (K.CASE_DECISION, ("unit",), "挂账申请被驳回"),
    "submit": (K.CASE_SUBMITTED, ("office",), "问题已整改，待核查"),
    "send_back": (K.CASE_SENT_BACK, ("unit",), "整改未通过核查，已返工"),
    "verify": (K.CASE_CLOSED, ("unit", "reporter"), "问题已核查通过并销号"),
    "remind": (K.CASE_ESCALATED, ("unit",), "催办：问题今日到期，请抓紧整改"),
    "supervise": (K.CASE_ESCALATED, ("unit", "office"), "督办：问题已超期"),
    "escalate": (K.CASE_ESCALATED, ("unit", "heads", "office"), "提级督办：问题多次返工/退回或严重超期"),
}


def _unit_users(unit_id, roles, members: dict | None = None):
    if not unit_id:
        return []
    if members is not None:
        return [user for user, role in members.get(unit_id, ()) if role in roles]
    return list(User.objects.filter(memberships__unit_id=unit_id, memberships__role__in=roles, is_active=True))


# Every dispatch reads the lead unit's members: one SELECT written once per process (``core.fetch``).
MEMBERS = Select(Membership, related=("user",))


def unit_members(unit_ids) -> dict:
    """``{unit id: [(user, role), ...]}``: the active members of these units, in one query."""
    members: dict = {}
    unit_ids = sorted(set(unit_ids))
    if not unit_ids:
        return members
    where = (
        f"{MEMBERS.col('unit')} IN ({', '.join(['%s'] * len(unit_ids))}) AND {MEMBERS.col('is_active', 'user')} = %s"
    )
    for membership in MEMBERS.fetch(where, [*unit_ids, True], order=MEMBERS.col("id")):
        members.setdefault(membership.unit_id, []).append((membership.user, membership.role))
    return members


class RecipientCache:
    """A batch's recipients: the lead units' members loaded once, each audience computed once per
    lead unit and reporter, shared by the cases of the batch."""

    def __init__(self, lead_unit_ids=()):
        self.members = unit_members(lead_unit_ids)
        self.found: dict = {}

    def get(self, case, audience) -> list:
        key = (audience, case.lead_unit_id, case.reported_by_id)
        if key not in self.found:
            self.found[key] = recipients(case, audience, self.members)
        return self.found[key]


def recipients(case, audience, members: dict | None = None) -> list:
    """``members``: the lead units' members, preloaded by a batch (``unit_members``)."""
    users = []
    if "unit" in audience:
        users += _unit_users(case.lead_unit_id, UNIT_ROLES, members)
    if "heads" in audience:
        users += _unit_users(case.lead_unit_id, (Role.UNIT_HEAD,), members)
        users += list(User.objects.filter(memberships__role=Role.LEADER, is_active=True))
    if "office" in audience:
        users += office_members_for(case.unit if case.unit_id else case.lead_unit)
    if "reporter" in audience and case.reported_by_id:
        users.append(case.reported_by)
    return list({u.pk: u for u in users}.values())


def case_url(case) -> str:
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return ""


def case_event(*, case, action: str, transition, cache: RecipientCache | None = None) -> None:
    """Notify the event's audience. ``cache``: a batch's recipients (see ``RecipientCache``)."""
    event = event_for(case=case, action=action, transition=transition, cache=cache)
    if event is not None:
        notify_many(actor=transition.actor, events=[event])


def event_for(*, case, action: str, transition, cache: RecipientCache | None = None) -> dict | None:
    """The ``notifications.services.notify_many`` event of a case action (None: nobody is told)."""
    event = EVENTS.get(action)
    if event is None:
        return None
    kind, audience, message = event
    units = [case.lead_unit] if case.lead_unit_id and "unit" in audience else []
    users = recipients(case, audience) if cache is None else cache.get(case, audience)
    return {
        "users": users,
        "kind": kind,
        "title": f"【{case.number}】{message}",
        "body": f"{case.title}"
        + (f"\n说明：{transition.note}" if transition.note else "")
        + (f"\n整改期限：{case.deadline:%Y-%m-%d}" if case.deadline else ""),
        "url": case_url(case),
        "case": case,
        "units": units,
    }
