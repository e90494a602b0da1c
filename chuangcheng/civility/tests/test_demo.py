"""The demo seed: every part present, marked 演示/示例, and a second run changes nothing."""

import pytest
from django.core.management import call_command

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import MembershipFactory, UserFactory
from chuangcheng.civility.models import CivilizedUnit, PublicityCheck, Rating, RatingPeriod, WindowIndustry, WindowUnit
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.models import SiteCategory
from chuangcheng.places.services.categories import SNAPSHOT, load_site_categories
from chuangcheng.places.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(db):
    import json

    load_site_categories(actor=None, facts=json.loads(SNAPSHOT.read_text(encoding="utf-8")))
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    UnitFactory(code="D01", name="相山区", kind=UnitKind.DISTRICT, parent=city)
    for code in ("DEPT-WJ", "DEPT-SW", "DEPT-ZW", "DEPT-JT", "DEPT-JY"):
        UnitFactory(code=code, name=f"部门{code}", kind=UnitKind.DEPARTMENT, parent=city)
    MembershipFactory(user=UserFactory(username="office"), unit=office, role=Role.OFFICE_ADMIN)
    road = SiteCategory.objects.get(code="main_road")
    for n in range(40):
        SiteFactory(code=f"P{n:06d}", category=road, lng=116.8 + n * 0.001, lat=33.95, address=f"演示路{n}号")


def test_seed_builds_every_part_and_is_idempotent(demo_world, capsys):
    call_command("seed_civility_demo")
    first = capsys.readouterr().out
    assert "文明单位" in first and "行风评议" in first and "宣传点位 8 个" in first
    assert CivilizedUnit.objects.filter(is_demo=True).count() == 5 + 15 - 0  # departments + outside organisations
    assert CivilizedUnit.objects.filter(status="warned").count() == 1
    assert all(h.reviews.count() == 1 for h in CivilizedUnit.objects.all())
    assert WindowIndustry.objects.filter(is_sample=True).count() == 6
    assert WindowUnit.objects.filter(is_demo=True).count() == 6  # two per industry whose department exists
    assert RatingPeriod.objects.count() == 2 and Rating.objects.count() == 6 * 2 * 2
    assert PublicityCheck.objects.count() == 16
    assert PublicityCheck.objects.exclude(case=None).count() <= 2
    counts = [m.objects.count() for m in (CivilizedUnit, WindowUnit, Rating, PublicityCheck)]
    call_command("seed_civility_demo")
    assert "跳过" in capsys.readouterr().out
    assert [m.objects.count() for m in (CivilizedUnit, WindowUnit, Rating, PublicityCheck)] == counts


def test_seed_skips_without_the_demo_city(db, capsys):
    call_command("seed_civility_demo")
    assert "跳过" in capsys.readouterr().out
    assert not CivilizedUnit.objects.exists()
