"""窗口行业 services: reference data, window units, commitments, 行风评议 results and the ranking."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangcheng.audit.models import AuditEvent
from chuangcheng.civility import selectors, services
from chuangcheng.civility.models import Rating
from chuangcheng.civility.ranking import competition_ranks
from chuangcheng.civility.tests.factories import (
    RatingFactory,
    RatingPeriodFactory,
    WindowIndustryFactory,
    WindowUnitFactory,
)
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.dossiers.demo_files import pdf_bytes

pytestmark = pytest.mark.django_db


def test_industries_are_reference_data_of_the_root_office(world):
    industry = services.save_industry(actor=world["admin"], name="供水", is_sample=True)
    assert industry.is_sample
    with pytest.raises(DomainError, match="已存在"):
        services.save_industry(actor=world["admin"], name="供水")
    industry = services.save_industry(actor=world["admin"], industry=industry, name="供水服务", sort_order=5)
    assert AuditEvent.objects.get(verb="civility.industry_updated").changes["name"] == ["供水", "供水服务"]
    with pytest.raises(NotPermitted):
        services.save_industry(actor=world["east_head"], name="银行")


def test_window_unit_and_commitment(world):
    industry = WindowIndustryFactory(name="银行")
    window = services.create_window_unit(actor=world["admin"], industry=industry, name="某支行", unit=world["east"])
    with pytest.raises(DomainError, match="已有窗口单位"):
        services.create_window_unit(actor=world["admin"], industry=industry, name="某支行", unit=world["east"])
    commitment = services.add_commitment(
        actor=world["east_head"], window_unit=window, content="限时办结", published_where="大厅公示栏",
        published_on=date(2026, 3, 1),
    )  # fmt: skip
    assert commitment.created_by == world["east_head"]
    with pytest.raises(DomainError) as error:
        services.add_commitment(
            actor=world["admin"], window_unit=window, content="x", published_where=" ", published_on=date(2026, 3, 1)
        )
    assert error.value.field == "published_where"
    with pytest.raises(NotPermitted):
        services.add_commitment(
            actor=world["west_head"],
            window_unit=window,
            content="x",
            published_where="y",
            published_on=date(2026, 3, 1),
        )


def test_period_dates_in_order(world):
    with pytest.raises(DomainError) as error:
        services.create_period(
            actor=world["admin"], name="一季度", starts_on=date(2026, 3, 1), ends_on=date(2026, 1, 1)
        )
    assert error.value.field == "ends_on"


def test_rating_with_file_and_its_refusals(world):
    window, period = WindowUnitFactory(unit=world["east"]), RatingPeriodFactory()
    file = SimpleUploadedFile("通报.pdf", pdf_bytes("通报", ["x"]), content_type="application/pdf")
    rating = services.record_rating(
        actor=world["admin"], window_unit=window, period=period, source="undercover", score="91.456", file=file
    )
    assert rating.score == Decimal("91.46") and rating.file_name == "通报.pdf"
    with pytest.raises(DomainError, match="已有“暗访”评议结果"):
        services.record_rating(actor=world["admin"], window_unit=window, period=period, source="undercover", score=80)
    for score in (101, -1, "九十"):
        with pytest.raises(DomainError) as error:
            services.record_rating(
                actor=world["admin"], window_unit=window, period=period, source="hotline", score=score
            )
        assert error.value.field == "score"
    fake = SimpleUploadedFile("通报.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(DomainError) as error:
        services.record_rating(
            actor=world["admin"], window_unit=window, period=period, source="hotline", score=80, file=fake
        )
    assert error.value.field == "file"
    with pytest.raises(NotPermitted):
        services.record_rating(actor=world["east_head"], window_unit=window, period=period, source="hotline", score=80)
    assert Rating.objects.count() == 1


def test_competition_ranks_share_places_and_skip():
    assert competition_ranks([(1, Decimal("90")), (2, Decimal("95")), (3, Decimal("90")), (4, Decimal("80"))]) == {
        2: 1, 1: 2, 3: 2, 4: 4,
    }  # fmt: skip
    assert competition_ranks([]) == {}


def test_period_ranking_gives_a_unit_its_true_place_among_all(world):
    period = RatingPeriodFactory()
    east = WindowUnitFactory(unit=world["east"], name="东城营业厅")
    west = WindowUnitFactory(unit=world["west"], name="西城营业厅")
    RatingFactory(window_unit=east, period=period, score=85)
    RatingFactory(window_unit=west, period=period, score=95)
    RatingFactory(window_unit=west, period=period, source="hotline", score=70)
    office = selectors.period_ranking(world["admin"], period)
    assert [(label, [(r.rating.window_unit.name, r.rank, r.of) for r in rows]) for label, rows in office] == [
        ("暗访", [("西城营业厅", 1, 2), ("东城营业厅", 2, 2)]),
        ("12345 满意度", [("西城营业厅", 1, 1)]),
    ]
    east_view = selectors.period_ranking(world["east_head"], period)
    assert [(label, [(r.rating.window_unit.name, r.rank) for r in rows]) for label, rows in east_view] == [
        ("暗访", [("东城营业厅", 2)])
    ]
