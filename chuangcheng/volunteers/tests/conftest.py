import pytest
from django.test import Client
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory


@pytest.fixture
def world(db):
    """A city with an office, two districts each with a street and a community, and users that matter."""
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    east_street = UnitFactory(code="D01-S01", name="东城一街道", kind=UnitKind.STREET, parent=east)
    east_community = UnitFactory(code="D01-S01-C01", name="春秋社区", kind=UnitKind.COMMUNITY, parent=east_street)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    west_street = UnitFactory(code="D02-S01", name="西城一街道", kind=UnitKind.STREET, parent=west)
    west_community = UnitFactory(code="D02-S01-C01", name="西园社区", kind=UnitKind.COMMUNITY, parent=west_street)
    return {
        "city": city,
        "office": office,
        "east": east,
        "east_street": east_street,
        "east_community": east_community,
        "west": west,
        "west_street": west_street,
        "west_community": west_community,
        "admin": user_with_role(Role.OFFICE_ADMIN, office),
        "leader": user_with_role(Role.LEADER, city),
        "east_head": user_with_role(Role.UNIT_HEAD, east),
        "street_head": user_with_role(Role.UNIT_HEAD, east_street),
        "community_worker": user_with_role(Role.GRID_WORKER, east_community),
        "west_head": user_with_role(Role.UNIT_HEAD, west),
        "inspector": user_with_role(Role.INSPECTOR, office),
        "nobody": UserFactory(),
    }


def api_client(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def page_client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
