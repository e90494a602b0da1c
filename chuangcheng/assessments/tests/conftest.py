import pytest
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory


@pytest.fixture
def tree():
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    south = UnitFactory(code="D03", name="南城区", kind=UnitKind.DISTRICT, parent=city)
    east_street = UnitFactory(code="D01-S01", name="东城一街道", kind=UnitKind.STREET, parent=east)
    return {"city": city, "office": office, "east": east, "west": west, "south": south, "east_street": east_street}


@pytest.fixture
def users(tree):
    return {
        "office": user_with_role(Role.OFFICE_ADMIN, tree["office"]),
        "east": user_with_role(Role.UNIT_HEAD, tree["east"]),
        "west": user_with_role(Role.UNIT_HEAD, tree["west"]),
        "leader": user_with_role(Role.LEADER, tree["city"]),
        "nobody": UserFactory(),
    }


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
