import datetime

import factory

from chuangcheng.campaigns.models import (
    FrontagePledge,
    LeaderAssignment,
    Milestone,
    Plan,
    ProgressReport,
    ResponsibilityLetter,
    Task,
)
from chuangcheng.org.tests.factories import UnitFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"创建工作方案{n}")
    year = 2026
    unit = factory.SubFactory(UnitFactory)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"节点{n}")
    due_date = datetime.date(2026, 9, 1)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    title = factory.Sequence(lambda n: f"整治任务{n}")
    lead_unit = factory.SubFactory(UnitFactory)
    deadline = datetime.date(2026, 9, 30)


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    task = factory.SubFactory(TaskFactory)
    unit = factory.SelfAttribute("task.lead_unit")
    progress = 50
    note = "推进中"


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsibilityLetter

    unit = factory.SubFactory(UnitFactory)
    year = 2026
    title = "2026年度创建工作目标责任书"
    targets = ["背街小巷整治全覆盖", "农贸市场达标"]


class LeaderAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaderAssignment

    leader = factory.SubFactory("chuangcheng.accounts.tests.factories.UserFactory")
    unit = factory.SubFactory(UnitFactory)


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrontagePledge

    site = factory.SubFactory("chuangcheng.places.tests.factories.SiteFactory")
    party = factory.Sequence(lambda n: f"商户{n}")
    year = 2026
    signed_on = datetime.date(2026, 3, 1)
