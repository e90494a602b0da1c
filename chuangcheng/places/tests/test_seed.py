import pytest
from django.core.management import call_command

from chuangcheng.accounts.demo import DEMO_MEMBERSHIPS, DEMO_USERS
from chuangcheng.accounts.models import Membership, User
from chuangcheng.audit.models import AuditEvent
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.places import lookup
from chuangcheng.places.demo.layout import Block, plan_city, split_block
from chuangcheng.places.models import Area, AreaLevel, Site

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Unit.objects.count(),
        Area.objects.count(),
        Site.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
        sorted(Site.objects.values_list("code", "lng", "lat", "area__code"))[:50],
    )


def test_seed_demo_builds_the_city_and_second_run_changes_nothing(capsys):
    call_command("seed_demo")
    first = snapshot()
    levels = {level: Area.objects.filter(level=level).count() for level in AreaLevel.values}
    assert levels == {1: 1, 2: 4, 3: 30, 4: 200, 5: 2000}
    assert Site.objects.count() == 3000
    assert not Site.objects.filter(area=None).exists()
    assert not Site.objects.filter(unit=None).exists() and not Site.objects.filter(department=None).exists()
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() == 25
    assert Unit.objects.filter(code="OFFICE-INSP", parent__code="OFFICE").exists()
    for username, (role, unit_code) in DEMO_MEMBERSHIPS.items():
        assert Membership.objects.filter(user__username=username, role=role, unit__code=unit_code).exists()
    assert User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).count() == len(DEMO_USERS)
    assert AuditEvent.objects.filter(verb="places.demo_seeded").count() == 1
    # every grid is owned by its community's unit, every site by its grid's unit
    grid = Area.objects.filter(level=AreaLevel.GRID).select_related("unit", "parent").first()
    assert grid.unit.code == grid.parent.code
    site = Site.objects.select_related("area", "unit").first()
    assert site.unit_id == site.area.unit_id
    assert [a.code for a in lookup.locate(site.lng, site.lat)][0] == site.area.code
    call_command("seed_demo")
    assert snapshot() == first
    assert "新增单位 0 个" in capsys.readouterr().out.splitlines()[-1]


def test_plan_is_deterministic_and_tiles_the_city():
    first, second = plan_city(1), plan_city(1)
    assert [g.geometry.wkt for g in first.grids[:20]] == [g.geometry.wkt for g in second.grids[:20]]
    city = first.areas[0].geometry
    total = sum(grid.geometry.area for grid in first.grids)
    assert total == pytest.approx(city.area, rel=1e-9)
    assert all(area.geometry.is_valid for area in first.areas)


def test_split_block_covers_the_block_exactly():
    block = Block(0, 0, 25, 20)
    for k in (1, 6, 7, 8, 30):
        parts = split_block(block, k)
        assert len(parts) == k
        assert sum(p.width * p.height for p in parts) == 500
        cells = [cell for p in parts for cell in p.cells()]
        assert len(set(cells)) == 500
