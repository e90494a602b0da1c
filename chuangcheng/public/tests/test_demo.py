import pytest

from chuangcheng.places.demo.seed import seed_demo_city
from chuangcheng.public import selectors
from chuangcheng.public.demo import seed_public_demo
from chuangcheng.public.models import Report, SurveyResponse

pytestmark = pytest.mark.django_db


def test_seed_public_demo_is_idempotent_and_fills_board(client):
    seed_demo_city(actor=None, scale=1)
    seed_public_demo()
    assert SurveyResponse.objects.count() == 40
    assert selectors.public_reports().count() == 4 and Report.objects.count() == 6
    assert selectors.satisfaction().rate is not None
    assert seed_public_demo().startswith("已有")
    assert Report.objects.count() == 6
    assert len(client.get("/open311/v2/requests.json").json()) == 4
