"""Working-day deadlines across the Spring Festival and National Day, pauses, clocks and lights."""

from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from chuangcheng.cases import deadlines
from chuangcheng.cases.models import CaseStatus, DeadlineRule
from chuangcheng.cases.tests.helpers import case_in_state, new_case
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.core.models import WorkdayOverride
from chuangcheng.standards.tests.factories import CheckItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(db):
    call_command("load_calendar", "--from-year", "2025", verbosity=0)


def at(y, m, d, hour=10):
    return timezone.make_aware(datetime(y, m, d, hour, 0))


def test_deadline_across_spring_festival_2026_skips_holidays_and_counts_adjusted_saturday(world, calendar):
    # Dispatched Fri 13 Feb 2026; Sat 14 Feb is an adjusted working day; 15–23 Feb are holidays.
    case = case_in_state(world, CaseStatus.REGISTERED, severity="serious")  # default 3 working days
    case = transition(case, Action.DISPATCH, actor=world.office, now=at(2026, 2, 13))
    assert case.deadline == date(2026, 2, 25)  # 14 Feb (Sat, worked), 24 Feb, 25 Feb
    assert case.deadline_days == 3


def test_deadline_across_national_day_2025(world, calendar):
    # Dispatched Tue 30 Sep 2025; 1–8 Oct holidays; Sat 11 Oct is an adjusted working day.
    case = case_in_state(world, CaseStatus.REGISTERED, severity="serious")
    case = transition(case, Action.DISPATCH, actor=world.office, now=at(2025, 9, 30))
    assert case.deadline == date(2025, 10, 11)  # 9, 10, 11 Oct


def test_local_override_makes_a_day_off(world, calendar):
    WorkdayOverride.objects.create(date=date(2026, 3, 3), is_working_day=False, name="本地停工")
    from chuangcheng.core.workdays import invalidate_local

    invalidate_local()
    case = case_in_state(world, CaseStatus.REGISTERED, severity="serious")
    case = transition(case, Action.DISPATCH, actor=world.office, now=at(2026, 3, 2))
    assert case.deadline == date(2026, 3, 6)  # 4, 5, 6 (3rd is off)


def test_check_item_deadline_wins_then_rules_then_default(world):
    item = CheckItemFactory(deadline_days=2)
    case = new_case(world, check_item=item)
    assert deadlines.rectification_days(case)[0] == 2
    DeadlineRule.objects.create(category=world.category, severity="normal", days=4)
    DeadlineRule.objects.create(category=world.category, severity="", days=6)
    DeadlineRule.objects.create(category=None, severity="minor", days=9)
    plain = new_case(world)
    assert deadlines.rectification_days(plain) == (4, "期限规则（按类别与严重程度）：4 个工作日")
    serious = new_case(world, severity="serious")
    assert deadlines.rectification_days(serious)[0] == 6
    minor_elsewhere = new_case(world, site=None, category=world.alley, severity="minor")
    assert deadlines.rectification_days(minor_elsewhere)[0] == 9


def test_deferral_pauses_deadline_by_paused_working_days(world, calendar):
    case = case_in_state(world, CaseStatus.REGISTERED, severity="serious")
    case = transition(case, Action.DISPATCH, actor=world.office, now=at(2026, 3, 2))  # Mon -> Thu 5 Mar
    assert case.deadline == date(2026, 3, 5)
    case = transition(case, Action.SIGN, actor=world.handler, now=at(2026, 3, 2))
    case = transition(case, Action.START, actor=world.handler, now=at(2026, 3, 2))
    case = transition(case, Action.REQUEST_DEFERRAL, actor=world.handler, plan="等待管网改造", now=at(2026, 3, 3))
    case = transition(case, Action.APPROVE_DEFERRAL, actor=world.office, now=at(2026, 3, 3))
    assert case.status == CaseStatus.DEFERRED and case.paused_on == date(2026, 3, 3)
    assert deadlines.clock(case, date(2026, 3, 20)).paused
    case = transition(case, Action.RESUME, actor=world.handler, now=at(2026, 3, 10))  # 5 working days paused
    assert case.deadline == date(2026, 3, 12) and case.paused_on is None


def test_extension_adds_working_days(world, calendar):
    case = case_in_state(world, CaseStatus.RECTIFYING)
    before = case.deadline
    case = transition(case, Action.REQUEST_EXTENSION, actor=world.handler, days=2)
    case = transition(case, Action.APPROVE_EXTENSION, actor=world.office)
    from chuangcheng.core.workdays import add_working_days

    assert case.deadline == add_working_days(before, 2) and case.pending_request == ""


def test_clock_light_green_yellow_red(world):
    case = case_in_state(world, CaseStatus.RECTIFYING)
    start = deadlines.local_date(case.dispatched_at)
    from chuangcheng.core.workdays import add_working_days

    case.deadline = add_working_days(start, 10)
    assert deadlines.clock(case, add_working_days(start, 7)).light == "green"
    assert deadlines.clock(case, add_working_days(start, 8)).light == "yellow"
    red = deadlines.clock(case, add_working_days(start, 11))
    assert red.light == "red" and red.label == "整改：已超期 1 个工作日"


def test_waiting_state_has_its_own_clock(world):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    clock = deadlines.clock(case)
    assert clock.limit == 1 and clock.label.startswith("签收：")
