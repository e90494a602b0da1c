"""A crash between the import's commit and the opening of the cases loses nothing: orders saved without
a case are found and opened (after the next import, by the beat task, by the command), exactly once."""

import io
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from chuangcheng.cases.models import Case
from chuangcheng.public.models import HotlineOrder
from chuangcheng.public.services import hotline
from chuangcheng.public.services.hotline import bridge
from chuangcheng.public.tasks import open_pending_order_cases_task
from chuangcheng.public.tests.test_hotline import rows, xlsx

pytestmark = pytest.mark.django_db


class Crash(Exception):
    """The database going away while the cases are being opened."""


@pytest.fixture
def crashing_case_opening(monkeypatch):
    """Make the case-opening step fail after the orders committed (fault injection, not a mock of the
    outcome: the import itself runs for real and commits)."""

    def crash(**kwargs):
        raise Crash("server closed the connection unexpectedly")

    monkeypatch.setattr(bridge, "open_cases_for_orders", crash)
    monkeypatch.setattr(bridge, "open_case_for_order", crash)
    return monkeypatch


def interrupted_import(world, data, crashing, django_capture_on_commit_callbacks):
    batch = hotline.upload_batch(actor=world["staff"], data=data, filename="orders.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        batch = hotline.import_batch(batch=batch, actor=world["staff"])
    crashing.undo()  # the database is back
    return batch


def one_case_each() -> bool:
    orders = list(HotlineOrder.objects.all())
    refs = list(Case.objects.filter(source="hotline").values_list("external_ref", flat=True))
    return all(o.case_id for o in orders) and sorted(refs) == sorted(o.number for o in orders)


def test_orders_saved_without_a_case_are_resumed_exactly_once(
    world, crashing_case_opening, django_capture_on_commit_callbacks
):
    batch = interrupted_import(world, xlsx(rows(5)), crashing_case_opening, django_capture_on_commit_callbacks)
    assert HotlineOrder.objects.count() == 5 and not HotlineOrder.objects.filter(case__isnull=False).exists()
    client = Client()
    client.force_login(world["staff"])
    page = client.get(reverse("public:hotline_batch", args=[batch.pk])).content.decode()
    assert "5 条待立案" in page
    assert "5 条待立案" in client.get(reverse("public:hotline_list")).content.decode()

    result = hotline.open_pending_order_cases()
    assert (result.opened, result.placed, result.routed, result.failed) == (5, 0, 5, [])
    assert one_case_each() and Case.objects.filter(source="hotline").count() == 5
    again = hotline.open_pending_order_cases()
    assert again.opened == 0 and Case.objects.filter(source="hotline").count() == 5
    page = client.get(reverse("public:hotline_batch", args=[batch.pk])).content.decode()
    assert "待立案" not in page and "已立案 <strong>5</strong> 件" in page
    assert "待立案" not in client.get(reverse("public:hotline_list")).content.decode()


def test_reimporting_the_same_file_resumes(world, crashing_case_opening, django_capture_on_commit_callbacks):
    data = xlsx(rows(4))
    interrupted_import(world, data, crashing_case_opening, django_capture_on_commit_callbacks)
    batch = hotline.upload_batch(actor=world["staff"], data=data, filename="orders.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        again = hotline.import_batch(batch=batch, actor=world["staff"])
    assert (again.created_count, again.unchanged_count) == (0, 4)
    assert one_case_each() and Case.objects.filter(source="hotline").count() == 4


def test_beat_task_and_command_resume(world, crashing_case_opening, django_capture_on_commit_callbacks):
    assert settings.CELERY_BEAT_SCHEDULE["public.open_pending_order_cases"]["task"] == "public.open_pending_order_cases"
    interrupted_import(world, xlsx(rows(3)), crashing_case_opening, django_capture_on_commit_callbacks)
    out = io.StringIO()
    call_command("open_pending_order_cases", "--limit", "2", stdout=out)
    assert "补立案 2 件" in out.getvalue()
    assert HotlineOrder.objects.filter(case__isnull=True).count() == 1
    assert open_pending_order_cases_task.delay().get()["opened"] == 1
    assert one_case_each()


def test_an_order_the_intake_refuses_keeps_its_reason_and_the_rest_open(world, django_capture_on_commit_callbacks):
    from chuangcheng.cases import services as case_services

    batch = hotline.import_batch(
        batch=hotline.upload_batch(actor=world["staff"], data=xlsx(rows(3)), filename="o.xlsx"),
        actor=world["staff"],
        open_cases=False,
    )
    # Another system already holds a hotline case with the second order's number: the intake refuses it.
    case_services.create_case(actor=world["staff"], source="hotline", title="已有", external_ref="GD202600001")
    result = hotline.open_pending_order_cases()
    assert result.opened == 2 and [number for number, _ in result.failed] == ["GD202600001"]
    refused = HotlineOrder.objects.get(number="GD202600001")
    assert refused.case is None and "外部编号" in refused.case_error
    progress = hotline.batch_progress(batch)
    assert (progress["pending"], progress["failed"]) == (1, 1)
    client = Client()
    client.force_login(world["staff"])
    page = client.get(reverse("public:hotline_batch", args=[batch.pk])).content.decode()
    assert "1 条待立案" in page and "GD202600001" in page and "外部编号" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks with SKIP LOCKED need PostgreSQL")
def test_two_runners_at_once_open_each_case_once(world):
    hotline.import_batch(
        batch=hotline.upload_batch(actor=world["staff"], data=xlsx(rows(1200)), filename="o.xlsx"),
        actor=world["staff"],
        open_cases=False,
    )
    barrier, results, errors = threading.Barrier(2), [], []

    def runner():
        try:
            barrier.wait()
            results.append(hotline.open_pending_order_cases())
        except Exception as exc:  # noqa: BLE001  reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(result.opened for result in results) == 1200
    assert one_case_each() and Case.objects.filter(source="hotline").count() == 1200
