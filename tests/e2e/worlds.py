"""Small worlds shared by browser tests (built with factories through the real area index)."""

from types import SimpleNamespace

from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.lookup import invalidate_index
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, square


def citizen_city() -> SimpleNamespace:
    """A city with its office and one district (东城区, 0.2° square at 119.9/29.9) and the 暴露垃圾 category."""
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    district = UnitFactory(code="EAST", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    east = AreaFactory(
        code="A-EAST",
        name="东城区",
        level=AreaLevel.DISTRICT,
        unit=district,
        geometry=square(119.9, 29.9, 0.2),
        min_lng=119.9,
        min_lat=29.9,
        max_lng=120.1,
        max_lat=30.1,
    )
    invalidate_index()
    litter = SiteCategoryFactory(code="litter", name="暴露垃圾")
    return SimpleNamespace(city=city, office=office, district=district, east=east, litter=litter)
