import factory

from chuangcheng.programs.models import Campaign, CampaignStatus
from chuangcheng.programs.titles import Title


class CampaignFactory(factory.django.DjangoModelFactory):
    """A running 国家卫生城市 campaign of a city unit; pass ``unit`` and ``title`` for other levels."""

    class Meta:
        model = Campaign

    code = factory.Sequence(lambda n: f"CMP{n:04d}")
    name = factory.Sequence(lambda n: f"测试创建活动{n}")
    unit = factory.SubFactory("chuangcheng.org.tests.factories.UnitFactory", kind="city")
    title = Title.NATIONAL_SANITARY_CITY
    standard = factory.SubFactory("chuangcheng.standards.tests.factories.StandardFactory")
    status = CampaignStatus.ACTIVE
