"""入户 sampling: quotas (entered or by population), progress, the surveyor's phone page and API, permissions."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.public.indicators import quota_progress, wilson_interval
from chuangcheng.public.models import Answer, Indicator, QuestionKind, SurveyQuota, SurveyResponse
from chuangcheng.public.services.sampling import allocate_quotas, collect_response, set_quota
from chuangcheng.public.services.surveys import add_question, create_survey, publish_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    survey = create_survey(actor=world["staff"], title="入户调查", unit=world["east"], area=world["east_area"])
    add_question(
        survey=survey,
        actor=world["staff"],
        kind=QuestionKind.SINGLE,
        text="您是否知道创文？",
        options="知道*\n不知道",
        indicator=Indicator.AWARENESS,
    )
    add_question(
        survey=survey, actor=world["staff"], kind=QuestionKind.RATING, text="支持程度", indicator=Indicator.SUPPORT
    )
    return publish_survey(survey=survey, actor=world["staff"])


@pytest.fixture
def inspectors(world):
    return {
        "east": user_with_role(Role.INSPECTOR, world["east"]),
        "west": user_with_role(Role.INSPECTOR, world["west"]),
    }


def _answers(survey, aware="1", support=5):
    q = list(survey.questions.all())
    return {q[0].pk: aware, q[1].pk: support}


def api_client(user):
    client = APIClient()
    client.default_format = "json"
    if user is not None:
        client.force_authenticate(user)
    return client


def page_client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_quota_entered_and_progress_counts_households(survey, world, inspectors):
    set_quota(survey=survey, actor=world["staff"], area=world["east_area"], households=4)
    for ref in ("1-101", "1-102", "1-103"):
        collect_response(
            survey=survey,
            actor=inspectors["east"],
            area=world["east_area"],
            household_ref=ref,
            answers=_answers(survey),
        )
    [row] = quota_progress(survey)
    assert (row["households"], row["surveyed"], row["percent"]) == (4, 3, 75.0)
    assert SurveyResponse.objects.filter(surveyor=inspectors["east"]).count() == 3
    with pytest.raises(Conflict, match="户号“1-101”已在该区域登记过答卷"):
        collect_response(
            survey=survey,
            actor=inspectors["east"],
            area=world["east_area"],
            household_ref="1-101",
            answers=_answers(survey),
        )
    set_quota(survey=survey, actor=world["staff"], area=world["east_area"], households=0)
    assert quota_progress(survey) == []


def test_quotas_allocated_by_population_largest_remainder(survey, world):
    world["east_area"].population = 300_000
    world["west_area"].population = 100_000
    for area in (world["east_area"], world["west_area"]):
        area.save(update_fields=["population"])
    allocate_quotas(survey=survey, actor=world["staff"], areas=[world["east_area"], world["west_area"]], total=401)
    quotas = {q.area.name: (q.households, q.derived_from_population) for q in SurveyQuota.objects.all()}
    assert quotas == {"东城区": (301, True), "西城区": (100, True)}


def test_allocation_without_population_names_the_area_and_changes_nothing(survey, world):
    world["east_area"].population = 1000
    world["east_area"].save(update_fields=["population"])
    with pytest.raises(DomainError, match="区域“西城区”没有人口数据"):
        allocate_quotas(survey=survey, actor=world["staff"], areas=[world["east_area"], world["west_area"]], total=10)
    assert not SurveyQuota.objects.exists()


def test_quota_and_collection_permissions(survey, world):
    with pytest.raises(NotPermitted):
        set_quota(survey=survey, actor=world["east_handler"], area=world["east_area"], households=3)
    with pytest.raises(NotPermitted):
        collect_response(
            survey=survey,
            actor=world["east_handler"],
            area=world["east_area"],
            household_ref="x",
            answers=_answers(survey),
        )
    with pytest.raises(DomainError, match="请填写户号或门牌"):
        collect_response(
            survey=survey, actor=world["staff"], area=world["east_area"], household_ref=" ", answers=_answers(survey)
        )


def test_surveyor_page_saves_a_household_and_rejects_bad_input(survey, world, inspectors):
    set_quota(survey=survey, actor=world["staff"], area=world["east_area"], households=2)
    client = page_client(inspectors["east"])
    url = f"/public/surveys/{survey.pk}/collect/"
    q = list(survey.questions.all())
    page = client.get(url)
    assert page.status_code == 200 and "入户录入" in page.content.decode()
    bad = client.post(
        url, {"area": world["east_area"].pk, "household_ref": "2-1", f"q{q[0].pk}": "1", f"q{q[1].pk}": "9"}
    )
    assert bad.status_code in (400, 422)
    assert "“支持程度”的评分 9 超出分制" in bad.content.decode()
    assert not SurveyResponse.objects.exists() and not Answer.objects.exists()
    ok = client.post(
        url, {"area": world["east_area"].pk, "household_ref": "2-1", f"q{q[0].pk}": "1", f"q{q[1].pk}": "4"}
    )
    assert ok.status_code == 302
    assert "50.0%" in client.get(url).content.decode()
    assert page_client(inspectors["west"]).get(url).status_code == 404
    assert page_client(world["east_handler"]).get(url).status_code == 403


def test_api_respond_permission_matrix_and_bad_input(survey, world, inspectors):
    q = list(survey.questions.all())
    url = f"/api/v1/public/surveys/{survey.pk}/respond/"
    data = {"area": world["east_area"].pk, "household_ref": "3-1", "answers": {str(q[0].pk): "1", str(q[1].pk): 5}}
    assert_permission_matrix(
        api_client,
        url,
        method="post",
        data=data,
        in_scope=inspectors["east"],
        out_of_scope=inspectors["west"],
        no_role=world["nobody"],
    )
    bad = api_client(inspectors["east"]).post(
        url, {"area": world["east_area"].pk, "household_ref": "3-2", "answers": {str(q[0].pk): "7", str(q[1].pk): 5}}
    )
    assert bad.status_code in (400, 422)
    assert "“您是否知道创文？”的答案“7”不是本题的选项" in bad.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_indicator_page_api_and_export(survey, world, inspectors):
    for ref, aware in (("a", "1"), ("b", "1"), ("c", "2")):
        collect_response(
            survey=survey,
            actor=inspectors["east"],
            area=world["east_area"],
            household_ref=ref,
            answers=_answers(survey, aware=aware),
        )
    client = page_client(world["staff"])
    with assert_max_queries(12):
        page = client.get("/public/surveys/indicators/?indicator=awareness")
    text = page.content.decode()
    low, high = wilson_interval(2, 3)
    assert "知晓率" in text and "2/3" in text and "Wilson" in text
    assert f"{round(low * 100, 1)}% – {round(high * 100, 1)}%" in text
    export = client.get("/public/surveys/indicators/?format=xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    api = api_client(world["staff"]).get("/api/v1/public/surveys/indicators/?indicator=support").json()
    assert api["results"][0]["label"] == "支持率" and api["results"][0]["ci_low"] is not None
    assert api_client(world["staff"]).get("/api/v1/public/surveys/indicators/?indicator=x").status_code == 422
    assert page_client(world["east_handler"]).get("/public/surveys/indicators/").status_code == 403


def test_office_sets_quotas_on_the_survey_page(survey, world):
    client = page_client(world["staff"])
    response = client.post(
        f"/public/surveys/{survey.pk}/", {"action": "set_quota", "area": world["east_area"].pk, "households": 5}
    )
    assert response.status_code == 302
    assert SurveyQuota.objects.get().households == 5
    client.post(
        f"/public/surveys/{survey.pk}/", {"action": "set_quota", "area": world["east_area"].pk, "households": -1}
    )
    assert SurveyQuota.objects.get().households == 5


def test_collect_page_query_guard(survey, world, inspectors):
    set_quota(survey=survey, actor=world["staff"], area=world["east_area"], households=3)
    set_quota(survey=survey, actor=world["staff"], area=world["west_area"], households=3)
    client = page_client(inspectors["east"])
    client.get(f"/public/surveys/{survey.pk}/collect/")  # warm the session and scope caches
    with assert_max_queries(20):
        page = client.get(f"/public/surveys/{survey.pk}/collect/")
    assert page.status_code == 200 and "西城区" in page.content.decode()
