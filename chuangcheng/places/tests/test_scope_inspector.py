"""Inspectors work city-wide: they see every area and site, but nothing else widens."""

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.models import Area, Site
from chuangcheng.places.tests.factories import AreaFactory, SiteFactory

pytestmark = pytest.mark.django_db


def test_inspector_sees_all_areas_and_sites_but_only_own_units():
    city = UnitFactory(kind=UnitKind.CITY)
    team = UnitFactory(kind=UnitKind.OFFICE, parent=city)
    district = UnitFactory(kind=UnitKind.DISTRICT, parent=city)
    area = AreaFactory(unit=district)
    site = SiteFactory(unit=district, area=area)
    inspector = user_with_role(Role.INSPECTOR, team)
    handler = user_with_role(Role.UNIT_HANDLER, team)
    assert list(Area.objects.visible_to(inspector)) == [area]
    assert list(Site.objects.visible_to(inspector)) == [site]
    assert not Site.objects.visible_to(handler).exists()
    assert list(Unit.objects.visible_to(inspector)) == [team]
