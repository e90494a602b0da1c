"""Walk every (state, action, role) of the TRANSITIONS table through the real mutator."""

import pytest

from chuangcheng.cases.models import CaseStatus, CaseTransition
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.tests.helpers import case_in_state, new_case
from chuangcheng.cases.workflow import TRANSITIONS, Action, TransitionNotAllowed, allowed_actions, transition
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted

pytestmark = pytest.mark.django_db

# Independent statement of who may do what (attribute names of the ``world`` fixture; None = system).
ROLES = ("office", "handler", "inspector", "leader", "market_handler", "grid", None)
EXPECTED = {
    Action.REGISTER: {"office", None},
    Action.INVALIDATE: {"office"},
    Action.DISPATCH: {"office", None},
    Action.SIGN: {"handler"},
    Action.RETURN: {"handler"},
    Action.REROUTE: {"office"},
    Action.START: {"handler"},
    Action.REQUEST_EXTENSION: {"handler"},
    Action.APPROVE_EXTENSION: {"office"},
    Action.REJECT_EXTENSION: {"office"},
    Action.REQUEST_DEFERRAL: {"handler"},
    Action.APPROVE_DEFERRAL: {"office"},
    Action.REJECT_DEFERRAL: {"office"},
    Action.RESUME: {"handler", "office"},
    Action.SUBMIT: {"handler"},
    Action.VERIFY: {"office", "inspector"},
    Action.SEND_BACK: {"office", "inspector"},
    Action.MERGE: {"office"},
    Action.REMIND: {"office", None},
    Action.SUPERVISE: {"office", None},
    Action.ESCALATE: {"office", "leader", None},
}
PREPARE = {
    Action.APPROVE_EXTENSION: (Action.REQUEST_EXTENSION, {"days": 3}),
    Action.REJECT_EXTENSION: (Action.REQUEST_EXTENSION, {"days": 3}),
    Action.APPROVE_DEFERRAL: (Action.REQUEST_DEFERRAL, {"plan": "雨季后改造"}),
    Action.REJECT_DEFERRAL: (Action.REQUEST_DEFERRAL, {"plan": "雨季后改造"}),
}


def inputs(world, action):
    return {
        Action.INVALIDATE: {"note": "非本市范围"},
        Action.RETURN: {"note": "不属于本单位职责"},
        Action.SEND_BACK: {"note": "地面仍有垃圾"},
        Action.REJECT_EXTENSION: {"note": "理由不充分"},
        Action.REJECT_DEFERRAL: {"note": "可以立即整改"},
        Action.REROUTE: {"lead_unit": world.market},
        Action.REQUEST_EXTENSION: {"days": 3},
        Action.REQUEST_DEFERRAL: {"plan": "雨季后改造"},
        Action.SUBMIT: {"evidence": [jpeg_upload(taken_at="2099:01:01 10:00:00", gps=(120.005, 30.005))]},
        Action.MERGE: {"target": new_case(world, title="重复上报")},
    }.get(action, {})


@pytest.mark.parametrize(("state", "action"), sorted(TRANSITIONS), ids=lambda v: str(v))
def test_transition_each_role_only_allowed_roles_succeed(world, state, action):
    for role in ROLES:
        case = case_in_state(world, state)
        if action in PREPARE:
            prep, params = PREPARE[action]
            case = transition(case, prep, actor=world.handler, **params)
        user = getattr(world, role) if role else None
        expected = role in EXPECTED[action]
        if user is not None:
            assert (action in allowed_actions(user, case)) == expected, (state, action, role)
        before = CaseTransition.objects.filter(case=case).count()
        params = inputs(world, action)
        note = params.pop("note", "")
        if expected:
            result = transition(case, action, actor=user, note=note, **params)
            assert result.status == TRANSITIONS[(state, action)]
            assert CaseTransition.objects.filter(case=case).count() == before + 1
        else:
            with pytest.raises(NotPermitted):
                transition(case, action, actor=user, note=note, **params)
            case.refresh_from_db()
            assert case.status == state
            assert CaseTransition.objects.filter(case=case).count() == before


def test_transition_not_in_table_is_refused_with_chinese_message(world):
    case = case_in_state(world, CaseStatus.CLOSED)
    with pytest.raises(TransitionNotAllowed) as info:
        transition(case, Action.SIGN, actor=world.handler)
    assert "已办结" in info.value.message


