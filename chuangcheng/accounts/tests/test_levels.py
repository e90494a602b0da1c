"""Rights by level: jurisdictions, what each office may do, refusals outside the jurisdiction, the roll-up."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from chuangcheng.accounts.jurisdiction import jurisdiction_of, office_members_for
from chuangcheng.accounts.models import Role
from chuangcheng.accounts.permissions import is_office_for, is_top_office, manages_user
from chuangcheng.accounts.selectors import manageable_users
from chuangcheng.accounts.services import grant_role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.accounts.tests.levels_world import build_world
from chuangcheng.assessments.permissions import can_compute_period, can_edit_scheme
from chuangcheng.assessments.services.schemes import create_scheme, update_scheme
from chuangcheng.campaigns.services.plans import create_plan, create_task
from chuangcheng.cases.permissions import actor_kinds
from chuangcheng.cases.services import assign_case
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.scoping import scope_of
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.dashboard.rollup import province_comparison
from chuangcheng.dashboard.services import refresh_dashboard
from chuangcheng.inspections.permissions import can_manage_round
from chuangcheng.inspections.services.rounds import create_round, draw_round
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.standards.permissions import can_edit_standards

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_world()


def test_jurisdiction_is_the_nearest_territorial_unit(w):
    assert jurisdiction_of(w["A-OFFICE"]) == w["A"]
    assert jurisdiction_of(w["A1-OFFICE"]) == w["A1"]
    assert jurisdiction_of(w["A1T"]) == w["A1T"]
    assert jurisdiction_of(w["P-OFFICE"]) == w["P"]
    loose = UnitFactory()  # a department at the top of its own chain: its own jurisdiction
    assert jurisdiction_of(loose) == loose


def test_scopes_by_level(w):
    province, city, county, town = (
        scope_of(w[k]) for k in ("province_office", "city_a_office", "county_a1_office", "town_office")
    )
    assert province.sees_all  # the root's office: as a single-city installation's office always did
    assert not city.sees_all and city.jurisdiction_ids == {w["A"].pk}
    assert {w["A"].pk, w["A1"].pk, w["A1T"].pk, w["A2"].pk, w["A-OFFICE"].pk} <= city.office_unit_ids
    assert w["B"].pk not in city.office_unit_ids and w["P"].pk not in city.office_unit_ids
    assert county.office_unit_ids == {w["A1"].pk, w["A1-OFFICE"].pk, w["A1T"].pk, w["A1TV"].pk}
    assert town.office_unit_ids == {w["A1T"].pk, w["A1TV"].pk}
    assert scope_of(w["county_a2_office"]).office_unit_ids == {w["A2"].pk}
    inspector = scope_of(w["secret_inspector"])
    assert w["A1T"].pk in inspector.inspect_unit_ids and w["B"].pk not in inspector.inspect_unit_ids


def test_a_single_city_office_still_sees_all():
    city = UnitFactory(kind="city")
    office = UnitFactory(kind="office", parent=city)
    staff = user_with_role(Role.OFFICE_STAFF, office)
    assert scope_of(staff).sees_all and is_top_office(staff)


def test_office_predicates_follow_the_tree(w):
    county = w["county_a1_office"]
    assert is_office_for(county, w["A1T"]) and not is_office_for(county, w["A2"]) and not is_office_for(county, w["A"])
    assert is_office_for(w["city_a_office"], w["A1T"]) and not is_office_for(w["city_a_office"], w["B"])
    assert not is_office_for(county, None)  # installation-wide reference data is the root's
    assert can_edit_standards(w["province_office"]) and not can_edit_standards(w["city_a_office"])
    assert not is_office_for(w["village_handler"], w["A1TV"])  # a handler is no office


def test_county_runs_its_own_round_and_never_the_citys(w):
    county = w["county_a1_office"]
    round_ = create_round(
        actor=county,
        name="甲一县第二轮",
        kind="open",
        unit=w["A1-OFFICE"],
        period_start=datetime.date(2026, 12, 1),
        period_end=datetime.date(2026, 12, 10),
        areas=[w["area:A1T"]],
    )
    assert can_manage_round(county, round_) and can_manage_round(w["city_a_office"], round_)
    assert not can_manage_round(w["county_a2_office"], round_) and not can_manage_round(w["town_office"], round_)
    assert not can_manage_round(county, w["round:A-published"])
    with pytest.raises(NotPermitted):
        draw_round(round_=w["round:A1-own"], actor=w["county_a2_office"])
    with pytest.raises(DomainError) as refused:
        create_round(
            actor=county,
            name="越界",
            kind="open",
            unit=w["A1-OFFICE"],
            period_start=datetime.date(2026, 12, 1),
            period_end=datetime.date(2026, 12, 10),
            areas=[w["area:A2"]],
        )
    assert refused.value.field == "areas" and "甲二县区域" in refused.value.message
    with pytest.raises(DomainError) as refused:
        create_round(
            actor=county,
            name="越界",
            kind="open",
            unit=w["A-OFFICE"],
            period_start=datetime.date(2026, 12, 1),
            period_end=datetime.date(2026, 12, 10),
        )
    assert refused.value.field == "unit"


def test_a_round_without_areas_draws_only_on_its_owners_ground(w):
    from chuangcheng.inspections.selectors import owner_ground

    assert owner_ground(w["round:A1-own"]) == w["A1"]
    assert owner_ground(w["round:P-secret"]) is None  # the province is the root: every site


def test_offices_act_on_cases_of_their_ground_only(w):
    case = w["case:A1T"]
    assert "office" in actor_kinds(w["county_a1_office"], case)
    assert "office" in actor_kinds(w["city_a_office"], case)
    assert "office" not in actor_kinds(w["county_a2_office"], case)
    case.status = "registered"
    case.save(update_fields=["status"])
    with pytest.raises(DomainError) as refused:
        assign_case(actor=w["county_a1_office"], case=case, lead_unit=w["A2"])
    assert refused.value.field == "lead_unit" and "甲二县" in refused.value.message
    assert assign_case(actor=w["county_a1_office"], case=case, lead_unit=w["A1TV"]).lead_unit == w["A1TV"]


def test_the_level_above_assigns_tasks_down_and_a_county_keeps_its_own_plans(w):
    city, county = w["city_a_office"], w["county_a1_office"]
    task = create_task(
        actor=city, plan=w["plan:A"], title="背街小巷整治", lead_unit=w["A1T"], deadline=datetime.date(2026, 12, 31)
    )
    assert task.lead_unit == w["A1T"]
    with pytest.raises(NotPermitted):
        create_task(
            actor=county,
            plan=w["plan:A"],
            title="改市里的方案",
            lead_unit=w["A1T"],
            deadline=datetime.date(2026, 12, 31),
        )
    plan = create_plan(actor=county, title="甲一县创卫方案", year=2026, unit=w["A1-OFFICE"])
    create_task(actor=county, plan=plan, title="镇区整治", lead_unit=w["A1T"], deadline=datetime.date(2026, 12, 31))
    with pytest.raises(DomainError) as refused:
        create_task(actor=county, plan=plan, title="越界", lead_unit=w["A2"], deadline=datetime.date(2026, 12, 31))
    assert refused.value.field == "lead_unit"
    with pytest.raises(DomainError):
        create_plan(actor=county, title="越界方案", year=2026, unit=w["B-OFFICE"])


def test_assessments_belong_to_their_campaigns_office(w):
    county, city = w["county_a1_office"], w["city_a_office"]
    scheme = create_scheme(actor=county, code="A1-KH", name="甲一县考核办法", campaign=w["camp:A1"])
    assert can_edit_scheme(county, scheme) and can_edit_scheme(city, scheme)
    assert not can_edit_scheme(w["county_a2_office"], scheme)
    with pytest.raises(DomainError) as refused:
        create_scheme(actor=county, code="A1-KH2", name="没有活动")
    assert refused.value.field == "campaign"
    with pytest.raises(DomainError):
        create_scheme(actor=county, code="A1-KH3", name="上级的活动", campaign=w["camp:A"])
    with pytest.raises(NotPermitted):
        update_scheme(scheme=w["period:A"].scheme, actor=county, name="改市里的")
    assert can_compute_period(county, w["period:A1-preview"]) and not can_compute_period(county, w["period:A"])


def test_office_admins_manage_the_accounts_of_their_jurisdiction(w):
    county = w["county_a1_office"]
    managed = set(manageable_users(county).values_list("username", flat=True))
    assert {"county_a1_office", "town_office", "village_handler", "county_a1_handler"} <= managed
    assert not managed & {"city_a_office", "county_a2_office", "city_b_office", "province_office"}
    assert not manages_user(county, w["city_a_office"])
    with pytest.raises(DomainError) as refused:
        grant_role(actor=county, user=w["village_handler"], unit=w["A2"], role=Role.UNIT_HEAD)
    assert refused.value.field == "unit"
    client = Client()
    client.force_login(county)
    assert client.get(f"/users/{w['city_a_office'].pk}/").status_code == 404
    assert client.get(f"/users/{w['village_handler'].pk}/").status_code == 200


def test_case_notifications_reach_the_offices_of_the_cases_ground(w):
    names = {user.username for user in office_members_for(w["A1T"])}
    assert {"province_office", "city_a_office", "county_a1_office", "town_office"} <= names
    assert not names & {"county_a2_office", "city_b_office"}


def test_province_compares_its_cities_and_a_county_ranks_its_towns(w):
    refresh_dashboard(full=True)
    rows = province_comparison(scope_of(w["province_office"]), user=w["province_office"])
    by_unit = {row["unit"]: row for row in rows}
    assert set(by_unit) == {"甲市", "乙市"}
    assert by_unit["甲市"]["open"] == 2 and by_unit["乙市"]["open"] == 1
    assert by_unit["甲市"]["round"]["name"] == "甲市已发布暗访"
    assert by_unit["甲市"]["forecast"]["p_pass"] == 0.5
    city_rows = province_comparison(scope_of(w["city_a_office"]), user=w["city_a_office"])
    assert {row["unit"] for row in city_rows} == {"甲一县", "甲二县"}
    county_rows = province_comparison(scope_of(w["county_a1_office"]))
    assert [row["unit"] for row in county_rows] == ["甲一镇"] and county_rows[0]["open"] == 1
    assert province_comparison(scope_of(w["city_b_office"])) == []  # no towns or counties under 乙市 here


def test_province_comparison_reads_a_fixed_number_of_queries(w):
    refresh_dashboard(full=True)
    scope = scope_of(w["province_office"])
    province_comparison(scope, user=w["province_office"])  # warms the round-score cache
    with assert_max_queries(10):
        province_comparison(scope, user=w["province_office"])


def test_levels_page_and_api(w):
    refresh_dashboard(full=True)
    client = Client()
    client.force_login(w["province_office"])
    page = client.get("/dashboard/levels/")
    assert page.status_code == 200 and "甲市" in page.content.decode() and "乙市" in page.content.decode()
    data = client.get("/api/v1/dashboard/levels/").json()
    assert {row["unit"] for row in data["units"]} == {"甲市", "乙市"}
    client.force_login(w["county_a2_office"])
    assert "甲一镇" not in client.get("/dashboard/levels/").content.decode()
    client.force_login(w["no_role"])
    assert client.get("/api/v1/dashboard/levels/").status_code == 404


def test_windows_and_forecasts_belong_to_the_levels_campaign(w):
    from chuangcheng.readiness.permissions import can_edit_window
    from chuangcheng.readiness.services import _ground_path, create_window

    county = w["county_a1_office"]
    start = datetime.date.today() + datetime.timedelta(days=200)  # after the world's windows
    with pytest.raises(DomainError) as refused:
        create_window(actor=county, kind="provincial", earliest=start, latest=start + datetime.timedelta(days=5))
    assert refused.value.field == "campaign"
    window = create_window(
        actor=county,
        kind="provincial",
        earliest=start + datetime.timedelta(days=10),
        latest=start + datetime.timedelta(days=20),
        campaign=w["camp:A1"],
    )
    assert can_edit_window(county, window) and can_edit_window(w["city_a_office"], window)
    assert not can_edit_window(w["county_a2_office"], window) and not can_edit_window(county, w["window:A"])
    assert _ground_path(county, w["camp:A1"]) == w["A1"].path
    assert _ground_path(county, None) == w["A1"].path  # no campaign: the actor's own jurisdiction
    assert _ground_path(w["province_office"], None) == ""  # the root: every site


def test_reference_data_and_ground_stay_with_the_right_level(w):
    from chuangcheng.core.services import set_workday_override
    from chuangcheng.notifications.services import create_webhook
    from chuangcheng.org.services import create_unit
    from chuangcheng.places.services.areas import create_area
    from chuangcheng.places.services.sites import create_site

    county = w["county_a1_office"]
    with pytest.raises(NotPermitted):
        set_workday_override(actor=county, day=datetime.date(2026, 12, 5), is_working_day=True)
    set_workday_override(actor=w["province_office"], day=datetime.date(2026, 12, 5), is_working_day=True)
    town = create_unit(actor=county, code="A1T2", name="甲一二镇", kind="street", parent=w["A1"])
    assert town.path.startswith(w["A1"].path)
    with pytest.raises(DomainError) as refused:
        create_unit(actor=county, code="A2T", name="别县的镇", kind="street", parent=w["A2"])
    assert refused.value.field == "parent"
    with pytest.raises(DomainError) as refused:
        create_area(actor=county, code="AR-X", name="别县的区域", level=3, parent=w["area:A2"], unit=w["A2"])
    assert refused.value.field == "unit" and "甲二县" in refused.value.message
    with pytest.raises(DomainError) as refused:
        create_site(
            actor=county,
            code="S-X",
            name="别县的点位",
            category=w["site:A2"].category,
            lng=120.0,
            lat=30.0,
            unit=w["A2"],
        )
    assert refused.value.field == "unit"
    with pytest.raises(NotPermitted):
        create_webhook(actor=county, unit=w["A2"], name="别县群", kind="dingtalk", url="https://oapi.dingtalk.com/x")
