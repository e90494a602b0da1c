import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory


@pytest.fixture
def official_calendar():
    call_command("load_calendar", "--from-year", "2025", verbosity=0)


@pytest.fixture
def world(db):
    """A city with an office, two districts (each with a street) and users in each role that matters."""
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    east_street = UnitFactory(code="D01-S01", name="东城一街道", kind=UnitKind.STREET, parent=east)
    east_community = UnitFactory(code="D01-S01-C1", name="东城一社区", kind=UnitKind.COMMUNITY, parent=east_street)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    west_street = UnitFactory(code="D02-S01", name="西城一街道", kind=UnitKind.STREET, parent=west)
    return {
        "city": city,
        "office": office,
        "east": east,
        "east_street": east_street,
        "east_community": east_community,
        "west": west,
        "west_street": west_street,
        "admin": user_with_role(Role.OFFICE_ADMIN, office),
        "staff": user_with_role(Role.OFFICE_STAFF, office),
        "east_head": user_with_role(Role.UNIT_HEAD, east),
        "west_head": user_with_role(Role.UNIT_HEAD, west),
        "nobody": UserFactory(),
    }


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
