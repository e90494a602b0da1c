"""``selectors.observation_rates``: per 测评标准 (passed, observed) for other domains (the 创文 forecast)."""

from datetime import UTC, datetime

import pytest

from chuangcheng.core.testing import assert_max_queries
from chuangcheng.inspections import selectors
from chuangcheng.inspections.models import VisitStatus
from chuangcheng.inspections.tests.factories import ObservationFactory, RoundFactory, VisitFactory, civilized_standard

pytestmark = pytest.mark.django_db

DONE_AT = datetime(2026, 11, 5, tzinfo=UTC)


def _observe(round_, item, results, site=None):
    extra = {"site": site} if site else {}
    visit = VisitFactory(round=round_, status=VisitStatus.DONE, submitted_at=DONE_AT, **extra)
    for seq, passed in enumerate(results, start=1):
        ObservationFactory(visit=visit, check_item=item, seq=seq, passed=passed)
    return visit


def test_rates_count_passed_over_observed_leaving_out_not_applicable(world):
    standard, items = civilized_standard(world.categories.values())
    round_ = RoundFactory(kind="mock", standard=standard)
    _observe(round_, items["clean"], [True, False, None])
    _observe(round_, items["clean"], [True, True, True])
    _observe(round_, items["ads"], [False, False])
    with assert_max_queries(1):
        rates = selectors.observation_rates(standard=standard)
    assert rates == {items["clean"].pk: (4, 5), items["ads"].pk: (0, 2)}


def test_rates_leave_out_unsubmitted_visits_and_unpublished_secret_rounds(world):
    standard, items = civilized_standard(world.categories.values())
    secret = RoundFactory(kind="mock", standard=standard, is_secret=True)
    _observe(secret, items["clean"], [False, False, False])
    pending = VisitFactory(round=RoundFactory(kind="mock", standard=standard), status=VisitStatus.ASSIGNED)
    ObservationFactory(visit=pending, check_item=items["clean"], seq=1, passed=False)
    assert selectors.observation_rates(standard=standard) == {}
    secret.published_at = DONE_AT
    secret.save()
    assert selectors.observation_rates(standard=standard) == {items["clean"].pk: (0, 3)}


def test_rates_limited_to_given_rounds(world):
    standard, items = civilized_standard(world.categories.values())
    first, second = RoundFactory(kind="mock", standard=standard), RoundFactory(kind="mock", standard=standard)
    _observe(first, items["clean"], [True, True, True])
    _observe(second, items["clean"], [False, True, False])
    assert selectors.observation_rates(standard=standard, rounds=[second]) == {items["clean"].pk: (1, 3)}
    assert selectors.observation_rates(standard=standard, rounds=[first.pk, second.pk]) == {items["clean"].pk: (4, 6)}
    assert selectors.observation_rates(standard=standard, rounds=[]) == {}
