import pytest
from django.test import Client
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory


@pytest.fixture
def world(db):
    """A city with an office and two districts (each with a street), and users in the roles that matter."""
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    east_street = UnitFactory(code="D01-S01", name="东城一街道", kind=UnitKind.STREET, parent=east)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    hospital = UnitFactory(code="DEPT-WJ", name="市卫健委", kind=UnitKind.DEPARTMENT, parent=city)
    return {
        "city": city,
        "office": office,
        "east": east,
        "east_street": east_street,
        "west": west,
        "hospital": hospital,
        "admin": user_with_role(Role.OFFICE_ADMIN, office),
        "east_head": user_with_role(Role.UNIT_HEAD, east),
        "west_head": user_with_role(Role.UNIT_HEAD, west),
        "east_grid": user_with_role(Role.GRID_WORKER, east_street),
        "inspector": user_with_role(Role.INSPECTOR, office),
        "nobody": UserFactory(),
    }


def api_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def page_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
