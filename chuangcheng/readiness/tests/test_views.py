import pytest
from django.test import Client
from django.urls import reverse

from chuangcheng.accounts.tests.factories import UserFactory
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.readiness import services
from chuangcheng.readiness.models import ForecastRun
from chuangcheng.readiness.tests.factories import InspectionWindowFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_readiness_page_access_by_role(city):
    url = reverse("readiness:index")
    assert client_for(None).get(url).status_code == 302
    assert client_for(UserFactory()).get(url).status_code == 403
    assert client_for(city["unit_head"]).get(url).status_code == 403
    assert client_for(city["leader"]).get(url).status_code == 200
    assert client_for(city["office_user"]).get(url).status_code == 200


def test_readiness_page_shows_method_history_and_chart(city):
    run = services.run_forecast(actor=city["office_user"], runs=300, seed=5)
    InspectionWindowFactory()
    client = client_for(city["leader"])
    with assert_max_queries(25):
        response = client.get(reverse("readiness:index"))
    html = response.content.decode()
    assert "方法说明" in html
    assert "尚无历史督查数据" in html
    assert f"预测 #{run.pk}" in html and "score-chart" in html and "示例" in html
    assert "国家卫生城市暗访" in html  # countdown card and header


def test_run_and_what_if_from_the_page(city):
    client = client_for(city["office_user"])
    response = client.post(
        reverse("readiness:run"),
        {"pass_line": 90, "full_score": 100, "runs": 500, "seed": 3, "prior_alpha": 1, "prior_beta": 19},
    )
    run = ForecastRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?run={run.pk}")
    page = client.get(response["Location"]).content.decode()
    assert city["cases"][0].number in page
    response = client.post(reverse("readiness:what_if", args=[run.pk]), {"case_ids": [city["cases"][0].pk]})
    what_if = ForecastRun.objects.exclude(pk=run.pk).get()
    assert what_if.baseline == run and what_if.seed == 3
    assert "与基准相比" in client.get(response["Location"]).content.decode()


def test_header_countdown_for_office_not_for_unit_head(city):
    InspectionWindowFactory(title="国家卫生城市暗访复审")
    home = reverse("accounts:home") + "?all=1"  # the home page itself, not the role's landing page
    assert "countdown-compact" in client_for(city["office_user"]).get(home).content.decode()
    assert "countdown-compact" not in client_for(city["unit_head"]).get(home).content.decode()


def test_window_pages_for_office(city):
    client = client_for(city["office_user"])
    response = client.post(
        reverse("readiness:window_create"),
        {
            "kind": "civilized_city",
            "title": "文明城市年度测评",
            "earliest": "2027-09-01",
            "latest": "2027-11-30",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert "文明城市年度测评" in client.get(reverse("readiness:window_list")).content.decode()
    assert client_for(city["leader"]).get(reverse("readiness:window_create")).status_code == 403
