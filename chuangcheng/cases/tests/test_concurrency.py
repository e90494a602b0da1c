"""Two people acting on one case at once: exactly one wins, the other gets the Chinese 409."""

import threading

import pytest
from django.db import connection, connections

from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.core.errors import Conflict


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_and_return_exactly_one_succeeds(world):
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL（跨连接的行锁）")
    case = case_in_state(world, CaseStatus.DISPATCHED)
    before = case.transitions.count()
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(name, action, note):
        try:
            mine = Case.objects.get(pk=case.pk)  # both read the same version
            barrier.wait(timeout=10)
            transition(mine, action, actor=world.handler, note=note)
            outcomes[name] = "ok"
        except Conflict as exc:
            outcomes[name] = exc
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            outcomes[name] = repr(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("sign", Action.SIGN, "")),
        threading.Thread(target=act, args=("return", Action.RETURN, "不属于本单位")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    results = list(outcomes.values())
    assert results.count("ok") == 1, outcomes
    conflict = next(r for r in results if r != "ok")
    assert isinstance(conflict, Conflict) and conflict.status_code == 409
    assert conflict.message.startswith("案件已被他人更新")
    case.refresh_from_db()
    assert case.status in (CaseStatus.SIGNED, CaseStatus.RETURNED)
    assert case.transitions.count() == before + 1  # only the winner's row
