import pytest

from chuangcheng.places import lookup
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory, square

pytestmark = pytest.mark.django_db


def polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(ring) for ring in rings]}


def ring(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


@pytest.fixture
def city():
    """A 2 × 1 city: community C1 (west) with grids G-B and G-A sharing a border, C2 east without grids."""
    root = AreaFactory(code="CITY", level=AreaLevel.CITY, geometry=polygon(ring(0, 0, 2, 1)))
    west = AreaFactory(code="C1", level=AreaLevel.COMMUNITY, parent=root, geometry=polygon(ring(0, 0, 1, 1)))
    east = AreaFactory(code="C2", level=AreaLevel.COMMUNITY, parent=root, geometry=polygon(ring(1, 0, 2, 1)))
    # G-B is created first (lower id) so the border rule cannot depend on ids.
    grid_b = AreaFactory(code="G-B", level=AreaLevel.GRID, parent=west, geometry=polygon(ring(0.5, 0, 1, 1)))
    grid_a = AreaFactory(
        code="G-A",
        level=AreaLevel.GRID,
        parent=west,
        geometry=polygon(ring(0, 0, 0.5, 1), ring(0.1, 0.1, 0.2, 0.2)),  # with a hole
    )
    lookup.invalidate_index()
    return {"city": root, "west": west, "east": east, "a": grid_a, "b": grid_b}


def codes(areas):
    return [area.code for area in areas]


def test_locate_inside_grid_returns_chain_up_to_city(city):
    assert codes(lookup.locate(0.7, 0.5)) == ["G-B", "C1", "CITY"]


def test_locate_on_shared_border_picks_lowest_code(city):
    assert codes(lookup.locate(0.5, 0.5)) == ["G-A", "C1", "CITY"]


def test_locate_on_border_between_communities_picks_lowest_code(city):
    # (1, 0.5) lies on G-B's east edge, so the grid level answers first.
    assert codes(lookup.locate(1.0, 0.5)) == ["G-B", "C1", "CITY"]


def test_locate_in_hole_falls_back_to_the_community(city):
    assert codes(lookup.locate(0.15, 0.15)) == ["C1", "CITY"]


def test_locate_in_community_without_grids_returns_community(city):
    assert codes(lookup.locate(1.5, 0.5)) == ["C2", "CITY"]


def test_locate_outside_city_returns_empty(city):
    assert lookup.locate(5, 5) == []
    assert lookup.locate_many([(5, 5)]) == [None]


def test_locate_multipolygon_matches_either_part(city):
    AreaFactory(
        code="G-M",
        level=AreaLevel.GRID,
        parent=city["east"],
        geometry={"type": "MultiPolygon", "coordinates": [[ring(1.1, 0.1, 1.2, 0.2)], [[*ring(1.8, 0.8, 1.9, 0.9)]]]},
    )
    lookup.invalidate_index()
    assert codes(lookup.locate(1.15, 0.15))[0] == "G-M"
    assert codes(lookup.locate(1.85, 0.85))[0] == "G-M"
    assert codes(lookup.locate(1.5, 0.5))[0] == "C2"


def test_locate_many_keeps_input_order_in_one_query(city, django_assert_max_num_queries):
    lookup.get_index()
    with django_assert_max_num_queries(1):
        found = lookup.locate_many([(0.7, 0.5), (9, 9), (0.2, 0.5), (1.5, 0.5)])
    assert [a.code if a else None for a in found] == ["G-B", None, "G-A", "C2"]


def test_index_is_rebuilt_after_invalidation(city):
    assert codes(lookup.locate(3, 0.5)) == []
    AreaFactory(code="C3", level=AreaLevel.COMMUNITY, geometry=square(2.5, 0, size=1))
    assert codes(lookup.locate(3, 0.5)) == []  # cached index still old
    lookup.invalidate_index()
    assert codes(lookup.locate(3, 0.5)) == ["C3"]


def test_index_is_cached_between_calls(city, django_assert_num_queries):
    lookup.get_index()
    with django_assert_num_queries(0):
        lookup.locate_ids([0.7], [0.5])


def test_locate_with_no_areas_returns_nothing():
    assert lookup.locate(1, 1) == []
    assert list(lookup.locate_ids([1, 2], [1, 2])) == [0, 0]
