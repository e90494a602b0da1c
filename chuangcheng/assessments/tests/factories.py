import datetime
from decimal import Decimal

import factory

from chuangcheng.assessments.models import (
    AccountabilityRecord,
    Commendation,
    Decision,
    PeerGroup,
    Period,
    PeriodKind,
    Rule,
    RuleKind,
    Scheme,
    SchemeStatus,
)
from chuangcheng.org.tests.factories import UnitFactory


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    code = factory.Sequence(lambda n: f"KH{n:03d}")
    name = factory.Sequence(lambda n: f"测试考核办法{n}")
    base_score = Decimal(100)


class PublishedSchemeFactory(SchemeFactory):
    status = SchemeStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rule

    scheme = factory.SubFactory(SchemeFactory)
    kind = RuleKind.OPEN_CASE
    points = Decimal("0.5")


class PeerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeerGroup

    scheme = factory.SubFactory(SchemeFactory)
    name = factory.Sequence(lambda n: f"考核组{n}")


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Period

    scheme = factory.SubFactory(PublishedSchemeFactory)
    kind = PeriodKind.MONTHLY
    name = factory.Sequence(lambda n: f"2026年3月专项考核{n}")
    start = datetime.date(2026, 3, 1)
    end = datetime.date(2026, 3, 31)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    unit = factory.SubFactory(UnitFactory)
    kind = "punishment"
    title = "关于对某单位扣罚经费的决定"
    decided_on = datetime.date(2026, 4, 2)


class AccountabilityRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountabilityRecord

    unit = factory.SubFactory(UnitFactory)
    kind = "interview"
    reason = "考核排名末位"
    occurred_on = datetime.date(2026, 4, 3)
    person_name = "张三"


class CommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commendation

    unit = factory.SubFactory(UnitFactory)
    title = "创建工作先进集体"
    awarded_on = datetime.date(2026, 3, 10)
