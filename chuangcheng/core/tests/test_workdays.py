from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.audit.models import AuditEvent
from chuangcheng.core import services
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.models import WorkdayOverride
from chuangcheng.core.workdays import (
    add_working_days,
    is_working_day,
    next_working_day,
    official_years,
    working_days_between,
)
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def official():
    call_command("load_calendar", "--from-year", "2025", verbosity=0)


def test_load_calendar_is_idempotent(official):
    count = WorkdayOverride.objects.count()
    call_command("load_calendar", "--from-year", "2025", verbosity=0)
    assert WorkdayOverride.objects.count() == count
    assert 2026 in official_years()


def test_spring_festival_2026_holidays_and_adjusted_workdays(official):
    # 2026 Spring Festival: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb are working days.
    assert is_working_day(date(2026, 2, 14))
    assert not is_working_day(date(2026, 2, 16))
    assert not is_working_day(date(2026, 2, 23))
    assert is_working_day(date(2026, 2, 28))
    # Fri 13 Feb + 1 working day = Sat 14 Feb (调休); + 2 = Tue 24 Feb (after the holiday).
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2


def test_national_day_2026_and_backwards(official):
    # 1–7 Oct 2026 off; Sun 20 Sep and Sat 10 Oct are working days.
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert is_working_day(date(2026, 10, 10))
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    # Back from Mon 12 Oct: Sat 10 (调休), Fri 9, Thu 8, then over the holiday to Wed 30 and Tue 29 Sep.
    assert add_working_days(date(2026, 10, 12), -5) == date(2026, 9, 29)
    assert working_days_between(date(2026, 10, 8), date(2026, 9, 30)) == -1


@pytest.mark.parametrize("n", [0, 1, 3, 10, 25, -4, -20])
def test_between_is_inverse_of_add(official, n):
    start = date(2026, 1, 28)
    assert working_days_between(start, add_working_days(start, n)) == n


def test_plain_weekends_without_official_data():
    assert not is_working_day(date(2027, 1, 2))  # Saturday, no 2027 data loaded
    assert add_working_days(date(2027, 1, 8), 1) == date(2027, 1, 11)
    assert next_working_day(date(2027, 1, 9)) == date(2027, 1, 11)


def test_local_override_changes_arithmetic_and_is_audited():
    office = UnitFactory(kind=UnitKind.OFFICE)
    admin = user_with_role(Role.OFFICE_ADMIN, office)
    services.set_workday_override(actor=admin, day=date(2027, 1, 11), is_working_day=False, name="本地停工")
    assert not is_working_day(date(2027, 1, 11))
    assert add_working_days(date(2027, 1, 8), 1) == date(2027, 1, 12)
    assert AuditEvent.objects.filter(verb="core.workday_set", actor=admin).exists()


def test_only_office_may_change_calendar():
    unit = UnitFactory(kind=UnitKind.DISTRICT)
    with pytest.raises(NotPermitted):
        services.set_workday_override(
            actor=user_with_role(Role.UNIT_HEAD, unit), day=date(2027, 1, 4), is_working_day=False
        )
    assert not WorkdayOverride.objects.exists()


def test_official_rows_cannot_be_deleted(official):
    admin = user_with_role(Role.OFFICE_ADMIN, UnitFactory(kind=UnitKind.OFFICE))
    with pytest.raises(DomainError):
        services.delete_workday_override(actor=admin, override=WorkdayOverride.objects.first())


def test_calendar_page_for_office_and_forbidden_for_units(official):
    admin = user_with_role(Role.OFFICE_ADMIN, UnitFactory(kind=UnitKind.OFFICE))
    client = Client()
    client.force_login(admin)
    response = client.get("/calendar/?year=2026")
    assert response.status_code == 200 and "春节" in response.content.decode()
    assert "尚未录入" in client.get("/calendar/?year=2027").content.decode()
    response = client.post("/calendar/", {"day": "2027-01-04", "is_working_day": "0", "name": "测试"})
    assert response.status_code == 302
    handler = user_with_role(Role.UNIT_HANDLER, UnitFactory(kind=UnitKind.DEPARTMENT))
    client.force_login(handler)
    assert client.get("/calendar/").status_code == 403
