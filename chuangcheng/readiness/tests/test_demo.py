"""The readiness demo: two windows and one stored forecast through the services; a rerun changes nothing."""

import pytest
from django.core.management import call_command

from chuangcheng.audit.models import AuditEvent
from chuangcheng.readiness.models import ForecastRun, InspectionWindow

pytestmark = pytest.mark.django_db


def test_seed_readiness_demo(city, capsys):
    city["office_user"].username = "office"
    city["office_user"].save(update_fields=["username"])
    call_command("seed_readiness_demo")
    windows = list(InspectionWindow.objects.order_by("earliest"))
    assert [w.kind for w in windows] == ["provincial", "national_undercover"]
    assert all("演示" in w.title for w in windows)
    run = ForecastRun.objects.get()
    assert run.window == windows[1] and run.seed == 2026 and run.runs == 10_000
    before = (InspectionWindow.objects.count(), ForecastRun.objects.count(), AuditEvent.objects.count())
    call_command("seed_readiness_demo")
    assert (InspectionWindow.objects.count(), ForecastRun.objects.count(), AuditEvent.objects.count()) == before
    assert "2 个迎检窗口" in capsys.readouterr().out


def test_seed_readiness_demo_without_demo_accounts(db, capsys):
    call_command("seed_readiness_demo")
    assert not InspectionWindow.objects.exists()
    assert "未创建" in capsys.readouterr().out


@pytest.fixture
def demo_city():
    from chuangcheng.accounts.models import Role
    from chuangcheng.accounts.tests.factories import user_with_role
    from chuangcheng.org.models import UnitKind
    from chuangcheng.org.tests.factories import UnitFactory
    from chuangcheng.standards.models import StandardStatus
    from chuangcheng.standards.tests.factories import StandardFactory

    call_command("load_site_categories")  # the demo manuals name the built-in civilized categories
    root = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=root)
    from chuangcheng.places.models import SiteCategory
    from chuangcheng.places.tests.factories import SiteFactory
    from chuangcheng.standards.tests.factories import CheckItemFactory, SamplingQuotaFactory

    sanitary = StandardFactory(kind="sanitary_city")
    market = SiteCategory.objects.order_by("id").first()
    CheckItemFactory(standard=sanitary, points=1, site_categories=[market])
    SamplingQuotaFactory(standard=sanitary, category=market, min_samples_medium=2)
    SiteFactory(category=market, unit=root)
    type(sanitary).objects.filter(pk=sanitary.pk).update(status=StandardStatus.PUBLISHED)
    return {"office_user": user_with_role(Role.OFFICE_ADMIN, office)}


def test_seed_readiness_demo_runs_the_civilized_side(demo_city):
    """With the demo 测评手册 published, the city runs 创文 beside 巩卫: a 文明城市测评 window, a forecast on
    CIV-DEMO, a minors result, and both titles on the 双迎 page; a rerun changes nothing."""
    from chuangcheng.programs.demo import seed_demo_campaigns
    from chuangcheng.programs.titles import Title
    from chuangcheng.readiness import civil
    from chuangcheng.readiness.models import MinorsResult
    from chuangcheng.standards.demo_evaluation import ensure_demo_evaluation_standard, ensure_demo_minors_standard

    office = demo_city["office_user"]
    office.username = "office"
    office.save(update_fields=["username"])
    ensure_demo_evaluation_standard()
    ensure_demo_minors_standard()
    campaigns = seed_demo_campaigns()
    civilized = [c for c in campaigns if c.title == Title.NATIONAL_CIVILIZED_CITY]
    assert len(civilized) == 1 and civilized[0].standard.code == "CIV-DEMO" and civilized[0].is_demo
    call_command("seed_readiness_demo")
    cw = civilized[0]
    window = InspectionWindow.objects.get(campaign=cw)
    assert window.kind == "civilized_city" and "演示" in window.title
    run = ForecastRun.objects.get(campaign=cw, results__standard__kind="civilized_city")
    assert run.parameters["mode"] == "observe" and run.window == window and run.seed == 2026
    assert run.results["observe"]["unknown_items"] >= 0 and run.results["observe"]["rows"]
    result = MinorsResult.objects.get(campaign=cw)
    assert "演示" in result.note and 0 <= result.score <= 100
    titles = [column["campaign"].title for column in civil.dual_readiness(office, cw)]
    assert titles == [Title.NATIONAL_CIVILIZED_CITY, Title.NATIONAL_SANITARY_CITY]
    before = (InspectionWindow.objects.count(), ForecastRun.objects.count(), MinorsResult.objects.count())
    call_command("seed_readiness_demo")
    assert (InspectionWindow.objects.count(), ForecastRun.objects.count(), MinorsResult.objects.count()) == before
