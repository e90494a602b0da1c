import pytest

from chuangcheng.core.errors import DomainError
from chuangcheng.places.tests.factories import SiteCategoryFactory
from chuangcheng.standards.models import StandardKind, StandardStatus
from chuangcheng.standards.selectors import check_items_for_category, current_standard
from chuangcheng.standards.tests.factories import (
    CheckItemFactory,
    ClauseFactory,
    IndicatorFactory,
    MaterialRequirementFactory,
    StandardFactory,
)

pytestmark = pytest.mark.django_db


def test_current_standard_with_two_published_returns_latest():
    StandardFactory(kind=StandardKind.SANITARY_CITY, status=StandardStatus.PUBLISHED, effective_date="2015-01-01")
    newest = StandardFactory(
        kind=StandardKind.SANITARY_CITY, status=StandardStatus.PUBLISHED, effective_date="2021-12-03"
    )
    StandardFactory(kind=StandardKind.SANITARY_CITY, status=StandardStatus.DRAFT, effective_date="2030-01-01")
    assert current_standard(StandardKind.SANITARY_CITY) == newest
    assert current_standard(StandardKind.CIVILIZED_CITY) is None


def test_factories_build_a_tree_with_category_link():
    category = SiteCategoryFactory()
    item = CheckItemFactory(site_categories=[category])
    IndicatorFactory(standard=item.standard)
    MaterialRequirementFactory(standard=item.standard, clause=item.clause)
    assert item.clause.standard == item.standard
    assert list(check_items_for_category(item.standard, category)) == [item]


def test_save_clause_of_published_standard_raises():
    clause = ClauseFactory()
    standard = clause.standard
    standard.status = StandardStatus.PUBLISHED
    standard.save()
    clause.title = "改"
    with pytest.raises(DomainError):
        clause.save()
    standard.name = "改"
    with pytest.raises(DomainError):
        standard.save()
