"""A small city for inspection tests: office, two districts with areas and sites, a standard, one user per role."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import AreaFactory, SiteCategoryFactory, SiteFactory
from chuangcheng.standards.models import StandardStatus
from chuangcheng.standards.tests.factories import CheckItemFactory, StandardFactory

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class World:
    units: dict = field(default_factory=dict)
    areas: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    sites: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    standard: object = None


@pytest.fixture
def world(db):
    w = World()
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    w.units = {
        "city": city,
        "office": UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city),
        "east": UnitFactory(code="EAST", name="东城区", kind=UnitKind.DISTRICT, parent=city),
        "west": UnitFactory(code="WEST", name="西城区", kind=UnitKind.DISTRICT, parent=city),
    }
    w.areas = {
        "east": AreaFactory(code="AE", name="东城", level=2, unit=w.units["east"]),
        "west": AreaFactory(code="AW", name="西城", level=2, unit=w.units["west"]),
    }
    w.categories = {
        "road": SiteCategoryFactory(code="road", name="背街小巷"),
        "market": SiteCategoryFactory(code="market", name="农贸市场"),
    }
    for district in ("east", "west"):
        for category in ("road", "market"):
            for n in range(5):
                key = f"{district}-{category}-{n}"
                w.sites[key] = SiteFactory(
                    code=key,
                    name=f"{district}{category}{n}",
                    category=w.categories[category],
                    area=w.areas[district],
                    unit=w.units[district],
                )
    w.standard = StandardFactory(status=StandardStatus.DRAFT)
    w.items = {
        "litter": CheckItemFactory(
            standard=w.standard,
            code="K1",
            title="垃圾乱堆",
            points=Decimal("2"),
            cap_per_site=Decimal("5"),
            site_categories=[w.categories["road"], w.categories["market"]],
        ),
        "unknown": CheckItemFactory(
            standard=w.standard,
            code="K2",
            title="病媒防制设施缺失",
            points=None,
            site_categories=[w.categories["market"]],
        ),
        "red": CheckItemFactory(
            standard=w.standard,
            code="K3",
            title="出现恶性事件",
            points=Decimal("3"),
            is_negative_list=True,
            site_categories=[w.categories["road"]],
        ),
    }
    w.users = {
        "office_admin": user_with_role(Role.OFFICE_ADMIN, w.units["office"]),
        "office_staff": user_with_role(Role.OFFICE_STAFF, w.units["office"]),
        "leader": user_with_role(Role.LEADER, city),
        "east_head": user_with_role(Role.UNIT_HEAD, w.units["east"]),
        "east_handler": user_with_role(Role.UNIT_HANDLER, w.units["east"]),
        "west_head": user_with_role(Role.UNIT_HEAD, w.units["west"]),
        "inspector": user_with_role(Role.INSPECTOR, w.units["office"]),
        "other_inspector": user_with_role(Role.INSPECTOR, city),
        "grid_worker": user_with_role(Role.GRID_WORKER, w.units["east"]),
        "no_role": UserFactory(),
    }
    return w


def make_round(world, **kwargs):
    from chuangcheng.inspections import services

    defaults = dict(
        actor=world.users["office_admin"],
        name="十一月暗访",
        kind="covert",
        unit=world.units["office"],
        standard=world.standard,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        inspectors=[world.users["inspector"]],
    )
    round_ = services.create_round(**(defaults | kwargs))
    services.set_sampling_plan(
        round_=round_,
        actor=world.users["office_admin"],
        quotas={world.categories["road"].pk: 2, world.categories["market"].pk: 2},
    )
    return round_


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
