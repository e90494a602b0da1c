"""Inbound status updates: signed, never replayed, idempotent; they move the case through its workflow."""

from __future__ import annotations

import base64
import json
import time

from django.urls import reverse

from chuangcheng.cases.models import CaseStatus
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.exchange import signing
from chuangcheng.exchange.models import Exchange, ExchangeStatus


def _post(client, endpoint, data, *, secret=None, timestamp=None, nonce=None, sign=True, body=None):
    body = body if body is not None else json.dumps(data, ensure_ascii=False).encode()
    headers = {}
    if sign:
        signed = signing.signed_headers(
            code=endpoint.code, secret=secret or endpoint.secret, body=body, idempotency_key="", now=timestamp
        )
        if nonce:
            signed[signing.HEADER_NONCE] = nonce
            signed[signing.HEADER_SIGNATURE] = signing.signature(
                secret or endpoint.secret, signed[signing.HEADER_TIMESTAMP], nonce, body
            )
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in signed.items() if k != "Content-Type"}
    url = reverse("exchange-inbound-status", args=[endpoint.code])
    return client.post(url, data=body, content_type="application/json", **headers)


def test_accepted_signs_the_case_as_the_endpoint_system_account(city_mgmt, world, client):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    response = _post(client, city_mgmt, {"case_number": case.number, "status": "已受理", "event_id": "e1"})
    assert response.status_code == 200, response.content
    assert response.json()["duplicate"] is False
    case.refresh_from_db()
    assert case.status == CaseStatus.SIGNED
    row = case.transitions.order_by("-id").first()
    assert row.action == "sign" and row.actor == city_mgmt.actor and "数字城管回传" in row.note
    log = Exchange.objects.get(case=case, direction="in")
    assert (log.status, log.kind, log.idempotency_key) == (ExchangeStatus.ACCEPTED, "status", "e1")


def test_the_whole_way_to_submitted_with_photos(city_mgmt, world, client):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    for event, status in (("a", "已受理"), ("b", "处理中")):
        assert (
            _post(client, city_mgmt, {"case_number": case.number, "status": status, "event_id": event}).status_code
            == 200
        )
    photo = base64.b64encode(jpeg_upload(taken_at="2099:01:01 10:00:00").read()).decode()
    data = {"case_number": case.number, "status": "已办结", "event_id": "c", "note": "已清运",
            "photos": [{"name": "after.jpg", "data": photo}]}  # fmt: skip
    response = _post(client, city_mgmt, data)
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.photos.filter(kind="evidence").count() == 1
    log = Exchange.objects.get(case=case, idempotency_key="c")
    assert "data" not in json.dumps(log.payload["photos"])  # the photo bytes are not kept in the log


def test_finished_without_photos_is_refused_in_chinese(city_mgmt, world, client):
    case = case_in_state(world, CaseStatus.RECTIFYING)
    response = _post(client, city_mgmt, {"case_number": case.number, "status": "已办结", "event_id": "x"})
    assert response.status_code == 422 and "整改照片" in response.json()["detail"]
    case.refresh_from_db()
    assert case.status == CaseStatus.RECTIFYING
    assert Exchange.objects.filter(direction="in", status=ExchangeStatus.REFUSED, response_code=422).count() == 1


def test_the_same_event_again_is_a_duplicate_and_changes_nothing(city_mgmt, world, client):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    data = {"case_number": case.number, "status": "已受理", "event_id": "e1"}
    assert _post(client, city_mgmt, data).json()["duplicate"] is False
    again = _post(client, city_mgmt, data)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert case.transitions.filter(action="sign").count() == 1
    already = _post(client, city_mgmt, {**data, "event_id": "e2"})  # another event, state already reached
    assert already.json()["duplicate"] is True


def test_unsigned_is_refused_401(city_mgmt, world, client):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    response = _post(client, city_mgmt, {"case_number": case.number, "status": "已受理"}, sign=False)
    assert response.status_code == 401 and "缺少签名" in response.json()["detail"]
    assert Exchange.objects.get(direction="in").status == ExchangeStatus.REFUSED


def test_a_wrong_signature_is_refused_401(city_mgmt, world, client):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    response = _post(client, city_mgmt, {"case_number": case.number, "status": "已受理"}, secret="x" * 32)
    assert response.status_code == 401 and response.json()["detail"] == "签名无效"
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED


def test_a_replayed_nonce_is_refused_403(city_mgmt, world, client):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    data = {"case_number": case.number, "status": "已受理", "event_id": "r1"}
    assert _post(client, city_mgmt, data, nonce="n" * 16).status_code == 200
    replay = _post(client, city_mgmt, data, nonce="n" * 16)
    assert replay.status_code == 403 and "重放" in replay.json()["detail"]


def test_a_stale_timestamp_is_refused_403(city_mgmt, world, client):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    old = time.time() - signing.WINDOW_SECONDS - 60
    response = _post(client, city_mgmt, {"case_number": case.number, "status": "已受理"}, timestamp=old)
    assert response.status_code == 403 and "有效期" in response.json()["detail"]


def test_an_unknown_endpoint_or_a_case_it_cannot_see(city_mgmt, world, client):
    case = case_in_state(world, CaseStatus.DISPATCHED, title="另一单位的问题")
    case.lead_unit = world.market  # a case of another unit: not the system account's to act on
    case.save(update_fields=["lead_unit"])
    response = _post(client, city_mgmt, {"case_number": case.number, "status": "已受理", "event_id": "u"})
    assert response.status_code == 404
    city_mgmt.code = "nope"
    assert _post(client, city_mgmt, {"case_number": case.number}).status_code == 401


def test_bad_input_names_the_field(city_mgmt, world, client):
    case = case_in_state(world, CaseStatus.DISPATCHED)
    response = _post(client, city_mgmt, {"case_number": case.number, "status": "完成了", "event_id": "z"})
    assert response.status_code == 422 and response.json()["field"] == "status"
    response = _post(client, city_mgmt, None, body=b"not json")
    assert response.status_code == 422
