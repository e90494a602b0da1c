"""Observations in the field: default plan, sync (idempotent, completeness, 不适用), cases, transitions."""

import uuid
from datetime import date

import pytest

from chuangcheng.cases.models import Case
from chuangcheng.core.errors import Conflict, DomainError
from chuangcheng.inspections import services
from chuangcheng.inspections.models import Observation, RoundStatus, VisitStatus
from chuangcheng.inspections.services.observations import MOCK_DEFAULT_PER_CATEGORY
from chuangcheng.inspections.tests.mock import civ, mock_round, observations, visits_of

pytestmark = pytest.mark.django_db


def test_mock_round_default_plan_is_one_editable_line_per_observed_category(world):
    standard, _ = civ(world)
    round_ = services.create_round(
        actor=world.users["office_admin"],
        name="模拟测评",
        kind="mock",
        unit=world.units["office"],
        standard=standard,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
    )
    lines = {(line.category_id, line.quota, line.default_quota) for line in round_.sampling_lines.all()}
    assert lines == {
        (world.categories["road"].pk, MOCK_DEFAULT_PER_CATEGORY, None),
        (world.categories["market"].pk, MOCK_DEFAULT_PER_CATEGORY, None),
    }
    services.set_sampling_plan(
        round_=round_, actor=world.users["office_admin"], quotas={world.categories["road"].pk: 5}
    )
    assert round_.sampling_lines.get(category=world.categories["road"]).quota == 5


def test_open_round_on_same_standard_has_no_default_plan(world):
    standard, _ = civ(world)
    round_ = services.create_round(
        actor=world.users["office_admin"],
        name="明查",
        kind="open",
        unit=world.units["office"],
        standard=standard,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
    )
    assert not round_.sampling_lines.exists()


def test_every_transition_of_a_mock_round(world):
    standard, _ = civ(world)
    round_ = mock_round(world, standard, assign=False)
    assert round_.status == RoundStatus.DRAWN
    assert len(visits_of(round_)) == 3
    services.assign_visits(round_=round_, actor=world.users["office_admin"], assignments="auto")
    for visit in visits_of(round_):
        services.sync_visit(actor=visit.inspector, visit=visit, items=[], observations=observations(visit))
    assert {v.status for v in visits_of(round_)} == {VisitStatus.DONE}
    services.close_round(round_=round_, actor=world.users["office_admin"])
    services.publish_round(round_=round_, actor=world.users["office_admin"])
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED and round_.published_at


def test_sync_twice_stores_each_observation_once(world):
    standard, items = civ(world)
    round_ = mock_round(world, standard)
    visit = visits_of(round_, world.categories["road"])[0]
    keys = {}
    rows = observations(visit, keys=keys)
    first = services.sync_visit(actor=visit.inspector, visit=visit, items=[], observations=rows)
    second = services.sync_visit(
        actor=visit.inspector, visit=visit, items=[], observations=observations(visit, keys=keys)
    )
    # road: O1 ×3, O2 ×2, O3 ×1, O4 ×2, N1 ×1, N2 ×1
    assert len(first.created) == 10 and second.created == [] and len(second.unchanged) == 10
    assert Observation.objects.filter(visit=visit).count() == 10


def test_partial_sync_then_change_then_complete(world):
    standard, items = civ(world)
    round_ = mock_round(world, standard)
    visit = visits_of(round_, world.categories["market"])[0]
    keys = {}
    rows = observations(visit, keys=keys)
    services.sync_visit(actor=visit.inspector, visit=visit, items=[], observations=rows[:2], complete=False)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.ASSIGNED
    changed = observations(visit, lambda item, seq: seq != 1, keys=keys)
    result = services.sync_visit(actor=visit.inspector, visit=visit, items=[], observations=changed)
    assert len(result.updated) >= 1
    assert not Observation.objects.filter(visit=visit, seq=1, passed=True).exists()


def test_submit_refused_with_observations_missing(world):
    standard, items = civ(world)
    round_ = mock_round(world, standard)
    visit = visits_of(round_, world.categories["road"])[0]
    rows = [r for r in observations(visit) if not (r["check_item"] == items["clean"].pk and r["seq"] == 3)]
    with pytest.raises(DomainError) as error:
        services.sync_visit(actor=visit.inspector, visit=visit, items=[], observations=rows)
    assert error.value.field == "observations"
    assert "O1 路面整洁无垃圾（缺 1 次）" in error.value.message and "不适用" in error.value.message
    assert not Observation.objects.filter(visit=visit).exists()  # all-or-nothing


