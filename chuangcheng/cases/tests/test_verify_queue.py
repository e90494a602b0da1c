"""待核查: the queue of cases an inspector (or the office) may verify now, longest waiting first."""

import pytest
from django.urls import reverse

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.cases import selectors
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.cases.workflow import Action, allowed_actions, transition

pytestmark = pytest.mark.django_db


def test_queue_lists_submitted_cases_the_inspector_may_verify(world):
    waiting = case_in_state(world, CaseStatus.SUBMITTED, title="市场门口垃圾已清理")
    case_in_state(world, CaseStatus.RECTIFYING, title="仍在整改")
    assert [c.pk for c in selectors.verify_queue(world.inspector)] == [waiting.pk]
    assert Action.VERIFY in allowed_actions(world.inspector, waiting)


def test_queue_leaves_out_what_the_user_may_not_verify(world):
    """The same rule as the verify action: not from the rectifying unit, not the rectifier."""
    case = case_in_state(world, CaseStatus.SUBMITTED)  # led by 市城管局
    inside = user_with_role(Role.INSPECTOR, world.urban)
    assert list(selectors.verify_queue(inside)) == []
    assert Action.VERIFY not in allowed_actions(inside, case)
    for user in (world.handler, world.grid, world.leader):
        assert list(selectors.verify_queue(user)) == []


def test_queue_matches_allowed_actions_for_every_user(world):
    cases = [case_in_state(world, CaseStatus.SUBMITTED, title=f"问题{i}") for i in range(2)]
    users = [world.office, world.admin, world.inspector, user_with_role(Role.INSPECTOR, world.urban)]
    for user in users:
        queue = {c.pk for c in selectors.verify_queue(user)}
        assert queue == {c.pk for c in cases if Action.VERIFY in allowed_actions(user, c)}, user


def test_longest_waiting_first_and_gone_once_verified(world):
    first = case_in_state(world, CaseStatus.SUBMITTED, title="先提交")
    second = case_in_state(world, CaseStatus.SUBMITTED, title="后提交")
    assert [c.pk for c in selectors.verify_queue(world.inspector)] == [first.pk, second.pk]
    transition(Case.objects.get(pk=first.pk), Action.VERIFY, actor=world.inspector)
    assert [c.pk for c in selectors.verify_queue(world.inspector)] == [second.pk]


def test_queue_page(client, world):
    case = case_in_state(world, CaseStatus.SUBMITTED, title="市场门口垃圾已清理")
    client.force_login(world.inspector)
    page = client.get(reverse("cases:verify_queue")).content.decode()
    assert "<h1>待核查" in page and case.number in page and reverse("cases:detail", args=[case.pk]) in page


def test_queue_page_is_for_verifiers_only(client, world):
    for user in (world.handler, world.grid, world.leader):
        client.force_login(user)
        assert client.get(reverse("cases:verify_queue")).status_code == 403
    client.force_login(world.office)
    assert client.get(reverse("cases:verify_queue")).status_code == 200


def test_queue_is_in_the_navigation_of_inspectors(client, world):
    url = reverse("cases:verify_queue")
    client.force_login(world.inspector)
    assert f'href="{url}"' in client.get(reverse("cases:list")).content.decode()
    client.force_login(world.handler)
    assert f'href="{url}"' not in client.get(reverse("cases:inbox")).content.decode()
