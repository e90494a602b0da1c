"""Shared set-up for the 模拟测评 tests: an observation-scored standard and rounds on it."""

import uuid
from datetime import date

from chuangcheng.inspections import services
from chuangcheng.inspections.models import SiteVisit
from chuangcheng.inspections.tests.factories import civilized_standard
from chuangcheng.standards.models import Judgement


def civ(world):
    return civilized_standard([world.categories["road"], world.categories["market"]])


def mock_round(world, standard, *, kind="mock", seed=11, start=date(2026, 11, 1), assign=True, **kwargs):
    """A drawn (and assigned) 模拟测评 over the east district: 2 roads and 1 market."""
    admin = world.users["office_admin"]
    round_ = services.create_round(
        actor=admin,
        name=kwargs.pop("name", f"模拟测评{start:%m%d}"),
        kind=kind,
        unit=world.units["office"],
        standard=standard,
        period_start=start,
        period_end=start.replace(day=start.day + 5),
        inspectors=[world.users["inspector"]],
        areas=kwargs.pop("areas", [world.areas["east"]]),
        exclusion_days=0,
        **kwargs,
    )
    quotas = {world.categories["road"].pk: 2, world.categories["market"].pk: 1}
    services.set_sampling_plan(round_=round_, actor=admin, quotas=quotas)
    services.draw_round(round_=round_, actor=admin, seed=seed)
    if assign:
        services.assign_visits(round_=round_, actor=admin, assignments="auto")
    round_.refresh_from_db()
    return round_


def observations(visit, verdict=lambda item, seq: True, keys=None):
    """Every observation of every observation-scored item of the visit's checklist; ``verdict`` answers
    True/False/None; ``keys`` (dict) keeps the UUIDs stable across calls."""
    keys = {} if keys is None else keys
    rows = []
    for item in services.checklist_items(visit):
        if item.judgement != Judgement.OBSERVE:
            continue
        for seq in range(1, (item.observations or 1) + 1):
            key = keys.setdefault((visit.pk, item.pk, seq), str(uuid.uuid4()))
            rows.append({"uuid": key, "check_item": item.pk, "seq": seq, "passed": verdict(item, seq), "note": ""})
    return rows


def visits_of(round_, category=None):
    visits = SiteVisit.objects.filter(round=round_).select_related("round").order_by("sort_order")
    return list(visits.filter(category=category) if category else visits)
