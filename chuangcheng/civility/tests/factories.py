from datetime import date

import factory

from chuangcheng.civility.models import (
    CivilizedUnit,
    HonourLevel,
    PointState,
    PublicityCheck,
    Rating,
    RatingPeriod,
    RatingSource,
    Review,
    ReviewResult,
    WindowIndustry,
    WindowUnit,
)
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import SiteCategoryFactory, SiteFactory


class CivilizedUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CivilizedUnit

    name = factory.Sequence(lambda n: f"文明单位{n}")
    unit = factory.SubFactory(UnitFactory)
    level = HonourLevel.MUNICIPAL
    year_awarded = 2023


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    civilized_unit = factory.SubFactory(CivilizedUnitFactory)
    year = 2025
    result = ReviewResult.PASSED
    reviewed_on = factory.LazyFunction(lambda: date(2025, 12, 1))


class WindowIndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WindowIndustry
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"行业{n}")


class WindowUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WindowUnit

    industry = factory.SubFactory(WindowIndustryFactory)
    name = factory.Sequence(lambda n: f"营业厅{n}")
    unit = factory.SubFactory(UnitFactory)


class RatingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatingPeriod

    name = factory.Sequence(lambda n: f"2026年第{n}期")
    starts_on = factory.LazyFunction(lambda: date(2026, 1, 1))
    ends_on = factory.LazyFunction(lambda: date(2026, 3, 31))


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    window_unit = factory.SubFactory(WindowUnitFactory)
    period = factory.SubFactory(RatingPeriodFactory)
    source = RatingSource.UNDERCOVER
    score = 90


def publicity_category(code: str = "values_board"):
    names = {"values_board": "核心价值观宣传栏", "public_service_ad": "公益广告"}
    return SiteCategoryFactory(code=code, name=names[code], group="civilized")


class PublicitySiteFactory(SiteFactory):
    category = factory.LazyFunction(publicity_category)


class PublicityCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicityCheck

    site = factory.SubFactory(PublicitySiteFactory)
    checked_on = factory.LazyFunction(lambda: date(2026, 11, 1))
    state = PointState.INTACT
