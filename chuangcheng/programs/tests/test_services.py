from datetime import date

import pytest

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.programs import services
from chuangcheng.programs.models import Campaign, CampaignStatus
from chuangcheng.programs.tests.factories import CampaignFactory
from chuangcheng.programs.titles import Title

pytestmark = pytest.mark.django_db


def _create(tree, **overrides):
    values = {
        "actor": tree["office_user"],
        "code": "GW-2026",
        "name": "示范市巩固国家卫生城市",
        "unit": tree["city"],
        "title": Title.NATIONAL_SANITARY_CITY,
        "standard": tree["standard"],
        "office_unit": tree["office"],
    }
    values.update(overrides)
    return services.create_campaign(**values)


def _error(excinfo, field):
    assert excinfo.value.field == field, excinfo.value.message
    return excinfo.value.message


def test_create_campaign_records_audit_and_fields(tree):
    campaign = _create(tree, starts_on=date(2026, 1, 1))
    assert campaign.unit == tree["city"] and campaign.office_unit == tree["office"]
    assert campaign.status == CampaignStatus.ACTIVE and campaign.parent is None
    event = AuditEvent.objects.get(verb="programs.campaign_created")
    assert event.changes["code"] == [None, "GW-2026"]


def test_create_county_campaign_gets_the_city_campaign_as_parent(tree):
    city_campaign = _create(tree)
    county = _create(
        tree,
        code="D01-CW",
        name="东城区创建国家卫生县",
        unit=tree["east"],
        title=Title.NATIONAL_SANITARY_COUNTY,
        office_unit=tree["east_office"],
    )
    town = _create(
        tree,
        code="S01",
        name="东城街道创建卫生乡镇",
        unit=tree["street"],
        title=Title.NATIONAL_SANITARY_TOWN,
        office_unit=None,
    )
    assert county.parent == city_campaign
    assert town.parent == county


def test_create_campaign_without_standard_is_refused(tree):
    with pytest.raises(DomainError) as excinfo:
        _create(tree, standard=None)
    assert "评价标准" in _error(excinfo, "standard")
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("unit_key", "title"),
    [
        ("city", Title.NATIONAL_SANITARY_COUNTY),
        ("east", Title.NATIONAL_SANITARY_CITY),
        ("street", Title.PROVINCIAL_SANITARY_VILLAGE),
        ("community", Title.NATIONAL_CIVILIZED_CITY),
    ],
)
def test_title_not_allowed_at_the_level_is_refused(tree, unit_key, title):
    with pytest.raises(DomainError) as excinfo:
        _create(tree, unit=tree[unit_key], title=title, office_unit=None)
    message = _error(excinfo, "title")
    assert Title(title).label in message and "只适用于" in message
    assert not Campaign.objects.exists()


def test_civilized_village_town_fits_town_and_village(tree):
    _create(tree, code="A", unit=tree["street"], title=Title.CIVILIZED_VILLAGE_TOWN, office_unit=None)
    _create(tree, code="B", unit=tree["community"], title=Title.CIVILIZED_VILLAGE_TOWN, office_unit=None)
    assert Campaign.objects.count() == 2


def test_office_unit_outside_the_subtree_is_refused(tree):
    with pytest.raises(DomainError) as excinfo:
        _create(tree, unit=tree["east"], title=Title.NATIONAL_SANITARY_COUNTY, office_unit=tree["office"])
    assert "辖区" in _error(excinfo, "office_unit")
    assert not Campaign.objects.exists()


def test_non_territorial_unit_is_refused(tree):
    with pytest.raises(DomainError) as excinfo:
        _create(tree, unit=tree["office"], office_unit=None)
    _error(excinfo, "unit")


def test_duplicate_code_is_refused(tree):
    _create(tree)
    with pytest.raises(DomainError) as excinfo:
        _create(tree, name="另一个")
    assert "已存在" in _error(excinfo, "code")


def test_blank_name_and_reversed_dates_are_refused(tree):
    with pytest.raises(DomainError) as excinfo:
        _create(tree, name="  ")
    _error(excinfo, "name")
    with pytest.raises(DomainError) as excinfo:
        _create(tree, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1))
    _error(excinfo, "ends_on")
    assert not Campaign.objects.exists()


def test_parent_must_belong_to_a_unit_above(tree):
    west = _create(tree, code="W", unit=tree["west"], title=Title.NATIONAL_SANITARY_COUNTY, office_unit=None)
    with pytest.raises(DomainError) as excinfo:
        _create(tree, code="E", unit=tree["east"], title=Title.NATIONAL_SANITARY_COUNTY, office_unit=None, parent=west)
    assert "上级单位" in _error(excinfo, "parent")


