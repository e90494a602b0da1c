import datetime

import factory

from chuangcheng.readiness.models import InspectionWindow, WindowKind


class InspectionWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionWindow

    kind = WindowKind.NATIONAL_UNDERCOVER
    title = "国家卫生城市暗访"
    earliest = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=45))
    latest = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=120))