def test_every_state_has_an_exit_or_is_final():
    states = {state for state, _ in TRANSITIONS}
    final = {CaseStatus.INVALID, CaseStatus.CLOSED, CaseStatus.MERGED}
    assert set(CaseStatus.values) == states | final
    assert set(EXPECTED) == set(Action)


def test_return_without_reason_changes_nothing(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    with pytest.raises(DomainError) as info:
        transition(case, Action.RETURN, actor=world.handler, note="  ")
    assert info.value.field == "note"
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED and case.return_count == 0


def test_submit_without_evidence_is_refused(world):
    case = case_in_state(world, CaseStatus.RECTIFYING)
    with pytest.raises(DomainError) as info:
        transition(case, Action.SUBMIT, actor=world.handler)
    assert info.value.field == "evidence"


def test_submit_with_a_pdf_as_evidence_is_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = case_in_state(world, CaseStatus.RECTIFYING)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(DomainError) as info:
        transition(case, Action.SUBMIT, actor=world.handler, evidence=[fake])
    assert "文件类型不符" in info.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.RECTIFYING
    assert not case.photos.exists()


def test_verifier_from_rectifying_unit_is_refused(world):
    from chuangcheng.accounts.models import Role
    from chuangcheng.accounts.tests.factories import MembershipFactory

    case = case_in_state(world, CaseStatus.SUBMITTED)
    MembershipFactory(user=world.inspector, unit=world.urban, role=Role.UNIT_HANDLER)
    world.inspector._scope_cache = None
    assert Action.VERIFY not in allowed_actions(world.inspector, case)
    with pytest.raises(NotPermitted) as info:
        transition(case, Action.VERIFY, actor=world.inspector)
    assert "核查人不能是整改人" in info.value.message


def test_verifier_who_rectified_is_refused(world):
    from chuangcheng.accounts.models import Role
    from chuangcheng.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=world.office, unit=world.urban, role=Role.UNIT_HANDLER)
    world.office._scope_cache = None
    case = new_case(world)
    for action, params in ((Action.REGISTER, {}), (Action.DISPATCH, {}), (Action.SIGN, {}), (Action.START, {})):
        case = transition(case, action, actor=world.office, **params)
    case = transition(case, Action.SUBMIT, actor=world.handler, evidence=[jpeg_upload(taken_at="2099:01:01 10:00:00")])
    with pytest.raises(NotPermitted):
        transition(case, Action.VERIFY, actor=world.office)


def test_send_back_keeps_earlier_attempt_and_comment(world):
    case = case_in_state(world, CaseStatus.SUBMITTED)
    case = transition(case, Action.SEND_BACK, actor=world.inspector, note="墙面广告未清除")
    assert case.status == CaseStatus.RECTIFYING and case.sendback_count == 1
    case = transition(case, Action.SUBMIT, actor=world.handler, evidence=[jpeg_upload(color=(10, 200, 10), pattern=3)])
    attempts = sorted(case.photos.filter(kind="evidence").values_list("attempt", flat=True))
    assert attempts == [1, 2]
    assert case.transitions.filter(action="send_back", note="墙面广告未清除").exists()


def test_stale_version_gets_conflict_and_changes_nothing(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    stale_version = case.version
    transition(case, Action.SIGN, actor=world.handler)
    with pytest.raises(Conflict) as info:
        transition(case, Action.RETURN, actor=world.handler, note="x", expected_version=stale_version)
    assert info.value.message.startswith("案件已被他人更新")


def test_return_then_reroute_counts_misroute(world):
    case = case_in_state(world, CaseStatus.RETURNED)
    assert case.return_count == 1
    case = transition(case, Action.REROUTE, actor=world.office, lead_unit=world.market, note="应由市场监管负责")
    assert case.status == CaseStatus.DISPATCHED
    assert case.misroute_count == 1 and case.lead_unit == world.market
    assert "退回后改派" in case.route_reason


def test_merge_keeps_both_histories(world):
    target = new_case(world, title="主案件")
    duplicate = new_case(world, title="重复案件")
    duplicate = transition(duplicate, Action.MERGE, actor=world.office, target=target)
    assert duplicate.status == CaseStatus.MERGED and duplicate.merged_into == target
    assert duplicate.transitions.filter(action="merge").exists()
    assert target.transitions.filter(action="absorb").exists()
    assert duplicate.transitions.filter(action="report").exists()
