"""The units' active webhooks are kept per process (``selectors.active_webhooks``): once kept, a notification
reads none, and a committed creation, change or deletion reaches the next notification. Transactional: values
are kept only once committed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.notifications import services
from chuangcheng.notifications.models import Delivery, NotificationKind
from chuangcheng.notifications.tests.test_outbox import robot

pytestmark = pytest.mark.django_db(transaction=True)


def _notify(world) -> list[str]:
    """Notify the urban unit; the SQL run."""
    with CaptureQueriesContext(connection) as queries:
        services.notify(
            actor=world.office, users=[], kind=NotificationKind.CASE_DISPATCHED, title="新问题", units=[world.urban]
        )
    return [q["sql"] for q in queries.captured_queries]


def _webhook_deliveries() -> list[int]:
    return list(Delivery.objects.filter(channel="webhook").order_by("pk").values_list("webhook_id", flat=True))


def test_kept_webhooks_follow_committed_changes(world, stub):
    _notify(world)
    assert _webhook_deliveries() == []
    assert not [s for s in _notify(world) if 'FROM "notifications_webhook"' in s]  # kept: no read
    first = robot(world, stub)
    _notify(world)
    assert _webhook_deliveries() == [first.pk]
    second = robot(world, stub, kind="wecom")
    _notify(world)
    assert _webhook_deliveries()[1:] == [first.pk, second.pk]
    assert not [s for s in _notify(world) if 'FROM "notifications_webhook"' in s]
    services.update_webhook(webhook=first, actor=world.office, is_active=False)
    before = len(_webhook_deliveries())
    _notify(world)
    assert _webhook_deliveries()[before:] == [second.pk]
    services.delete_webhook(webhook=second, actor=world.office)
    before = len(_webhook_deliveries())
    _notify(world)
    assert _webhook_deliveries()[before:] == []
