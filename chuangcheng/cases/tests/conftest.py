"""A small city for case tests: office, two departments, a district with a street, users per role."""

from types import SimpleNamespace

import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, SiteFactory


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    urban = UnitFactory(code="DEPT-CG", name="市城管局", kind=UnitKind.DEPARTMENT, parent=city)
    market = UnitFactory(code="DEPT-SJ", name="市市场监管局", kind=UnitKind.DEPARTMENT, parent=city)
    district = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    street = UnitFactory(code="D01-S01", name="东城一街道", kind=UnitKind.STREET, parent=district)
    category = SiteCategoryFactory(code="market", name="农贸市场")
    alley = SiteCategoryFactory(code="alley", name="背街小巷")
    area = AreaFactory(code="G001", name="东城一网格", unit=street)
    site = SiteFactory(
        code="S001", name="东城农贸市场", category=category, area=area, unit=street, lng=120.005, lat=30.005
    )
    return SimpleNamespace(
        city=city,
        office_unit=office,
        urban=urban,
        market=market,
        district=district,
        street=street,
        category=category,
        alley=alley,
        area=area,
        site=site,
        office=user_with_role(Role.OFFICE_STAFF, office),
        admin=user_with_role(Role.OFFICE_ADMIN, office),
        handler=user_with_role(Role.UNIT_HANDLER, urban),
        head=user_with_role(Role.UNIT_HEAD, urban),
        market_handler=user_with_role(Role.UNIT_HANDLER, market),
        street_handler=user_with_role(Role.UNIT_HANDLER, street),
        inspector=user_with_role(Role.INSPECTOR, office),
        leader=user_with_role(Role.LEADER, city),
        grid=user_with_role(Role.GRID_WORKER, street),
        nobody=UserFactory(),
    )
