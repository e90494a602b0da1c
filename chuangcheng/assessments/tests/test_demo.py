import pytest
from django.core.management import call_command

from chuangcheng.assessments.models import Period, PeriodStatus, Scheme
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_seed_assessments_demo_is_idempotent_and_marked_sample():
    UnitFactory(kind=UnitKind.DISTRICT, name="东城区")
    call_command("seed_assessments_demo")
    call_command("seed_assessments_demo")
    scheme = Scheme.objects.get()
    assert scheme.is_sample and scheme.is_published and all(rule.is_sample for rule in scheme.rules.all())
    period = Period.objects.get()
    assert period.status == PeriodStatus.PUBLISHED and len(period.content_hash) == 64
