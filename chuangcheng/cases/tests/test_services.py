from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases import selectors, services
from chuangcheng.cases.chain import verify_case_timelines
from chuangcheng.cases.models import CaseSource, CaseStatus, CaseTransition
from chuangcheng.cases.tests.factories import RoutingRuleFactory
from chuangcheng.cases.tests.helpers import case_in_state, new_case
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.places.tests.factories import AreaFactory, SiteFactory
from chuangcheng.standards.tests.factories import CheckItemFactory

pytestmark = pytest.mark.django_db


def test_create_case_numbers_and_timeline_and_audit(world):
    first = services.create_case(actor=world.grid, source=CaseSource.PATROL, title="占道经营", lng=120.0, lat=30.0)
    second = services.create_case(actor=None, source=CaseSource.CITIZEN, title="垃圾满溢")
    year = timezone.localdate().year
    assert first.number.startswith(f"WT{year}-") and len(first.number) == len(f"WT{year}-000001")
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1
    assert first.status == CaseStatus.REPORTED and first.reported_by == world.grid
    assert first.transitions.get().action == "report"
    assert AuditEvent.objects.filter(verb="cases.created").count() == 2


def test_create_case_without_title_is_refused(world):
    with pytest.raises(DomainError) as info:
        services.create_case(actor=world.grid, source=CaseSource.PATROL, title=" ")
    assert info.value.field == "title"


def test_create_case_citizen_without_role_is_refused(world):
    with pytest.raises(NotPermitted):
        services.create_case(actor=world.nobody, source=CaseSource.CITIZEN, title="x")


def test_create_case_duplicate_external_ref_is_refused(world):
    services.create_case(actor=None, source=CaseSource.HOTLINE, title="噪音", external_ref="12345-001")
    with pytest.raises(DomainError) as info:
        services.create_case(actor=None, source=CaseSource.HOTLINE, title="噪音", external_ref="12345-001")
    assert info.value.field == "external_ref"


def test_auto_register_routes_by_category_rule_and_dispatches(world):
    rule = RoutingRuleFactory(name="农贸市场归市场监管", category=world.category, lead_unit=world.market)
    rule.cooperating_units.set([world.street])
    case = services.create_case(
        actor=world.inspector, source=CaseSource.INSPECTION, title="市场污水", site=world.site, auto_register=True
    )
    assert case.status == CaseStatus.DISPATCHED
    assert case.lead_unit == world.market
    assert list(case.cooperating_units.all()) == [world.street]
    assert "农贸市场归市场监管" in case.route_reason and case.routing_rule == rule
    assert case.deadline is not None and case.dispatched_at is not None


def test_routing_check_item_rule_wins_over_category_rule(world):
    item = CheckItemFactory()
    RoutingRuleFactory(category=world.category, lead_unit=world.market)
    RoutingRuleFactory(name="检查项规则", category=None, check_item=item, lead_unit=world.urban)
    case = services.create_case(
        actor=None, source=CaseSource.INSPECTION, title="x", site=world.site, check_item=item, auto_register=True
    )
    assert case.lead_unit == world.urban and "检查项规则" in case.route_reason


def test_routing_smaller_area_rule_wins(world):
    parent = AreaFactory(code="D01A", name="东城区域", level=2)
    world.area.parent = parent
    world.area.save()
    RoutingRuleFactory(name="全区", category=world.category, area=parent, lead_unit=world.market)
    RoutingRuleFactory(name="本网格", category=world.category, area=world.area, lead_unit=world.urban)
    case = services.create_case(actor=None, source=CaseSource.PATROL, title="x", site=world.site, auto_register=True)
    assert case.lead_unit == world.urban


def test_routing_falls_back_to_territorial_unit(world):
    case = services.create_case(actor=None, source=CaseSource.PATROL, title="x", site=world.site, auto_register=True)
    assert case.lead_unit == world.street
    assert "属地单位" in case.route_reason


def test_routing_unmatched_goes_to_visible_queue(world):
    case = services.create_case(actor=None, source=CaseSource.CITIZEN, title="x", auto_register=True)
    assert case.status == CaseStatus.REGISTERED and case.lead_unit is None
    assert "待分派" in case.route_reason
    assert case in selectors.dispatch_queues(world.office)["unrouted"]


