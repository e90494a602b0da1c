import pytest
import shapely
from django.core.management import call_command
from shapely.geometry import shape

from chuangcheng.accounts.demo import DEMO_MEMBERSHIPS, DEMO_USERS
from chuangcheng.accounts.models import Membership, User
from chuangcheng.audit.models import AuditEvent
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.places import lookup
from chuangcheng.places.demo.layout import partition, plan_city
from chuangcheng.places.models import Area, AreaLevel, GeometrySource, Site

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


def test_seed_demo_builds_the_real_city_and_second_run_changes_nothing(capsys):
    call_command("seed_demo")
    first = snapshot()
    plan = plan_city(1)
    levels = {level: Area.objects.filter(level=level).count() for level in AreaLevel.values}
    assert levels == {1: 1, 2: 4, 3: 37, 4: 452, 5: len(plan.grids)}
    assert 1900 <= len(plan.grids) <= 2200
    assert Site.objects.count() == 3000
    assert not Site.objects.filter(area=None).exists()
    assert not Site.objects.filter(unit=None).exists() and not Site.objects.filter(department=None).exists()
    assert Unit.objects.filter(kind=UnitKind.DEPARTMENT).count() == 25
    assert Unit.objects.filter(code="OFFICE-INSP", parent__code="OFFICE").exists()
    # the demo's stable codes carry the official division codes and names
    assert Unit.objects.get(code="CITY").division_code == "340600"
    assert Unit.objects.get(code="D01").name == "相山区" and Unit.objects.get(code="D01").division_code == "340603"
    assert Unit.objects.get(code="D01-S01").division_code == "340603001"
    assert len(Unit.objects.get(code="D01-S01-C01").division_code) == 12
    # official shapes for the city and counties, demo shapes (演示) below
    assert set(Area.objects.filter(level__lte=2).values_list("geometry_source", flat=True)) == {GeometrySource.PACKAGE}
    assert set(Area.objects.filter(level__gte=3).values_list("geometry_source", flat=True)) == {GeometrySource.DEMO}
    for username, (role, unit_code) in DEMO_MEMBERSHIPS.items():
        assert Membership.objects.filter(user__username=username, role=role, unit__code=unit_code).exists()
    assert User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).count() == len(DEMO_USERS)
    assert AuditEvent.objects.filter(verb="places.demo_seeded").count() == 1
    assert AuditEvent.objects.filter(verb="places.divisions_loaded").count() == 1
    grid = Area.objects.filter(level=AreaLevel.GRID).select_related("unit", "parent").first()
    assert grid.unit.code == grid.parent.code
    call_command("seed_demo")
    assert snapshot() == first
    assert "新增单位 0 个" in capsys.readouterr().out.splitlines()[-1]


def test_every_demo_site_lies_inside_its_area_and_the_lookup_finds_it():
    call_command("seed_demo")
    areas = {a.pk: shape(a.geometry) for a in Area.objects.filter(level=AreaLevel.GRID)}
    sites = list(Site.objects.values_list("lng", "lat", "area_id", "unit_id", "area__unit_id"))
    for lng, lat, area_id, unit_id, area_unit_id in sites:
        assert shapely.intersects_xy(areas[area_id], lng, lat)
        assert unit_id == area_unit_id
    sample = Site.objects.order_by("code")[:20]
    for site in sample:
        assert lookup.locate(site.lng, site.lat)[0].pk == site.area_id


def test_generated_areas_tile_their_parent_without_gaps_or_overlaps():
    plan = plan_city(1)
    shapes = {area.code: area.geometry for area in plan.areas}
    children: dict[str, list] = {}
    for area in [*plan.areas[1:], *plan.grids]:
        if area.generated:
            children.setdefault(area.parent_code, []).append(area.geometry)
    assert len(children) == 4 + 37 - sum(1 for a in plan.areas if a.level == 3 and a.code not in children) + 452
    for parent_code, parts in children.items():
        parent = shapes[parent_code]
        assert sum(p.area for p in parts) == pytest.approx(parent.area, rel=1e-9)
        assert shapely.union_all(parts).symmetric_difference(parent).area <= parent.area * 1e-9
        assert all(part.is_valid and not part.is_empty for part in parts)


def test_partition_is_deterministic_and_exact():
    import random

    square = shapely.box(0, 0, 1, 1).difference(shapely.box(0.4, 0.4, 0.6, 1))  # concave
    first = partition(square, 7, random.Random(1))
    second = partition(square, 7, random.Random(1))
    assert [p.wkt for p in first] == [p.wkt for p in second]
    assert sum(p.area for p in first) == pytest.approx(square.area, rel=1e-12)
