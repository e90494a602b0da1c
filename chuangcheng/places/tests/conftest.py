import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places import lookup
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, SiteFactory, square


@pytest.fixture
def city():
    """示范市 with two districts (east: lng 120.00–120.02, west: 119.98–120.00), one grid each, one site each."""
    units = {}
    units["city"] = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    units["office"] = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=units["city"])
    units["dept"] = UnitFactory(code="DEPT-CG", name="市城管局", kind=UnitKind.DEPARTMENT, parent=units["city"])
    units["east"] = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=units["city"])
    units["west"] = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=units["city"])
    areas = {}
    areas["city"] = AreaFactory(
        code="CITY",
        name="示范市",
        level=AreaLevel.CITY,
        unit=units["city"],
        geometry={
            "type": "Polygon",
            "coordinates": [[[119.98, 30], [120.02, 30], [120.02, 30.02], [119.98, 30.02], [119.98, 30]]],
        },
    )
    areas["east"] = AreaFactory(
        code="D01",
        name="东城区",
        level=AreaLevel.DISTRICT,
        parent=areas["city"],
        unit=units["east"],
        geometry=square(120.0, 30.0, 0.02),
    )
    areas["west"] = AreaFactory(
        code="D02",
        name="西城区",
        level=AreaLevel.DISTRICT,
        parent=areas["city"],
        unit=units["west"],
        geometry=square(119.98, 30.0, 0.02),
    )
    areas["east_grid"] = AreaFactory(
        code="D01-G01",
        name="东城网格1",
        level=AreaLevel.GRID,
        parent=areas["east"],
        unit=units["east"],
        geometry=square(120.0, 30.0, 0.01),
    )
    areas["west_grid"] = AreaFactory(
        code="D02-G01",
        name="西城网格1",
        level=AreaLevel.GRID,
        parent=areas["west"],
        unit=units["west"],
        geometry=square(119.98, 30.0, 0.01),
    )
    lookup.invalidate_index()
    category = SiteCategoryFactory(code="farmers_market", name="农贸市场")
    sites = {
        "east": SiteFactory(
            code="S-E1",
            name="东城农贸市场",
            category=category,
            lng=120.005,
            lat=30.005,
            area=areas["east_grid"],
            unit=units["east"],
            department=units["dept"],
        ),
        "west": SiteFactory(
            code="S-W1",
            name="西城农贸市场",
            category=category,
            lng=119.985,
            lat=30.005,
            area=areas["west_grid"],
            unit=units["west"],
        ),
    }
    users = {
        "office": user_with_role(Role.OFFICE_ADMIN, units["office"]),
        "east": user_with_role(Role.UNIT_HEAD, units["east"]),
        "west": user_with_role(Role.UNIT_HEAD, units["west"]),
        "dept": user_with_role(Role.UNIT_HANDLER, units["dept"]),
        "none": UserFactory(),
    }
    return {"units": units, "areas": areas, "sites": sites, "users": users, "category": category}
