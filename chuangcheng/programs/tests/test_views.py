import pytest
from django.test import Client

from chuangcheng.programs.models import Campaign, CampaignStatus
from chuangcheng.programs.tests.factories import CampaignFactory
from chuangcheng.programs.titles import Title

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_office_creates_edits_and_closes_a_campaign_through_the_pages(tree):
    client = login(tree["office_user"])
    assert client.get("/programs/new/").status_code == 200
    form = {
        "code": "D01-CW",
        "name": "东城区创建国家卫生县",
        "unit": tree["east"].pk,
        "title": Title.NATIONAL_SANITARY_COUNTY,
        "standard": tree["standard"].pk,
        "office_unit": tree["east_office"].pk,
        "status": CampaignStatus.ACTIVE,
    }
    response = client.post("/programs/new/", form)
    campaign = Campaign.objects.get(code="D01-CW")
    assert response.status_code == 302 and response["Location"] == f"/programs/{campaign.pk}/"
    page = client.get(f"/programs/{campaign.pk}/").content.decode()
    assert "东城区创建国家卫生县" in page and "东城区创卫办" in page
    response = client.post(f"/programs/{campaign.pk}/edit/", form | {"name": "东城区创卫", "code": "ignored"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "东城区创卫" and campaign.code == "D01-CW"
    client.post(f"/programs/{campaign.pk}/close/", {"ends_on": ""})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    assert "东城区创卫" in client.get("/programs/").content.decode()


def test_form_errors_are_chinese_and_name_the_field(tree):
    client = login(tree["office_user"])
    form = {
        "code": "X",
        "name": "错误的活动",
        "unit": tree["street"].pk,
        "title": Title.NATIONAL_SANITARY_CITY,
        "standard": "",
        "status": CampaignStatus.ACTIVE,
    }
    response = client.post("/programs/new/", form)
    assert response.status_code == 200
    assert "只适用于" in response.content.decode() or "评价标准" in response.content.decode()
    response = client.post("/programs/new/", form | {"title": Title.NATIONAL_SANITARY_TOWN})
    assert "创建活动必须选择评价标准" in response.content.decode()
    response = client.post(
        "/programs/new/",
        form | {"title": Title.NATIONAL_SANITARY_TOWN, "standard": tree["standard"].pk, "office_unit": tree["west"].pk},
    )
    assert "不在" in response.content.decode()
    assert not Campaign.objects.exists()


def test_unit_handler_sees_the_list_but_no_create_or_edit(tree):
    campaign = CampaignFactory(unit=tree["street"], title=Title.NATIONAL_SANITARY_TOWN)
    client = login(tree["handler"])
    page = client.get("/programs/").content.decode()
    assert campaign.name in page and "/programs/new/" not in page
    assert client.get("/programs/new/").status_code == 403
    assert client.get(f"/programs/{campaign.pk}/edit/").status_code == 403
    assert client.post(f"/programs/{campaign.pk}/close/").status_code == 403
    assert login(tree["west_handler"]).get(f"/programs/{campaign.pk}/edit/").status_code in (403, 404)


def test_owned_pages_show_the_campaign_or_the_units_running_one(tree):
    from chuangcheng.campaigns.tests.factories import PlanFactory
    from chuangcheng.inspections.tests.factories import RoundFactory

    county = CampaignFactory(unit=tree["east"], name="东城区创卫", title=Title.NATIONAL_SANITARY_COUNTY)
    client = login(tree["office_user"])
    round_ = RoundFactory(unit=tree["east"], campaign=county)
    assert "东城区创卫" in client.get(f"/inspections/{round_.pk}/").content.decode()
    plan = PlanFactory(unit=tree["street"])
    page = client.get(f"/campaigns/plans/{plan.pk}/").content.decode()
    assert "东城区创卫" in page and "按所属单位推定" in page
    orphan = PlanFactory(unit=tree["west"])
    assert "未归属创建活动" in client.get(f"/campaigns/plans/{orphan.pk}/").content.decode()