def test_not_applicable_counts_as_recorded(world):
    standard, items = civ(world)
    round_ = mock_round(world, standard)
    visit = visits_of(round_, world.categories["road"])[0]
    rows = observations(visit, lambda item, seq: None if item.pk == items["traffic"].pk else True)
    services.sync_visit(actor=visit.inspector, visit=visit, items=[], observations=rows)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert Observation.objects.filter(visit=visit, passed__isnull=True).count() == 2


def test_bad_observations_are_named(world):
    standard, items = civ(world)
    round_ = mock_round(world, standard)
    visit = visits_of(round_, world.categories["market"])[0]
    base = {"uuid": str(uuid.uuid4()), "check_item": items["clean"].pk, "seq": 1, "passed": True}
    cases = [
        (dict(base, seq=4), "observations[0].seq", "1 至 3"),
        (dict(base, check_item=items["traffic"].pk), "observations[0].check_item", "不适用于该点位"),
        (dict(base, check_item=items["deduct"].pk), "observations[0].check_item", "不按观察计分"),
        (dict(base, passed="maybe"), "observations[0].passed", "不适用"),
    ]
    for row, field, text in cases:
        with pytest.raises(DomainError) as error:
            services.sync_visit(actor=visit.inspector, visit=visit, items=[], observations=[row], complete=False)
        assert error.value.field == field and text in error.value.message


def test_observe_item_refused_as_deduction_but_deduct_items_keep_working(world):
    standard, items = civ(world)
    round_ = mock_round(world, standard, is_secret=False)
    visit = visits_of(round_, world.categories["market"])[0]
    as_finding = {"uuid": str(uuid.uuid4()), "check_item": items["clean"].pk, "result": "deduct", "count": 1}
    with pytest.raises(DomainError) as error:
        services.sync_visit(actor=visit.inspector, visit=visit, items=[as_finding], complete=False)
    assert error.value.field == "items[0].result"
    deduction = {"uuid": str(uuid.uuid4()), "check_item": items["deduct"].pk, "result": "deduct", "count": 2}
    result = services.sync_visit(
        actor=visit.inspector, visit=visit, items=[deduction], observations=observations(visit)
    )
    assert len(result.cases) == 1  # the deduction; every observation passed


def test_open_mock_round_makes_one_case_per_failed_group_on_submit(world):
    standard, items = civ(world)
    round_ = mock_round(world, standard, is_secret=False)
    visit = visits_of(round_, world.categories["road"])[0]
    keys = {}
    failing = lambda item, seq: not (item.pk == items["clean"].pk and seq in (1, 2))  # noqa: E731
    result = services.sync_visit(
        actor=visit.inspector, visit=visit, items=[], observations=observations(visit, failing, keys)
    )
    assert len(result.cases) == 1
    case = Case.objects.get(pk=result.cases[0])
    assert case.check_item_id == items["clean"].pk and case.source == "inspection"
    assert "观察 3 次，2 次不达标" in case.description
    assert set(
        Observation.objects.filter(visit=visit, check_item=items["clean"]).values_list("case_id", flat=True)
    ) == {case.pk}
    again = services.sync_visit(
        actor=visit.inspector, visit=visit, items=[], observations=observations(visit, failing, keys)
    )
    assert again.cases == [] and Case.objects.filter(round_visit_id=visit.pk).count() == 1
    with pytest.raises(Conflict):
        services.sync_visit(actor=visit.inspector, visit=visit, items=[], observations=observations(visit, keys=keys))


def test_secret_mock_round_makes_cases_only_on_publication(world):
    standard, items = civ(world)
    round_ = mock_round(world, standard, is_secret=True)
    for visit in visits_of(round_):
        services.sync_visit(
            actor=visit.inspector, visit=visit, items=[], observations=observations(visit, lambda item, seq: seq != 1)
        )
    assert not Case.objects.filter(round_visit_id__in=[v.pk for v in visits_of(round_)]).exists()
    services.close_round(round_=round_, actor=world.users["office_admin"])
    services.publish_round(round_=round_, actor=world.users["office_admin"])
    groups = (
        Observation.objects.filter(visit__round=round_, passed=False).values("visit_id", "check_item_id").distinct()
    )
    made = Case.objects.filter(round_visit_id__in=[v.pk for v in visits_of(round_)])
    assert made.count() == groups.count() > 0
    assert not Observation.objects.filter(visit__round=round_, passed=False, case_id__isnull=True).exists()