def test_non_office_user_may_not_create(tree):
    with pytest.raises(NotPermitted):
        _create(tree, actor=tree["handler"], unit=tree["street"], title=Title.NATIONAL_SANITARY_TOWN, office_unit=None)


def test_update_campaign_audits_the_change(tree):
    campaign = _create(tree)
    services.update_campaign(campaign=campaign, actor=tree["office_user"], name="新名称", ends_on=date(2027, 1, 1))
    campaign.refresh_from_db()
    assert campaign.name == "新名称"
    event = AuditEvent.objects.get(verb="programs.campaign_updated")
    assert event.changes["name"] == ["示范市巩固国家卫生城市", "新名称"]


def test_update_to_a_title_of_another_level_changes_nothing(tree):
    campaign = _create(tree)
    with pytest.raises(DomainError) as excinfo:
        services.update_campaign(campaign=campaign, actor=tree["office_user"], title=Title.NATIONAL_SANITARY_TOWN)
    _error(excinfo, "title")
    campaign.refresh_from_db()
    assert campaign.title == Title.NATIONAL_SANITARY_CITY


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"standard": None}, "standard"),
        ({"unit": None}, "unit"),
        ({"code": "X"}, "code"),
        ({"status": "closed"}, "status"),
    ],
)
def test_update_refuses_bad_or_frozen_fields(tree, changes, field):
    campaign = _create(tree)
    with pytest.raises(DomainError) as excinfo:
        services.update_campaign(campaign=campaign, actor=tree["office_user"], **changes)
    _error(excinfo, field)
    assert not AuditEvent.objects.filter(verb="programs.campaign_updated").exists()


def test_update_office_unit_outside_is_refused(tree):
    campaign = _create(tree, code="E", unit=tree["east"], title=Title.NATIONAL_SANITARY_COUNTY, office_unit=None)
    with pytest.raises(DomainError) as excinfo:
        services.update_campaign(campaign=campaign, actor=tree["office_user"], office_unit=tree["west"])
    _error(excinfo, "office_unit")


def test_close_campaign_then_no_more_edits(tree):
    campaign = _create(tree, starts_on=date(2026, 1, 1))
    services.close_campaign(campaign=campaign, actor=tree["office_user"], ends_on=date(2026, 12, 31))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED and campaign.ends_on == date(2026, 12, 31)
    assert AuditEvent.objects.filter(verb="programs.campaign_closed").count() == 1
    with pytest.raises(Conflict):
        services.close_campaign(campaign=campaign, actor=tree["office_user"])
    with pytest.raises(Conflict):
        services.update_campaign(campaign=campaign, actor=tree["office_user"], name="x")


def test_close_before_start_is_refused(tree):
    campaign = _create(tree, starts_on=date(2026, 6, 1))
    with pytest.raises(DomainError) as excinfo:
        services.close_campaign(campaign=campaign, actor=tree["office_user"], ends_on=date(2026, 1, 1))
    _error(excinfo, "ends_on")


def test_unit_handler_may_not_update_or_close(tree):
    campaign = _create(tree, code="S", unit=tree["street"], title=Title.NATIONAL_SANITARY_TOWN, office_unit=None)
    with pytest.raises(NotPermitted):
        services.update_campaign(campaign=campaign, actor=tree["handler"], name="x")
    with pytest.raises(NotPermitted):
        services.close_campaign(campaign=campaign, actor=tree["handler"])


def test_require_within_names_the_unit_outside(tree):
    campaign = CampaignFactory(unit=tree["east"], title=Title.NATIONAL_SANITARY_COUNTY)
    services.require_within(campaign, [tree["street"], tree["community"], tree["east"]], field="areas", what="检查范围")
    with pytest.raises(DomainError) as excinfo:
        services.require_within(campaign, [tree["street"], tree["west"]], field="areas", what="检查范围")
    assert "西城区" in _error(excinfo, "areas")


def test_require_campaign_refuses_closed_and_invisible(tree):
    closed = CampaignFactory(unit=tree["city"], status=CampaignStatus.CLOSED)
    with pytest.raises(DomainError) as excinfo:
        services.require_campaign(tree["office_user"], closed)
    assert "已结束" in _error(excinfo, "campaign")
    west = CampaignFactory(unit=tree["west"], title=Title.NATIONAL_SANITARY_COUNTY)
    with pytest.raises(DomainError) as excinfo:
        services.require_campaign(tree["handler"], west)
    assert "无权" in _error(excinfo, "campaign")
    assert services.require_campaign(tree["office_user"], None) is None
