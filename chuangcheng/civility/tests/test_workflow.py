"""The 文明单位 state machine: every transition of the table, every refused one, the guard and the audit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.civility import services, workflow
from chuangcheng.civility.models import HonourStatus, ReviewResult, StatusChange
from chuangcheng.civility.tests.factories import CivilizedUnitFactory, ReviewFactory
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted

pytestmark = pytest.mark.django_db

ACTIONS = list(workflow.Action.values)
STATES = list(HonourStatus.values)


def run(honour, action, actor):
    kwargs = {"reason": "理由（测试）"}
    if action == workflow.Action.WARN:
        kwargs["deadline"] = timezone.localdate() + timedelta(days=30)
    return {"warn": services.warn_unit, "lift": services.lift_warning, "revoke": services.revoke_unit}[action](
        actor=actor, civilized_unit=honour, **kwargs
    )


@pytest.mark.parametrize(("state", "action"), list(workflow.TRANSITIONS))
def test_every_transition_of_the_table_sets_state_appends_change_and_audits(world, state, action):
    honour = CivilizedUnitFactory(unit=world["east"], status=state)
    if (state, action) == (HonourStatus.ACTIVE, workflow.Action.REVOKE):
        ReviewFactory(civilized_unit=honour, year=2025, result=ReviewResult.FAILED, reasons="不合格")
    result = run(honour, action, world["admin"])
    target = workflow.TRANSITIONS[(state, action)]
    assert result.status == target
    change = StatusChange.objects.get(civilized_unit=honour)
    assert (change.from_status, change.to_status, change.action, change.actor) == (
        state,
        target,
        action,
        world["admin"],
    )
    event = AuditEvent.objects.get(verb=f"civility.unit_{action}")
    assert event.changes["status"] == [state, target]


@pytest.mark.parametrize(
    ("state", "action"), [(s, a) for s in STATES for a in ACTIONS if (s, a) not in workflow.TRANSITIONS]
)
def test_every_action_outside_the_table_is_refused_and_changes_nothing(world, state, action):
    honour = CivilizedUnitFactory(unit=world["east"], status=state)
    with pytest.raises(Conflict) as error:
        run(honour, action, world["admin"])
    assert "不能" in error.value.message
    honour.refresh_from_db()
    assert honour.status == state
    assert not StatusChange.objects.exists() and not AuditEvent.objects.filter(verb__startswith="civility.").exists()


def test_revoking_an_active_unit_without_a_failed_review_is_refused(world):
    honour = CivilizedUnitFactory(unit=world["east"])
    ReviewFactory(civilized_unit=honour, result=ReviewResult.WARNING, reasons="警示")
    assert workflow.Action.REVOKE not in workflow.allowed_actions(world["admin"], honour)
    with pytest.raises(Conflict, match="须先黄牌警示"):
        run(honour, workflow.Action.REVOKE, world["admin"])
    assert honour.__class__.objects.get(pk=honour.pk).status == HonourStatus.ACTIVE


def test_warning_then_revoking_walks_in_order_and_keeps_the_timeline(world):
    honour = CivilizedUnitFactory(unit=world["east"])
    deadline = timezone.localdate() + timedelta(days=20)
    honour = services.warn_unit(actor=world["admin"], civilized_unit=honour, reason="门前脏乱", deadline=deadline)
    assert (honour.status, honour.warning_deadline, honour.warning_reason) == ("warned", deadline, "门前脏乱")
    honour = services.revoke_unit(actor=world["admin"], civilized_unit=honour, reason="逾期未整改")
    assert honour.status == "revoked" and honour.revoked_reason == "逾期未整改" and honour.revoked_at
    assert list(honour.changes.values_list("to_status", flat=True)) == ["warned", "revoked"]
    assert workflow.allowed_actions(world["admin"], honour) == []


def test_lifting_a_warning_clears_reason_and_deadline(world):
    honour = CivilizedUnitFactory(unit=world["east"], status="warned", warning_reason="x")
    honour = services.lift_warning(actor=world["admin"], civilized_unit=honour, reason="整改到位")
    assert (honour.status, honour.warning_reason, honour.warning_deadline) == ("active", "", None)


@pytest.mark.parametrize("action", ACTIONS)
def test_reason_is_required_for_every_action(world, action):
    state = HonourStatus.WARNED if action != workflow.Action.WARN else HonourStatus.ACTIVE
    honour = CivilizedUnitFactory(unit=world["east"], status=state)
    deadline = timezone.localdate() + timedelta(days=5) if action == workflow.Action.WARN else None
    with pytest.raises(DomainError) as error:
        workflow.transition(honour, action, actor=world["admin"], reason="  ", deadline=deadline)
    assert error.value.field == "reason" and "请填写" in error.value.message
    assert honour.__class__.objects.get(pk=honour.pk).status == state


@pytest.mark.parametrize("days", [None, 0, -3])
def test_warning_needs_a_deadline_after_today(world, days):
    honour = CivilizedUnitFactory(unit=world["east"])
    deadline = None if days is None else timezone.localdate() + timedelta(days=days)
    with pytest.raises(DomainError) as error:
        services.warn_unit(actor=world["admin"], civilized_unit=honour, reason="问题", deadline=deadline)
    assert error.value.field == "deadline"
    honour.refresh_from_db()
    assert honour.status == "active"


@pytest.mark.parametrize("who", ["east_head", "inspector", "nobody"])
def test_only_the_office_changes_state(world, who):
    honour = CivilizedUnitFactory(unit=world["east"])
    assert workflow.allowed_actions(world[who], honour) == []
    with pytest.raises(NotPermitted):
        run(honour, workflow.Action.WARN, world[who])


def test_allowed_actions_follow_the_table_and_guard(world):
    honour = CivilizedUnitFactory(unit=world["east"])
    assert workflow.allowed_actions(world["admin"], honour) == ["warn"]
    ReviewFactory(civilized_unit=honour, result=ReviewResult.FAILED, reasons="不合格")
    assert workflow.allowed_actions(world["admin"], honour) == ["warn", "revoke"]
    honour.status = "warned"
    assert workflow.allowed_actions(world["admin"], honour) == ["lift", "revoke"]
