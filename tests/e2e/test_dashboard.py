"""The command centre in a real browser: the dashboard, the 1920×1080 big screen and the forecast page."""

import datetime

import pytest
from django.utils import timezone

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.dashboard.services import refresh_dashboard
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import AreaFactory, square
from chuangcheng.readiness.tests.factories import InspectionWindowFactory
from tests.e2e.conftest import SCREENSHOTS, login, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def office_user():
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    streets = [UnitFactory(code=f"S{n}", name=f"第{n + 1}街道", kind=UnitKind.STREET, parent=city) for n in range(4)]
    now = timezone.now()
    for n in range(16):
        grid = AreaFactory(
            name=f"网格{n + 1}", unit=streets[n % 4], geometry=square(120 + (n % 4) * 0.01, 30 + n // 4 * 0.01)
        )
        for k in range(n % 5):
            case = CaseFactory(
                lead_unit=streets[n % 4],
                area=grid,
                status=CaseStatus.RECTIFYING if k % 2 else CaseStatus.CLOSED,
                closed_at=now if k % 2 == 0 else None,
                deadline=timezone.localdate() - datetime.timedelta(days=k - 1),
                registered_at=now,
                dispatched_at=now,
            )
            Case.objects.filter(pk=case.pk).update(created_at=now - datetime.timedelta(days=(n + k) % 20))
    refresh_dashboard()
    InspectionWindowFactory(title="国家卫生城市暗访")
    return user_with_role(Role.OFFICE_ADMIN, office, username="office")


def test_dashboard_and_big_screen(browser, live_server, office_user):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, office_user.username, "Test-pass-2026")
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#chart-trends canvas")
    page.wait_for_selector("#grid-map[data-loaded='16']")
    assert "本周办结" in page.content() and "countdown" in page.content()
    shot(page, "dashboard")
    context.close()

    big = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    screen = big.new_page()
    screen.on("pageerror", lambda exc: errors.append(str(exc)))
    login(screen, live_server, office_user.username, "Test-pass-2026")
    screen.goto(f"{live_server.url}/dashboard/bigscreen/")
    screen.wait_for_selector("#chart-rankings canvas")
    screen.wait_for_selector("#grid-map[data-loaded='16']")
    size = screen.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert size == [1920, 1080]  # fits the screen exactly, no scrolling
    shot(screen, "bigscreen")
    big.close()
    assert not errors, errors
    assert (SCREENSHOTS / "bigscreen.png").exists()


def test_readiness_page_runs_a_forecast(page, live_server, office_user):
    login(page, live_server, office_user.username, "Test-pass-2026")
    page.goto(f"{live_server.url}/readiness/")
    assert "方法说明" in page.content()
    shot(page, "readiness-empty")
