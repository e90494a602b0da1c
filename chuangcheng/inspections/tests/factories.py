import uuid
from datetime import date

import factory

from chuangcheng.inspections.models import (
    Finding,
    FindingResult,
    InspectionRound,
    Observation,
    RoundKind,
    SiteVisit,
    VisitStatus,
)
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


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    visit = factory.SubFactory(VisitFactory)
    check_item = factory.SubFactory("chuangcheng.standards.tests.factories.CheckItemFactory", judgement="observe")
    seq = factory.Sequence(lambda n: n % 5 + 1)
    passed = True
    client_uuid = factory.LazyFunction(uuid.uuid4)


def civilized_standard(categories, *, published=True):
    """An observation-scored 创文 standard: two 测评项目, three 测评内容, observe items over ``categories``
    (one with 分值 待核实), a 负面清单 deduction and a 负面清单 veto; plus one deduction-form item."""
    from decimal import Decimal

    from chuangcheng.standards.models import ClauseLevel, StandardKind, StandardStatus
    from chuangcheng.standards.tests.factories import CheckItemFactory, ClauseFactory, StandardFactory

    standard = StandardFactory(
        kind=StandardKind.CIVILIZED_CITY,
        code="CIV-TEST",
        status=StandardStatus.PUBLISHED if published else StandardStatus.DRAFT,
    )
    env = ClauseFactory(standard=standard, level=ClauseLevel.SECTION, number="A", title="公共环境")
    order = ClauseFactory(standard=standard, level=ClauseLevel.SECTION, number="B", title="公共秩序")
    clean = ClauseFactory(standard=standard, parent=env, section=env, number="A1", title="环境卫生")
    ads = ClauseFactory(standard=standard, parent=env, section=env, number="A2", title="公益广告")
    traffic = ClauseFactory(standard=standard, parent=order, section=order, number="B1", title="交通秩序")
    everywhere = list(categories)

    def item(code, clause, title, full, n=3, cats=everywhere, **extra):
        return CheckItemFactory(
            standard=standard,
            clause=clause,
            code=code,
            title=title,
            judgement="observe",
            full_points=None if full is None else Decimal(full),
            observations=n,
            points=extra.pop("points", None),
            site_categories=cats,
            **extra,
        )

    return standard, {
        "clean": item("O1", clean, "路面整洁无垃圾", "4"),
        "ads": item("O2", ads, "公益广告规范设置", "2", n=2),
        "unknown": item("O3", ads, "核心价值观宣传", None, n=1),
        "traffic": item("O4", traffic, "机动车礼让行人", "3", n=2, cats=everywhere[:1]),
        "negative": item("N1", traffic, "发生严重交通违法聚集", None, n=1, is_negative_list=True, points=Decimal("1")),
        "veto": item("N2", traffic, "发生恶性事件", None, n=1, is_negative_list=True, is_veto=True),
        "deduct": CheckItemFactory(
            standard=standard,
            clause=clean,
            code="D1",
            title="乱贴乱画",
            points=Decimal("1"),
            site_categories=everywhere,
        ),
    }
