"""Indicators (知晓率, 支持率, ...) with Wilson intervals, and answers outside the scale."""

import pytest

from chuangcheng.core.errors import DomainError
from chuangcheng.public.indicators import indicator_results, wilson_interval
from chuangcheng.public.models import Answer, Indicator, QuestionKind, Survey, SurveyResponse
from chuangcheng.public.selectors import satisfaction
from chuangcheng.public.services.surveys import add_question, create_survey, publish_survey, submit_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    survey = create_survey(actor=world["staff"], title="创文知晓率调查", area=world["east_area"])
    add_question(
        survey=survey,
        actor=world["staff"],
        kind=QuestionKind.SINGLE,
        text="您是否知道本市正在创建全国文明城市？",
        options="知道*\n不知道",
        indicator=Indicator.AWARENESS,
    )
    add_question(
        survey=survey,
        actor=world["staff"],
        kind=QuestionKind.RATING,
        text="您对创建工作的支持程度",
        indicator=Indicator.SUPPORT,
        scale=5,
        satisfied_from=4,
    )
    add_question(
        survey=survey,
        actor=world["staff"],
        kind=QuestionKind.SINGLE,
        text="您对环境是否满意？",
        options="满意*\n不满意",
        counts_for_satisfaction=True,
    )
    return publish_survey(survey=survey, actor=world["staff"])


def _submit(survey, aware, support, satisfied="1", **kwargs):
    q = list(survey.questions.all())
    return submit_response(survey=survey, answers={q[0].pk: aware, q[1].pk: support, q[2].pk: satisfied}, **kwargs)


def test_wilson_interval_matches_a_hand_computation():
    # 3 of 10, z = 1.96: p = 0.3, z²/n = 0.38415, centre = (0.3 + 0.19207) / 1.38415 = 0.35551,
    # half = 1.96 · √(0.021 + 0.0096037) / 1.38415 = 0.24772 → [0.1078, 0.6032]
    low, high = wilson_interval(3, 10)
    assert low == pytest.approx(0.1078, abs=1e-4)
    assert high == pytest.approx(0.6032, abs=1e-4)
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1.0) and low == pytest.approx(0.7225, abs=1e-4)


def test_indicator_results_per_indicator_area_and_month(survey, world):
    for aware in ("1", "1", "1", "2"):
        _submit(survey, aware, 5, area=world["east_area"])
    _submit(survey, "2", 2, area=world["west_area"])
    rows = indicator_results(surveys=Survey.objects.all())
    by_key = {(row.label, row.area): row for row in rows}
    east = by_key[("知晓率", "东城区")]
    assert (east.yes, east.scored, east.percent) == (3, 4, 75.0)
    assert east.interval == pytest.approx(wilson_interval(3, 4))
    assert by_key[("支持率", "东城区")].yes == 4
    assert by_key[("知晓率", "西城区")].yes == 0
    assert by_key[("满意率", "东城区")].scored == 4
    only = indicator_results(surveys=Survey.objects.all(), area=world["west_area"], indicator=Indicator.AWARENESS)
    assert [(row.area, row.yes, row.scored) for row in only] == [("西城区", 0, 1)]
    # satisfaction() keeps counting only the satisfaction questions
    assert (satisfaction().scored, satisfaction().satisfied) == (5, 5)


def test_indicator_results_one_query(survey, world, django_assert_max_num_queries):
    for _ in range(5):
        _submit(survey, "1", 4, area=world["east_area"])
    with django_assert_max_num_queries(1):
        rows = indicator_results(surveys=Survey.objects.all())
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("aware", "support", "message"),
    [
        ("9", 5, "“您是否知道本市正在创建全国文明城市？”的答案“9”不是本题的选项"),
        ("1", 7, "“您对创建工作的支持程度”的评分 7 超出分制，请选择 1-5 分"),
        ("1", 0, "“您对创建工作的支持程度”的评分 0 超出分制"),
        ("1", "很好", "“您对创建工作的支持程度”的评分“很好”不是整数"),
    ],
)
def test_answers_outside_the_scale_store_nothing(survey, aware, support, message):
    with pytest.raises(DomainError) as caught:
        _submit(survey, aware, support)
    assert message in caught.value.message
    assert SurveyResponse.objects.count() == 0 and Answer.objects.count() == 0


def test_custom_indicator_needs_a_name_and_marked_options(world):
    survey = create_survey(actor=world["staff"], title="自定义")
    with pytest.raises(DomainError, match="自定义指标须填写指标名称"):
        add_question(survey=survey, actor=world["staff"], kind="single", text="a", options="x*\ny", indicator="custom")
    with pytest.raises(DomainError, match="计入参与率的选择题须用"):
        add_question(
            survey=survey, actor=world["staff"], kind="single", text="a", options="x\ny", indicator="participation"
        )
    with pytest.raises(DomainError, match="文本题不能计入知晓率"):
        add_question(survey=survey, actor=world["staff"], kind="text", text="a", indicator="awareness")
    question = add_question(
        survey=survey,
        actor=world["staff"],
        kind="single",
        text="a",
        options="是*\n否",
        indicator="custom",
        indicator_name="志愿服务参与度",
    )
    assert question.indicator_label == "志愿服务参与度"
