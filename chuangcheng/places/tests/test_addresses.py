import pytest

from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.addresses import match_address
from chuangcheng.places.lookup import invalidate_index
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory, SiteFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    east_unit, street_unit = UnitFactory(name="东城区"), UnitFactory(name="东关街道")
    east = AreaFactory(name="东城区", level=AreaLevel.DISTRICT, unit=east_unit, geometry=square(120.0, 30.0, 0.02))
    west = AreaFactory(name="西城区", level=AreaLevel.DISTRICT, geometry=square(119.98, 30.0, 0.02))
    street = AreaFactory(name="东关街道办事处", level=AreaLevel.STREET, parent=east, unit=street_unit)
    east_new = AreaFactory(name="新村社区", level=AreaLevel.COMMUNITY, parent=street)
    west_new = AreaFactory(name="新村社区", level=AreaLevel.COMMUNITY, parent=west)
    invalidate_index()
    return {"east": east, "west": west, "street": street, "east_new": east_new, "west_new": west_new,
            "street_unit": street_unit}  # fmt: skip


def test_match_address_prefers_the_most_specific_named_area(tree):
    found = match_address("东城区东关街道人民路 12 号门口")
    assert found.area == tree["street"] and found.site is None
    assert found.unit == tree["street_unit"]
    assert found.matched == "东关街道"


def test_match_address_same_named_community_told_apart_by_named_ancestor(tree):
    assert match_address("西城区新村社区3栋").area == tree["west_new"]
    found = match_address("东关街道新村社区3栋")
    assert found.area == tree["east_new"]
    assert found.unit == tree["street_unit"]  # the nearest owner up the chain


def test_match_address_ambiguous_name_alone_matches_nothing(tree):
    assert match_address("新村社区3栋") is None
    assert match_address("ＸＸ新村社区，东城区").area == tree["east_new"]  # full-width text folded


def test_match_address_site_name_or_address_beats_areas(tree):
    site = SiteFactory(name="东关农贸市场", address="人民路88号", area=tree["street"])
    assert match_address("东城区东关农贸市场北门").site == site
    found = match_address("人民路 88 号门口")
    assert found.site == site and found.area == tree["street"] and found.point == (site.lng, site.lat)
    SiteFactory(name="停用市场", address="人民路99号", is_active=False)
    assert match_address("人民路99号") is None


def test_match_address_nothing_named_returns_none(tree):
    assert match_address("") is None
    assert match_address("我家楼下") is None


def test_match_address_sees_new_sites_and_renamed_areas_at_once(tree):
    assert match_address("南关市场门口") is None
    site = SiteFactory(name="南关市场", area=tree["street"])
    assert match_address("南关市场门口").site == site
    street = tree["street"]
    street.name = "南关街道"
    street.save()
    assert match_address("南关街道幸福路").area == street
