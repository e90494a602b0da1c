import pytest

from chuangcheng.cases.demo import simulate_activity
from chuangcheng.places.demo.seed import seed_demo_city
from chuangcheng.public import selectors
from chuangcheng.public.demo import seed_public_demo
from chuangcheng.public.indicators import indicator_results
from chuangcheng.public.models import (
    CallbackTask,
    HandlingRating,
    PointsEntry,
    Praise,
    Report,
    Survey,
    SurveyQuota,
    SurveyResponse,
)

pytestmark = pytest.mark.django_db


def test_seed_public_demo_is_idempotent_and_fills_board(client):
    seed_demo_city(actor=None, scale=1)
    seed_public_demo()
    assert SurveyResponse.objects.filter(household_ref="").count() == 40
    assert SurveyQuota.objects.exists() and SurveyResponse.objects.exclude(household_ref="").exists()
    assert {row.label for row in indicator_results(surveys=Survey.objects.all())} >= {"知晓率", "支持率", "满意率"}
    assert selectors.public_reports().count() == 4 and Report.objects.count() == 6
    assert selectors.satisfaction().rate is not None
    assert seed_public_demo().startswith("已有")
    assert Report.objects.count() == 6
    assert len(client.get("/open311/v2/requests.json").json()) == 4


def test_demo_closes_two_reports_and_the_residents_answer_back():
    seed_demo_city(actor=None, scale=1)
    simulate_activity(days=2, per_day=3, seed=1)  # the demo's unit handlers, as bootstrap makes them first
    assert "办结并评价：2 条" in seed_public_demo()
    assert sorted(HandlingRating.objects.values_list("level", flat=True)) == ["satisfied", "unsatisfied"]
    assert CallbackTask.objects.count() == 1 and Praise.objects.count() == 2
    assert PointsEntry.objects.filter(points=10).count() == 4
