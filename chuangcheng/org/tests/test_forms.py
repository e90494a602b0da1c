import pytest

from chuangcheng.org.forms import UnitTreeChoiceField
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_unit_select_reads_as_a_tree():
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    district = UnitFactory(code="D01", name="东城区", kind=UnitKind.DISTRICT, parent=city)
    UnitFactory(code="D01-S1", name="第一街道", kind=UnitKind.STREET, parent=district)
    field = UnitTreeChoiceField(queryset=Unit.objects.order_by("path"))
    labels = [label for _value, label in field.choices][1:]
    assert labels == ["示范市", "\u3000东城区", "\u3000\u3000第一街道"]
