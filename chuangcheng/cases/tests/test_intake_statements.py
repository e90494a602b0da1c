"""Statement guards for single-case intake (``create_case``, ``POST /api/v1/cases/``): a case is taken
in as a batch of one, so its statements are a fixed set whatever the number of people notified, and
every timeline row, audit row and notification is still written."""

import pytest
from django.db import connection, transaction

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases import services
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.tests.test_api import client_for
from chuangcheng.core.testing import assert_max_queries
from chuangcheng.notifications import reminders
from chuangcheng.notifications.models import Notification
from chuangcheng.notifications.services import notify_many

pytestmark = pytest.mark.django_db

# PostgreSQL: numbers and ids from one statement; SQLite: the year's counter row (five statements) and
# the timeline head written after the INSERT.
SERVICE_LIMIT = {"postgresql": 15, "sqlite": 20}
API_LIMIT = {"postgresql": 18, "sqlite": 22}  # the answer reads nothing (answers.created_answer)


def _intake(world):
    return services.create_case(
        actor=world.grid, source="patrol", title="市场门口垃圾", site=world.site, auto_register=True
    )


def test_single_intake_keeps_every_row_in_fixed_statements(world):
    _intake(world)  # the year's number counter or sequence exists from here on
    with assert_max_queries(SERVICE_LIMIT[connection.vendor]):
        case = _intake(world)
    case = Case.objects.get(pk=case.pk)
    assert case.status == CaseStatus.DISPATCHED and case.lead_unit_id == world.street.pk
    assert list(case.transitions.order_by("id").values_list("action", flat=True)) == ["report", "register", "dispatch"]
    verbs = AuditEvent.objects.filter(target_id=str(case.pk), target_type="cases.case").values_list("verb", flat=True)
    assert sorted(verbs) == ["cases.created", "cases.dispatch", "cases.register", "notifications.sent"]
    assert list(Notification.objects.filter(case=case).values_list("user_id", flat=True)) == [world.street_handler.pk]


def test_single_intake_statements_do_not_grow_with_recipients(world):
    _intake(world)

    def statements() -> int:
        with transaction.atomic():
            with assert_max_queries(100) as queries:
                _intake(world)
        return len(queries.captured_queries)

    before = statements()
    for _ in range(5):
        user_with_role(Role.UNIT_HANDLER, world.street)
    assert statements() == before
    assert Notification.objects.filter(case=Case.objects.order_by("-id").first()).count() == 6


def test_api_single_intake_statements(world):
    client = client_for(world.office)
    body = {"source": "patrol", "title": "市场门口垃圾", "site": world.site.pk, "auto_register": True}
    assert client.post("/api/v1/cases/", body, format="json").status_code == 201
    with assert_max_queries(API_LIMIT[connection.vendor]):
        response = client.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == CaseStatus.DISPATCHED and data["category_name"] == world.category.name


def _events(world, count: int, users: list) -> list[dict]:
    return [
        {"users": users, "kind": "case_dispatched", "title": f"事件{i}", "case": None, "units": [world.urban]}
        for i in range(count)
    ]


def test_notify_many_writes_each_kind_of_row_once(world):
    """Preferences, in-app rows, audit rows: three statements however many events and users. The chasing
    policy (which kinds must be acknowledged) and the units' webhooks are one more read each on a cold cache
    only: the policy is cached (``reminders.cached_policy``) and cleared when the office saves it
    (``reminders.update_policy``), the webhooks are kept per process (``selectors.active_webhooks``)."""
    with assert_max_queries(5) as cold:
        notify_many(actor=None, events=_events(world, 1, [world.handler]))
    assert sum("notifications_chasingpolicy" in q["sql"] for q in cold.captured_queries) == 1
    extra = [user_with_role(Role.UNIT_HANDLER, world.urban) for _ in range(3)]
    with assert_max_queries(3) as warm:  # preferences, in-app rows, audit rows
        created = notify_many(actor=None, events=_events(world, 4, [world.handler, world.head, *extra]))
    assert len(warm.captured_queries) == len(cold.captured_queries) - 2
    sql = [q["sql"] for q in warm.captured_queries]
    assert sum(s.startswith('INSERT INTO "notifications_notification"') for s in sql) == 1
    assert len(created) == 4 * 5 and Notification.objects.count() == 1 + 4 * 5
    assert AuditEvent.objects.filter(verb="notifications.sent").count() == 1 + 4


def test_saved_chasing_policy_reaches_the_next_notify_many(world):
    notify_many(actor=None, events=_events(world, 1, [world.handler]))  # the policy is cached now
    reminders.update_policy(actor=world.office, ack_kinds=["case_dispatched"])
    [note] = notify_many(actor=None, events=_events(world, 1, [world.handler]))
    assert note.requires_ack and note.next_reminder_at is not None
