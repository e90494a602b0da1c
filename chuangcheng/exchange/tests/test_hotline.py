"""The live 12345 interface: orders pushed in (idempotent by 工单编号), reply and 办结 pushed back on close."""

from __future__ import annotations

import json

from django.urls import reverse

from chuangcheng.accounts import service_accounts
from chuangcheng.accounts.models import Role
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.exchange.models import Exchange, ExchangeStatus
from chuangcheng.exchange.services import outbox
from chuangcheng.public.models import HotlineBatch, HotlineOrder

ORDER = {
    "number": "GD20261206001",
    "received_at": "2026-12-06 08:30",
    "content": "东城农贸市场门口垃圾堆放",
    "handler": "市城管局",
    "deadline": "2026-12-20",
    "caller_phone": "139****0000",
}
URL = reverse("exchange-hotline-orders")


def _token_client(api_client, world, scopes=("hotline:push",)):
    account = service_accounts.create_service_account(
        actor=world.admin, username="hotline-bot", full_name="12345 平台", unit=world.office_unit,
        role=Role.OFFICE_STAFF,
    )  # fmt: skip
    _, raw = service_accounts.issue_token(actor=world.admin, user=account, name="推送", scopes=list(scopes))
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return api_client


def test_a_pushed_order_becomes_a_case_once(hotline_endpoint, world, api_client, django_capture_on_commit_callbacks):
    client = _token_client(api_client, world)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"orders": [ORDER]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] == 1 and body["orders"][0]["state"] == "new" and body["orders"][0]["case"]
    case = Case.objects.get(number=body["orders"][0]["case"])
    assert case.source == "hotline" and case.external_ref == ORDER["number"] and case.lead_unit == world.urban
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(URL, {"orders": [ORDER]}, format="json")
    assert again.status_code == 200 and again.json()["orders"][0]["state"] == "unchanged"
    assert Case.objects.filter(external_ref=ORDER["number"]).count() == 1
    changed = client.post(URL, {"orders": [{**ORDER, "urge": "催办1次"}]}, format="json")
    assert changed.json()["orders"][0]["state"] == "changed"
    assert case.transitions.filter(action="external_update", note__contains="催办").exists()
    logged = Exchange.objects.filter(kind="order", idempotency_key__startswith=ORDER["number"] + "@")
    assert sorted(logged.values_list("status", flat=True)) == ["accepted", "accepted", "duplicate"]


def test_labels_work_as_keys_and_bad_orders_change_nothing(hotline_endpoint, world, api_client):
    api_client.force_authenticate(world.office)  # a person's session works too
    response = api_client.post(
        URL, {"orders": [{"工单编号": "GD2", "受理时间": "不是时间", "诉求内容": "x"}]}, format="json"
    )
    assert response.status_code == 422 and "受理时间" in json.dumps(response.json(), ensure_ascii=False)
    assert not HotlineOrder.objects.exists() and not HotlineBatch.objects.exists()
    response = api_client.post(URL, {"orders": [{**ORDER, "颜色": "红"}]}, format="json")
    assert response.status_code == 422 and "未知字段" in response.json()["detail"]


def test_a_token_without_the_scope_or_a_unit_user_is_refused(hotline_endpoint, world, api_client):
    client = _token_client(api_client, world, scopes=("cases:read",))
    assert client.post(URL, {"orders": [ORDER]}, format="json").status_code == 403
    api_client.credentials()
    api_client.force_authenticate(world.handler)
    assert api_client.post(URL, {"orders": [ORDER]}, format="json").status_code == 403
    api_client.force_authenticate(None)
    assert api_client.post(URL, {"orders": [ORDER]}, format="json").status_code in (401, 403)


def test_reply_and_closure_go_back_to_the_hotline_when_the_case_closes(
    hotline_endpoint, world, api_client, stub, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(world.office)
    with django_capture_on_commit_callbacks(execute=True):
        number = api_client.post(URL, {"orders": [ORDER]}, format="json").json()["orders"][0]["case"]
    case = Case.objects.get(number=number)
    case = transition(case, Action.SIGN, actor=world.handler)
    case = transition(case, Action.START, actor=world.handler)
    photo = jpeg_upload(taken_at="2099:01:01 10:00:00", gps=(120.005, 30.005))
    case = transition(case, Action.SUBMIT, actor=world.handler, note="垃圾已清运，门前已冲洗", evidence=[photo])
    assert not Exchange.objects.filter(kind="reply").exists()
    case = transition(case, Action.VERIFY, actor=world.inspector)
    assert case.status == CaseStatus.CLOSED
    row = Exchange.objects.get(kind="reply")
    assert row.idempotency_key == f"{ORDER['number']}:closed" and row.endpoint == hotline_endpoint
    outbox.deliver_due()
    request = stub.posts()[-1]
    assert request["path"] == "/replies" and request["headers"]["Idempotency-Key"] == row.idempotency_key
    sent = json.loads(request["body"])
    assert sent["工单编号"] == ORDER["number"] and sent["办理结果"] == "垃圾已清运，门前已冲洗"
    assert sent["办理状态"] == "已办结" and sent["承办单位"] == "市城管局"
    assert Exchange.objects.get(kind="reply").status == ExchangeStatus.SENT
