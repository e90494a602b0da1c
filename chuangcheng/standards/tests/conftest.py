import pytest
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory


@pytest.fixture
def units():
    city = UnitFactory(kind=UnitKind.CITY, name="示范市")
    office = UnitFactory(kind=UnitKind.OFFICE, parent=city, name="创建办")
    health = UnitFactory(kind=UnitKind.DEPARTMENT, parent=city, name="卫健委")
    ecology = UnitFactory(kind=UnitKind.DEPARTMENT, parent=city, name="生态环境局")
    return {"city": city, "office": office, "health": health, "ecology": ecology}


@pytest.fixture
def people(units):
    return {
        "office": user_with_role(Role.OFFICE_ADMIN, units["office"]),
        "health": user_with_role(Role.UNIT_HANDLER, units["health"]),
        "ecology": user_with_role(Role.UNIT_HANDLER, units["ecology"]),
        "inspector": user_with_role(Role.INSPECTOR, units["health"]),
        "no_role": UserFactory(),
    }


@pytest.fixture
def client_for():
    def make(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make
