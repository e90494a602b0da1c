import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.lookup import invalidate_index
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, square


@pytest.fixture
def world(db):
    """A city with an office and two districts owning one area each; two problem categories."""
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="EAST", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    west = UnitFactory(code="WEST", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    east_area = AreaFactory(
        code="A-EAST", name="东城区", level=AreaLevel.DISTRICT, unit=east, geometry=square(120.0, 30.0, 0.01)
    )
    west_area = AreaFactory(
        code="A-WEST",
        name="西城区",
        level=AreaLevel.DISTRICT,
        unit=west,
        geometry=square(119.99, 30.0, 0.01),
        min_lng=119.99,
        max_lng=120.0,
    )
    invalidate_index()
    return {
        "city": city,
        "office": office,
        "east": east,
        "west": west,
        "east_area": east_area,
        "west_area": west_area,
        "litter": SiteCategoryFactory(code="litter", name="暴露垃圾"),
        "stall": SiteCategoryFactory(code="stall", name="占道经营"),
        "staff": user_with_role(Role.OFFICE_STAFF, office),
        "admin": user_with_role(Role.OFFICE_ADMIN, office),
        "east_handler": user_with_role(Role.UNIT_HANDLER, east),
        "west_handler": user_with_role(Role.UNIT_HANDLER, west),
        "nobody": UserFactory(),
    }
