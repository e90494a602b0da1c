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
