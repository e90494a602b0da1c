"""The two demo 模拟测评 rounds on CIV-DEMO: observations on about 20 points, Δ on the 得分率 page, cases once."""

import pytest
from django.core.management import call_command

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases.models import Case
from chuangcheng.inspections import evaluation
from chuangcheng.inspections.demo_mock import seed_demo_evaluation_rounds
from chuangcheng.inspections.models import InspectionRound, Observation, RoundStatus, VisitStatus
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.models import SiteCategory
from chuangcheng.places.tests.factories import AreaFactory, SiteFactory
from chuangcheng.standards.demo_evaluation import ensure_demo_evaluation_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city(db):
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    districts = [UnitFactory(code=f"D{n}", name=f"区{n}", kind=UnitKind.DISTRICT, parent=city) for n in range(2)]
    areas = [AreaFactory(code=f"A{n}", name=f"区{n}", level=2, unit=d) for n, d in enumerate(districts)]
    admin = user_with_role(Role.OFFICE_ADMIN, office, username="office")
    user_with_role(Role.INSPECTOR, office, username="inspector")
    standard = ensure_demo_evaluation_standard(actor=admin)
    observed = standard.check_items.filter(judgement="observe").values_list("site_categories", flat=True)
    categories = SiteCategory.objects.filter(pk__in=observed).order_by("pk")[:12]
    for n, category in enumerate(categories):
        for m in range(3):
            SiteFactory(
                code=f"S{n}-{m}", category=category, area=areas[m % 2], unit=districts[m % 2], lng=120.0, lat=30.0
            )
    return standard


def test_two_mock_rounds_with_observations_and_a_change(demo_city, capsys):
    call_command("seed_inspections_demo")
    assert "模拟测评演示：2 个轮次（上月、本月），测评点位分别为 20、20 个" in capsys.readouterr().out
    previous, current = InspectionRound.objects.filter(kind="mock").order_by("period_start")
    assert "演示" in previous.name and "演示" in current.name
    assert previous.status == RoundStatus.PUBLISHED and previous.is_secret
    assert current.status == RoundStatus.CLOSED and not current.is_secret
    assert not current.visits.exclude(status=VisitStatus.DONE).exists()
    assert Observation.objects.filter(visit__round=current).count() > 100
    report = evaluation.build(current)
    assert report.previous == previous and report.total.delta is not None
    assert any(row.delta is not None for row in report.tables["clause"])
    assert all(o.startswith("演示") for o in Observation.objects.exclude(note="").values_list("note", flat=True))
    failed = Observation.objects.filter(passed=False)
    assert failed.exists() and not failed.filter(case_id__isnull=True).exists()
    before = (InspectionRound.objects.count(), Observation.objects.count(), Case.objects.count())
    rounds, message = seed_demo_evaluation_rounds()
    assert len(rounds) == 2 and "已存在" in message
    assert (InspectionRound.objects.count(), Observation.objects.count(), Case.objects.count()) == before


def test_skipped_with_a_message_without_demo_users(db):
    rounds, message = seed_demo_evaluation_rounds()
    assert rounds == [] and "未创建" in message
