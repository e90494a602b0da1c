"""Drive a case into any state through the real workflow."""

from chuangcheng.cases import services
from chuangcheng.cases.models import CaseSource, CaseStatus
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.workflow import Action, transition

# The shortest path from reported to each state: (action, actor attribute of ``world``, params).
PATHS = {
    CaseStatus.REPORTED: [],
    CaseStatus.REGISTERED: [(Action.REGISTER, "office", {})],
    CaseStatus.INVALID: [(Action.INVALIDATE, "office", {"note": "重复上报"})],
    CaseStatus.DISPATCHED: [(Action.REGISTER, "office", {}), (Action.DISPATCH, "office", {})],
}
PATHS[CaseStatus.SIGNED] = PATHS[CaseStatus.DISPATCHED] + [(Action.SIGN, "handler", {})]
PATHS[CaseStatus.RETURNED] = PATHS[CaseStatus.DISPATCHED] + [(Action.RETURN, "handler", {"note": "不属于本单位"})]
PATHS[CaseStatus.RECTIFYING] = PATHS[CaseStatus.SIGNED] + [(Action.START, "handler", {})]
PATHS[CaseStatus.DEFERRED] = PATHS[CaseStatus.RECTIFYING] + [
    (Action.REQUEST_DEFERRAL, "handler", {"plan": "汛期后实施改造"}),
    (Action.APPROVE_DEFERRAL, "office", {}),
]
PATHS[CaseStatus.SUBMITTED] = PATHS[CaseStatus.RECTIFYING] + [(Action.SUBMIT, "handler", {"evidence": "photo"})]
PATHS[CaseStatus.CLOSED] = PATHS[CaseStatus.SUBMITTED] + [(Action.VERIFY, "inspector", {})]
PATHS[CaseStatus.MERGED] = [(Action.MERGE, "office", {"target": "other"})]


def new_case(world, **kwargs):
    defaults = {
        "actor": world.grid,
        "source": CaseSource.PATROL,
        "title": "市场门口垃圾堆放",
        "site": world.site,
        "lng": 120.005,
        "lat": 30.005,
    }
    defaults.update(kwargs)
    case = services.create_case(**defaults)
    if case.lead_unit_id is None and case.status == CaseStatus.REPORTED:
        case = services.assign_case(actor=world.office, case=case, lead_unit=world.urban)
    return case


def case_in_state(world, state, **kwargs):
    case = new_case(world, **kwargs)
    for action, who, params in PATHS[state]:
        params = dict(params)
        note = params.pop("note", "")
        if params.get("evidence") == "photo":
            params["evidence"] = [jpeg_upload(taken_at="2099:01:01 10:00:00", gps=(120.005, 30.005))]
        if params.get("target") == "other":
            params["target"] = new_case(world, title="同一问题的另一次上报")
        case = transition(case, action, actor=getattr(world, who), note=note, **params)
    return case
