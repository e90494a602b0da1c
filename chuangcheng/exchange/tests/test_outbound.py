"""Outbound push: written with the case change, signed, delivered, retried with backoff, then 失败."""

from __future__ import annotations

import json
import random

import pytest

from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.core.errors import Conflict
from chuangcheng.exchange import payloads, signing
from chuangcheng.exchange.models import Exchange, ExchangeStatus
from chuangcheng.exchange.services import outbox, triggers


def test_dispatch_writes_the_outbox_row_in_the_same_transaction(city_mgmt, world, stub):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    row = Exchange.objects.get(case=case)
    assert (row.direction, row.kind, row.status, row.idempotency_key) == ("out", "push", "pending", case.number)
    assert row.payload_hash == payloads.payload_hash(row.payload)
    assert stub.requests == []  # nothing is sent before commit


def test_delivery_is_signed_and_carries_the_case_and_photo_links(city_mgmt, world, stub):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    run = outbox.deliver_due()
    assert (run.sent, run.failed) == (1, 0)
    request = stub.posts()[0]
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/cases"
    assert headers["Idempotency-Key"] == case.number
    assert headers["X-CC-Endpoint"] == "szcg"
    expected = signing.signature(city_mgmt.secret, headers["X-CC-Timestamp"], headers["X-CC-Nonce"], body)
    assert headers["X-CC-Signature"] == expected
    data = json.loads(body)
    assert data["case_number"] == case.number and data["lead_unit"]["code"] == "DEPT-CG"
    assert data["status_url"].endswith("/api/v1/exchange/inbound/szcg/status/")
    row = Exchange.objects.get(case=case)
    assert (row.status, row.attempts, row.response_code) == (ExchangeStatus.SENT, 1, 200)


def test_signed_photo_link_serves_the_exif_free_copy_and_refuses_a_forged_one(city_mgmt, world, stub, client):
    case = case_in_state(world, CaseStatus.SUBMITTED)  # has an evidence photo
    message = triggers.push_message(case, city_mgmt)
    url = message.payload["photos"][0]["url"].removeprefix("http://testserver")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client.get(url[:-3] + "xyz/").status_code == 404


def test_5xx_is_retried_with_backoff_until_delivered(city_mgmt, world, stub):
    answers = iter([503, 502])
    stub.respond = lambda request: (next(answers, 200), {}, {})
    case = case_in_state(world, CaseStatus.DISPATCHED)
    run = outbox.deliver_due()
    row = Exchange.objects.get(case=case)
    assert (row.status, row.attempts, run.sent) == (ExchangeStatus.SENT, 3, 1)
    keys = {r["headers"]["Idempotency-Key"] for r in stub.posts()}
    nonces = {r["headers"]["X-CC-Nonce"] for r in stub.posts()}
    assert keys == {case.number} and len(nonces) == 3  # same key, fresh signature each time


def test_retry_waits_for_its_backoff(city_mgmt, world, stub, settings):
    settings.EXCHANGE_BACKOFF_BASE_SECONDS = 600.0
    stub.respond = lambda request: (500, {"error": "busy"}, {})
    case = case_in_state(world, CaseStatus.DISPATCHED)
    run = outbox.deliver_due()
    row = Exchange.objects.get(case=case)
    assert (run.retrying, row.status, row.attempts) == (1, ExchangeStatus.RETRYING, 1)
    assert "HTTP 500" in row.error and row.next_attempt_at > row.created_at
    assert outbox.deliver_due().handled == 0  # not due yet
    assert len(stub.posts()) == 1


def test_timeouts_end_in_failed_with_the_reason_and_nothing_lost(city_mgmt, world, stub, settings):
    settings.EXCHANGE_TIMEOUT_SECONDS = 0.2
    stub.delay = 0.5
    case = case_in_state(world, CaseStatus.DISPATCHED)
    run = outbox.deliver_due()
    row = Exchange.objects.get(case=case)
    assert (run.failed, row.status, row.attempts) == (1, ExchangeStatus.FAILED, 3)
    assert "重试已达上限" in row.error and "超时" in row.error
    assert row.payload["case_number"] == case.number  # still there to resend


def test_a_refusal_4xx_fails_at_once(city_mgmt, world, stub):
    stub.respond = lambda request: (400, {"error": "字段缺失"}, {})
    case = case_in_state(world, CaseStatus.DISPATCHED)
    outbox.deliver_due()
    row = Exchange.objects.get(case=case)
    assert (row.status, row.attempts, row.response_code) == (ExchangeStatus.FAILED, 1, 400)
    assert row.error.startswith("对方拒收")


