"""Historical finding rates: visits count even where they found nothing (hand-computed smoothed rates)."""

import pytest
from django.utils import timezone

from chuangcheng.inspections.models import VisitStatus
from chuangcheng.inspections.tests.factories import FindingFactory, RoundFactory, VisitFactory
from chuangcheng.readiness.history import history_for
from chuangcheng.readiness.inputs import Parameters, build_inputs

pytestmark = pytest.mark.django_db


def done_visits(sites, n, **round_kw):
    """``n`` done visits spread over ``sites`` (one visit per site and round)."""
    visits, round_ = [], None
    for index in range(n):
        if index % len(sites) == 0:
            round_ = RoundFactory(**round_kw)
        site = sites[index % len(sites)]
        visits.append(VisitFactory(round=round_, site=site, status=VisitStatus.DONE, submitted_at=timezone.now()))
    return visits


def market_rates(city):
    inputs = build_inputs(Parameters(standard_id=city["standard"].pk, band="medium", prior_alpha=0.5, prior_beta=49.5))
    (category,) = inputs.categories
    return dict(zip(category.item_ids.tolist(), category.rates.tolist(), strict=True)), inputs


def test_category_visited_without_findings_gets_the_smoothed_low_rate(city):
    done_visits(city["sites"], 50)
    history = history_for([city["market"].pk])
    assert history["visits"] == {city["market"].pk: 50}
    assert history["total_visits"] == 50 and history["findings"] == 0
    rates, inputs = market_rates(city)
    # Beta(0.5, 49.5) prior after 0 findings in 50 visits: 0.5 / (50 + 50) = 0.005, not the prior mean 0.01
    assert list(rates.values()) == pytest.approx([0.005] * 3)
    assert inputs.history["visits"][city["market"].pk] == 50


def test_items_without_findings_count_the_category_visits(city):
    visits = done_visits(city["sites"], 30)
    first, second = city["items"][0], city["items"][1]
    FindingFactory(visit=visits[0], check_item=first)
    FindingFactory(visit=visits[1], check_item=first)
    rates, _ = market_rates(city)
    assert rates[first.pk] == pytest.approx((2 + 0.5) / (30 + 50))
    assert rates[second.pk] == pytest.approx(0.5 / (30 + 50))


def test_visits_of_an_unpublished_secret_round_and_unfinished_visits_do_not_count(city):
    done_visits(city["sites"], 10, is_secret=True)
    done_visits(city["sites"], 5, is_secret=True, published_at=timezone.now())
    VisitFactory(site=city["sites"][1], category=city["market"], status=VisitStatus.ASSIGNED)
    assert history_for([city["market"].pk])["visits"] == {city["market"].pk: 5}
    rates, _ = market_rates(city)
    assert list(rates.values()) == pytest.approx([0.5 / (5 + 50)] * 3)


def test_no_visits_at_all_is_the_prior_mean(city):
    assert history_for([city["market"].pk])["visits"] == {}
    rates, _ = market_rates(city)
    assert list(rates.values()) == pytest.approx([0.01] * 3)
