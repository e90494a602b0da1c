import pytest

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import SiteCategoryFactory, SiteFactory
from chuangcheng.standards.models import Standard, StandardStatus
from chuangcheng.standards.tests.factories import CheckItemFactory, SamplingQuotaFactory, StandardFactory


@pytest.fixture
def city():
    """A small city: one market category (6 sites, all sampled), 3 check items, open cases at two sites."""
    root = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=root)
    east = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=root)
    west = UnitFactory(code="D02", name="西城区", kind=UnitKind.DISTRICT, parent=root)
    market = SiteCategoryFactory(code="market", name="农贸市场")
    standard = StandardFactory(kind="sanitary_city")
    items = [
        CheckItemFactory(standard=standard, title="垃圾未密闭", points=2, site_categories=[market]),
        CheckItemFactory(standard=standard, title="无防鼠设施", points=None, site_categories=[market]),
        CheckItemFactory(
            standard=standard, title="活禽宰杀", points=1, is_negative_list=True, site_categories=[market]
        ),
    ]
    SamplingQuotaFactory(standard=standard, category=market, min_samples_small=4, min_samples_medium=6)
    Standard.objects.filter(pk=standard.pk).update(status=StandardStatus.PUBLISHED)
    sites = [SiteFactory(category=market, unit=east if n % 2 else west) for n in range(6)]
    cases = [
        CaseFactory(site=sites[0], category=market, check_item=items[0], lead_unit=west, status=CaseStatus.RECTIFYING),
        CaseFactory(site=sites[1], category=market, check_item=items[0], lead_unit=east, status=CaseStatus.DISPATCHED),
        CaseFactory(site=sites[1], category=market, check_item=items[1], lead_unit=east, status=CaseStatus.RECTIFYING),
        CaseFactory(site=sites[2], category=market, check_item=items[0], lead_unit=west, status=CaseStatus.CLOSED),
    ]
    return {
        "root": root,
        "office": office,
        "east": east,
        "west": west,
        "market": market,
        "standard": standard,
        "items": items,
        "sites": sites,
        "cases": cases,
        "office_user": user_with_role(Role.OFFICE_STAFF, office),
        "leader": user_with_role(Role.LEADER, root),
        "unit_head": user_with_role(Role.UNIT_HEAD, east),
    }
