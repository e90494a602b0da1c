import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.standards.tests.factories import StandardFactory


@pytest.fixture
def tree():
    """A city with its office, two districts (one with a street and a community), and the people of each level."""
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    east_office = UnitFactory(code="D01-OFFICE", name="东城区创卫办", kind=UnitKind.OFFICE, parent=east)
    street = UnitFactory(code="D01-S01", name="东城街道", kind=UnitKind.STREET, parent=east)
    community = UnitFactory(code="D01-S01-C01", name="东城社区", kind=UnitKind.COMMUNITY, parent=street)
    return {
        "city": city,
        "office": office,
        "east": east,
        "west": west,
        "east_office": east_office,
        "street": street,
        "community": community,
        "standard": StandardFactory(kind="sanitary_city"),
        "office_user": user_with_role(Role.OFFICE_ADMIN, office),
        "handler": user_with_role(Role.UNIT_HANDLER, street),
        "west_handler": user_with_role(Role.UNIT_HANDLER, west),
        "no_role": UserFactory(),
    }
