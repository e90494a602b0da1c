import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.volunteers.identity import id_hash, mask_id, with_check_character
from chuangcheng.volunteers.models import (
    Activity,
    ActivityKind,
    Participation,
    Post,
    PostKind,
    PostShift,
    Team,
    Volunteer,
)


def id_number(serial: int, born: str = "19900101", region: str = "340602") -> str:
    """A well-formed 18-character ID number (check character computed) for tests and the demo."""
    return with_check_character(f"{region}{born}{serial % 1000:03d}")


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer
        exclude = ("number",)

    number = factory.Sequence(lambda n: id_number(n, born=f"19{70 + n // 1000 % 30:02d}0101"))
    name = factory.Sequence(lambda n: f"志愿者{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    id_masked = factory.LazyAttribute(lambda o: mask_id(o.number))
    id_hash = factory.LazyAttribute(lambda o: id_hash(o.number))
    unit = factory.SubFactory(UnitFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"志愿服务队{n}")
    unit = factory.SubFactory(UnitFactory)


def _start():
    return timezone.make_aware(datetime.datetime(2026, 5, 9, 8, 0))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"文明劝导活动{n}")
    kind = ActivityKind.PERSUASION
    unit = factory.SubFactory(UnitFactory)
    starts_at = factory.LazyFunction(_start)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    hours_cap = Decimal("3.0")
    code = factory.Sequence(lambda n: f"{200000 + n}")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    activity = factory.SubFactory(ActivityFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    signed_up_at = factory.LazyAttribute(lambda o: o.activity.starts_at - datetime.timedelta(days=1))


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    name = factory.Sequence(lambda n: f"文明交通岗{n}")
    kind = PostKind.TRAFFIC
    unit = factory.SubFactory(UnitFactory)
    location = "人民路与淮海路交叉口"


class PostShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostShift

    post = factory.SubFactory(PostFactory)
    weekdays = "1234567"
    start_time = datetime.time(7, 0)
    end_time = datetime.time(9, 0)
    headcount = 2