def test_the_office_resends_a_failed_message(city_mgmt, world, stub):
    answers = iter([400])
    stub.respond = lambda request: (next(answers, 200), {}, {})
    case = case_in_state(world, CaseStatus.DISPATCHED)
    outbox.deliver_due()
    row = outbox.retry_message(actor=world.office, message=Exchange.objects.get(case=case))
    assert row.status == ExchangeStatus.PENDING
    outbox.deliver_due()
    assert Exchange.objects.get(case=case).status == ExchangeStatus.SENT
    with pytest.raises(Conflict):
        outbox.retry_message(actor=world.office, message=row)


def test_an_unreachable_receiver_is_retried(city_mgmt, world, stub):
    stub.close()
    case = case_in_state(world, CaseStatus.DISPATCHED)
    outbox.deliver_due()
    row = Exchange.objects.get(case=case)
    assert row.status == ExchangeStatus.FAILED and "连接失败" in row.error and row.attempts == 3


def test_backoff_is_exponential_with_full_jitter_and_capped():
    top = random.Random(0)
    top.uniform = lambda low, high: high
    assert [outbox.backoff_seconds(n, base=30, cap=3600, rng=top) for n in (1, 2, 3, 8, 20)] == [
        30, 60, 120, 3600, 3600,
    ]  # fmt: skip
    draws = {outbox.backoff_seconds(4, base=30, cap=3600) for _ in range(50)}
    assert all(0 <= d <= 240 for d in draws) and len(draws) > 40


def test_one_push_per_case_number_even_when_dispatched_again(city_mgmt, world, stub):
    case = case_in_state(world, CaseStatus.RETURNED)
    case = transition(case, Action.DISPATCH, actor=world.office)
    assert case.status == CaseStatus.DISPATCHED
    assert Exchange.objects.filter(case=case, direction="out").count() == 1
    with pytest.raises(Conflict):
        triggers.send_case(actor=world.office, case=case, endpoint=city_mgmt)


def test_rules_choose_the_cases_that_go_out(city_mgmt, world, stub):
    case = case_in_state(world, CaseStatus.REGISTERED)
    case = transition(case, Action.DISPATCH, actor=world.office, lead_unit=world.market)
    assert not Exchange.objects.filter(case=case).exists()  # the rule names the urban department only
    row = triggers.send_case(actor=world.office, case=case, endpoint=city_mgmt)  # 转派外部系统 by hand
    assert row.kind == "push" and row.idempotency_key == case.number


def test_the_sweep_queues_cases_the_listeners_did_not_see(city_mgmt, world, stub):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    Exchange.objects.filter(case=case).delete()  # as if the batch intake had dispatched it
    assert triggers.enqueue_matching_cases() == 1
    assert triggers.enqueue_matching_cases() == 0
    assert Exchange.objects.get(case=case).status == ExchangeStatus.PENDING


def test_a_crash_mid_send_leaves_the_message_due_after_its_lease(city_mgmt, world, stub, settings):
    settings.EXCHANGE_LEASE_SECONDS = 0.0
    case = case_in_state(world, CaseStatus.DISPATCHED)
    claimed = outbox._claim(10, outbox.timezone.now())  # the worker took it and died before marking
    assert [row.case_id for row in claimed] == [case.pk]
    run = outbox.deliver_due()
    row = Exchange.objects.get(case=case)
    assert (run.sent, row.status, row.attempts) == (1, ExchangeStatus.SENT, 2)


def test_the_sweep_carries_each_case_its_own_photos(city_mgmt, world, stub):
    with_photo = case_in_state(world, CaseStatus.SUBMITTED)
    plain = case_in_state(world, CaseStatus.DISPATCHED, title="另一处")
    Exchange.objects.all().delete()
    assert triggers.enqueue_matching_cases() == 2
    sent = {row.case_id: row.payload["photos"] for row in Exchange.objects.all()}
    assert [p["id"] for p in sent[with_photo.pk]] == list(with_photo.photos.order_by("pk").values_list("pk", flat=True))
    assert sent[plain.pk] == []


def test_a_stopped_endpoint_is_not_sent_to_and_fails_with_the_reason(world, stub, fast_retries):
    from chuangcheng.exchange.tests.factories import ExchangeFactory

    row = ExchangeFactory(endpoint__url=stub.url, endpoint__is_active=False, next_attempt_at=outbox.timezone.now())
    outbox.deliver_due()
    row.refresh_from_db()
    assert row.status == ExchangeStatus.FAILED and "已停用" in row.error and stub.requests == []
