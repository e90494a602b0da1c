from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.places.models import AreaLevel
from chuangcheng.places.tests.factories import AreaFactory
from chuangcheng.public import selectors
from chuangcheng.public.models import QuestionKind, SurveyResponse
from chuangcheng.public.services.surveys import (
    add_question,
    close_survey,
    create_survey,
    publish_survey,
    submit_response,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    survey = create_survey(actor=world["staff"], title="东城区群众满意度", area=world["east_area"])
    add_question(
        survey=survey,
        actor=world["staff"],
        kind=QuestionKind.SINGLE,
        text="您对环境卫生是否满意？",
        options="满意*\n基本满意*\n不满意",
        counts_for_satisfaction=True,
    )
    add_question(
        survey=survey, actor=world["staff"], kind=QuestionKind.RATING, text="打分", counts_for_satisfaction=True
    )
    add_question(
        survey=survey,
        actor=world["staff"],
        kind=QuestionKind.MULTIPLE,
        text="改进",
        options="甲\n乙\n丙",
        required=False,
    )
    add_question(survey=survey, actor=world["staff"], kind=QuestionKind.TEXT, text="建议", required=False)
    return publish_survey(survey=survey, actor=world["staff"])


def _answers(survey, choice="1", score=5):
    questions = list(survey.questions.all())
    return {questions[0].pk: choice, questions[1].pk: score, questions[2].pk: ["1", "3"], questions[3].pk: "很好"}


def test_create_survey_from_template_has_satisfaction_questions(world):
    survey = create_survey(actor=world["staff"], title="模板", with_template=True)
    kinds = [q.kind for q in survey.questions.all()]
    assert kinds == ["single", "single", "rating", "multiple", "text"]
    assert sum(q.counts_for_satisfaction for q in survey.questions.all()) == 3


def test_create_survey_by_unit_handler_not_permitted(world):
    with pytest.raises(NotPermitted):
        create_survey(actor=world["east_handler"], title="x")


def test_add_question_choice_needs_two_options_and_marked_satisfied(world):
    survey = create_survey(actor=world["staff"], title="x")
    with pytest.raises(DomainError):
        add_question(survey=survey, actor=world["staff"], kind="single", text="q", options="只有一个")
    with pytest.raises(DomainError):
        add_question(
            survey=survey, actor=world["staff"], kind="single", text="q", options="a\nb", counts_for_satisfaction=True
        )


def test_publish_empty_survey_refused_and_published_survey_frozen(world, survey):
    empty = create_survey(actor=world["staff"], title="空")
    with pytest.raises(DomainError):
        publish_survey(survey=empty, actor=world["staff"])
    with pytest.raises(Conflict):
        add_question(survey=survey, actor=world["staff"], kind="text", text="晚了")


def test_submit_response_counts_satisfaction(world, survey):
    response = submit_response(survey=survey, answers=_answers(survey, "3", 2), device_id="d1")
    assert (response.scored, response.satisfied) == (2, 0)
    submit_response(survey=survey, answers=_answers(survey, "2", 4), device_id="d2")
    figure = selectors.satisfaction()
    assert (figure.responses, figure.scored, figure.satisfied) == (2, 4, 2)
    assert figure.rate == 0.5 and figure.percent == 50.0


def test_submit_response_once_per_device(world, survey):
    submit_response(survey=survey, answers=_answers(survey), device_id="same")
    with pytest.raises(Conflict):
        submit_response(survey=survey, answers=_answers(survey), device_id="same")
    assert SurveyResponse.objects.count() == 1


def test_submit_response_once_per_phone_across_devices(world, survey):
    submit_response(survey=survey, answers=_answers(survey), device_id="a", phone="13800138000")
    with pytest.raises(Conflict) as error:
        submit_response(survey=survey, answers=_answers(survey), device_id="b", phone="+86 138-0013-8000")
    assert error.value.field == "phone"


def test_submit_response_missing_required_answer_refused(world, survey):
    answers = _answers(survey)
    answers.pop(survey.questions.first().pk)
    with pytest.raises(DomainError):
        submit_response(survey=survey, answers=answers, device_id="x")


def test_submit_response_to_closed_survey_refused(world, survey):
    close_survey(survey=survey, actor=world["staff"])
    with pytest.raises(Conflict):
        submit_response(survey=survey, answers=_answers(survey), device_id="x")


def test_answer_page_second_visit_same_browser_refused(world, survey):
    client = Client()
    url = reverse("public:survey_answer", args=[survey.token])
    assert client.get(url).status_code == 200
    questions = list(survey.questions.all())
    data = {f"q{questions[0].pk}": "1", f"q{questions[1].pk}": "5", f"q{questions[2].pk}": ["1"], "area": ""}
    assert client.post(url, data).status_code == 200
    again = client.post(url, data)
    assert again.status_code == 409 and "已提交" in again.context["error"]
    assert SurveyResponse.objects.count() == 1
    other_browser = Client()
    assert other_browser.post(url, data).status_code == 200
    assert SurveyResponse.objects.count() == 2


def test_answer_page_honeypot_refused(world, survey):
    url = reverse("public:survey_answer", args=[survey.token])
    assert Client().post(url, {"website": "x"}).status_code == 400
    assert not SurveyResponse.objects.exists()


def test_answer_page_tampered_device_cookie_is_ignored(world, survey):
    client = Client()
    client.cookies["cc_dev"] = "forged"
    url = reverse("public:survey_answer", args=[survey.token])
    questions = list(survey.questions.all())
    data = {f"q{questions[0].pk}": "1", f"q{questions[1].pk}": "5"}
    assert client.post(url, data).status_code == 200
    assert SurveyResponse.objects.get().device_hash != ""


def test_satisfaction_per_area_includes_sub_areas_and_since(world, survey):
    street = AreaFactory(code="A-EAST-1", name="东城一街道", level=AreaLevel.STREET, parent=world["east_area"])
    submit_response(survey=survey, answers=_answers(survey, "1", 5), area=street, device_id="a")
    submit_response(survey=survey, answers=_answers(survey, "3", 1), area=world["west_area"], device_id="b")
    east = selectors.satisfaction(area=world["east_area"])
    assert (east.responses, east.percent) == (1, 100.0)
    assert selectors.satisfaction(area=world["west_area"]).percent == 0.0
    assert selectors.satisfaction(since=timezone.now() + timedelta(days=1)).rate is None
    rows = selectors.satisfaction_by_area_month()
    assert {row["area"] for row in rows} == {"东城一街道", "西城区"}
    assert all(row["month"] == timezone.now().strftime("%Y-%m") for row in rows)


def test_survey_qr_code_svg_and_png(world, survey):
    client = Client()
    client.force_login(world["staff"])
    svg = client.get(reverse("public:survey_qr", args=[survey.pk]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client.get(reverse("public:survey_qr", args=[survey.pk]), {"format": "png"})
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    public = Client().get(reverse("public:survey_qr_public", args=[survey.token]))
    assert public.status_code == 200


def test_survey_detail_page_shows_link_and_results(world, survey):
    submit_response(survey=survey, answers=_answers(survey), device_id="a", area=world["east_area"])
    client = Client()
    client.force_login(world["staff"])
    response = client.get(reverse("public:survey_detail", args=[survey.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert survey.token in body and "100.0%" in body
    assert Client().get(reverse("public:survey_detail", args=[survey.pk])).status_code == 302


def test_survey_builder_page_adds_question_and_publishes(world):
    client = Client()
    client.force_login(world["staff"])
    created = client.post(reverse("public:survey_create"), {"title": "新问卷", "ask_area": "on"})
    assert created.status_code == 302
    url = created["Location"]
    client.post(
        url,
        {"action": "add_question", "kind": "rating", "text": "打分", "scale": 5, "satisfied_from": 4, "required": "on"},
    )
    client.post(url, {"action": "publish"})
    from chuangcheng.public.models import Survey

    survey = Survey.objects.get(title="新问卷")
    assert survey.status == "published" and survey.questions.count() == 1


def test_satisfaction_api_for_office(world, survey):
    submit_response(survey=survey, answers=_answers(survey), device_id="a", area=world["east_area"])
    client = APIClient()
    client.force_authenticate(world["staff"])
    response = client.get("/api/v1/public/surveys/satisfaction/", {"area": world["east_area"].pk})
    assert response.status_code == 200 and response.json()["rate"] == 1.0
    results = client.get(f"/api/v1/public/surveys/{survey.pk}/results/").json()
    assert results["responses"] == 1 and results["by_area_month"][0]["area"] == "东城区"
