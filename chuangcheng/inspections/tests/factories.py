import uuid
from datetime import date

import factory

from chuangcheng.inspections.models import Finding, FindingResult, InspectionRound, RoundKind, SiteVisit, VisitStatus
from chuangcheng.org.tests.factories import UnitFactory


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionRound

    name = factory.Sequence(lambda n: f"第{n}轮督查")
    kind = RoundKind.OPEN
    unit = factory.SubFactory(UnitFactory)
    period_start = date(2026, 11, 1)
    period_end = date(2026, 11, 30)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteVisit

    round = factory.SubFactory(RoundFactory)
    site = factory.SubFactory("chuangcheng.places.tests.factories.SiteFactory")
    category = factory.SelfAttribute("site.category")
    area = factory.SelfAttribute("site.area")
    unit = factory.SelfAttribute("site.unit")
    status = VisitStatus.ASSIGNED


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    visit = factory.SubFactory(VisitFactory)
    check_item = factory.SubFactory("chuangcheng.standards.tests.factories.CheckItemFactory")
    result = FindingResult.DEDUCT
    count = 1
    points = factory.SelfAttribute("check_item.points")
    client_uuid = factory.LazyFunction(uuid.uuid4)
