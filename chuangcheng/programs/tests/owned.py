"""Shared world for the tests of objects owned by a campaign (each owning app's tests wrap it in a fixture)."""

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory
from chuangcheng.programs.models import CampaignStatus
from chuangcheng.programs.tests.factories import CampaignFactory
from chuangcheng.programs.titles import Title
from chuangcheng.standards.tests.factories import StandardFactory


def build_owned_world() -> dict:
    """A city with two districts; the city's, the east district's and a closed campaign; areas of each district."""
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=city)
    street = UnitFactory(code="D01-S01", name="东城街道", kind=UnitKind.STREET, parent=east)
    standard = StandardFactory(kind="sanitary_city")
    city_campaign = CampaignFactory(unit=city, code="CITY-GW", name="示范市巩卫", standard=standard)
    east_campaign = CampaignFactory(
        unit=east,
        code="D01-CW",
        name="东城区创卫",
        title=Title.NATIONAL_SANITARY_COUNTY,
        parent=city_campaign,
        standard=standard,
    )
    closed = CampaignFactory(
        unit=west,
        code="D02-OLD",
        name="西城区旧活动",
        title=Title.NATIONAL_SANITARY_COUNTY,
        status=CampaignStatus.CLOSED,
        standard=standard,
    )
    return {
        "city": city,
        "office": office,
        "east": east,
        "west": west,
        "street": street,
        "standard": standard,
        "city_campaign": city_campaign,
        "east_campaign": east_campaign,
        "closed": closed,
        "east_area": AreaFactory(unit=street, level=AreaLevel.COMMUNITY, name="东城社区"),
        "west_area": AreaFactory(unit=west, level=AreaLevel.COMMUNITY, name="西城社区"),
        "office_user": user_with_role(Role.OFFICE_ADMIN, office),
        "handler": user_with_role(Role.UNIT_HANDLER, street),
        "nobody": UserFactory(),
    }
