"""Two people acting on one case at once: exactly one wins, the other gets the Chinese 409."""

import io
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

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


@pytest.fixture
def fresh_number_sequences():
    """Drop the per-year number sequences these tests create (they outlive a transactional test)."""

    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL（编号序列）")

    def drop():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE 'cases\\_case\\_number\\_%%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP SEQUENCE IF EXISTS {name}")

    drop()
    yield
    drop()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_numbers_are_unique_and_chains_valid(world, fresh_number_sequences):
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL（跨连接的并发事务）")
    from django.core.management import call_command

    from chuangcheng.audit.services import pending_count, verify_audit_chain
    from chuangcheng.cases import services
    from chuangcheng.cases.chain import verify_case_timelines
    from chuangcheng.cases.models import CaseCounter, CaseSource

    year = timezone.localdate().year
    CaseCounter.objects.create(year=year, last=41)  # numbers issued before the sequence existed
    workers, each = 6, 4
    barrier = threading.Barrier(workers)
    numbers, errors = [], []

    def intake(n):
        try:
            barrier.wait(timeout=20)
            for i in range(each):
                case = services.create_case(
                    actor=world.grid, source=CaseSource.PATROL, title=f"并发上报{n}-{i}", site=world.site,
                    auto_register=True,
                )  # fmt: skip
                numbers.append(case.number)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=intake, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(numbers) == workers * each and len(set(numbers)) == len(numbers)
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert all(number.startswith(f"WT{year}-") for number in numbers)
    assert serials[0] >= 42  # continues after the counter, never reissues an old number
    assert Case.objects.filter(number__in=numbers, status=CaseStatus.DISPATCHED).count() == len(numbers)
    assert pending_count() == 0 and verify_audit_chain() == [] and verify_case_timelines() == []
    call_command("verify_audit", stdout=io.StringIO())


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_number_sequence_starts_after_numbers_already_issued(world):
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL（编号序列）")
    from chuangcheng.cases import services

    year = 2098  # a year no other test numbers in; the sequence is created inside this test's transaction
    case = services.create_case(actor=world.grid, source="patrol", title="旧编号")
    Case.objects.filter(pk=case.pk).update(number=f"WT{year}-000107")
    assert services.next_number(year) == f"WT{year}-000108"
    assert services.next_number(year) == f"WT{year}-000109"