def test_dispatch_without_unit_is_refused(world):
    case = services.create_case(actor=None, source=CaseSource.CITIZEN, title="x", auto_register=True)
    with pytest.raises(DomainError) as info:
        transition(case, Action.DISPATCH, actor=world.office)
    assert info.value.field == "lead_unit"
    case = transition(case, Action.DISPATCH, actor=world.office, lead_unit=world.urban)
    assert case.lead_unit == world.urban and case.route_reason == "创建办人工指定"


def test_duplicates_offer_open_cases_of_same_category_within_radius(world):
    near = new_case(world, title="近处")
    far_site = SiteFactory(category=world.category, lng=120.05, lat=30.05, unit=world.street)
    new_case(world, title="远处", site=far_site, lng=120.05, lat=30.05)
    closed = case_in_state(world, CaseStatus.CLOSED)
    found = selectors.duplicate_candidates(category_id=world.category.pk, lng=120.0052, lat=30.0051)
    assert near in found and closed not in found
    assert all(c.title != "远处" for c in found)
    assert selectors.duplicate_candidates(category_id=world.alley.pk, lng=120.005, lat=30.005) == []


def test_rebound_within_window_is_linked_and_flagged(world):
    item = CheckItemFactory()
    old = case_in_state(world, CaseStatus.CLOSED, check_item=item)
    again = new_case(world, check_item=item)
    assert again.is_rebound and again.rebound_of == old
    assert again.transitions.get(action="report").data["rebound_of"] == old.number


def test_rebound_after_window_is_not_flagged(world, settings):
    settings.CASE_REBOUND_DAYS = 10
    item = CheckItemFactory()
    old = case_in_state(world, CaseStatus.CLOSED, check_item=item)
    type(old).objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=11))
    again = new_case(world, check_item=item)
    assert not again.is_rebound and again.rebound_of is None


def test_verify_audit_names_altered_transition_row(world, capsys):
    case = case_in_state(world, CaseStatus.SIGNED)
    assert verify_case_timelines() == []
    row = CaseTransition.objects.filter(case=case, action="dispatch").get()
    CaseTransition.objects.filter(pk=row.pk).update(note="篡改")
    assert verify_case_timelines() == [row.pk]
    with pytest.raises(Exception, match="校验失败"):
        call_command("verify_audit")
    assert f"问题处置记录 第 {row.pk} 条记录被篡改" in capsys.readouterr().err


def test_verify_audit_detects_removed_last_row(world):
    case = case_in_state(world, CaseStatus.SIGNED)
    CaseTransition.objects.filter(case=case).order_by("-id").first().delete()
    assert verify_case_timelines() == [f"案件{case.pk}（末尾记录缺失）"]


def test_assign_after_dispatch_is_refused(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    with pytest.raises(DomainError):
        services.assign_case(actor=world.office, case=case, lead_unit=world.market)


def test_bulk_sign_reports_failures(world):
    good = case_in_state(world, CaseStatus.DISPATCHED)
    bad = case_in_state(world, CaseStatus.RECTIFYING)
    result = services.bulk_transition(actor=world.handler, cases=[good, bad], action=Action.SIGN)
    assert result.done == [good.number]
    assert result.failed[0][0] == bad.number


def test_intake_with_auto_register_has_a_bounded_query_count(world):
    from chuangcheng.core.testing import assert_max_queries

    RoutingRuleFactory(lead_unit=world.urban, category=world.category)
    services.create_case(actor=world.grid, source=CaseSource.PATROL, title="预热", site=world.site)
    with assert_max_queries(37) as ctx:  # SQLite, incl. 5 for the counter row (PostgreSQL: one nextval)
        case = services.create_case(
            actor=world.grid, source=CaseSource.PATROL, title="占道经营", site=world.site, auto_register=True
        )
    assert case.status == CaseStatus.DISPATCHED and case.lead_unit == world.urban
    assert not [q for q in ctx.captured_queries if "places_area" in q["sql"] and "RECURSIVE" not in q["sql"]]
