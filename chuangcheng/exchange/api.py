"""API: endpoints (office), the exchange log, the signed inbound status updates and the live 12345 push.

``POST /api/v1/exchange/inbound/<code>/status/`` is authenticated by the endpoint's signature alone
(no session, no token); ``POST /api/v1/exchange/hotline/orders/`` uses the API's normal
authentication (a service account's token, or a session) and the 12345 import right.
"""

from __future__ import annotations

import json

from django.urls import path
from rest_framework import mixins, permissions, routers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from chuangcheng.accounts.models import TokenScope
from chuangcheng.core.api import ScopedModelViewSet, ScopedQuerysetMixin
from chuangcheng.core.errors import DomainError
from chuangcheng.exchange import selectors, signing
from chuangcheng.exchange.filters import ExchangeFilter
from chuangcheng.exchange.models import Endpoint, Exchange, ExchangeKind
from chuangcheng.exchange.serializers import (
    EndpointCreatedSerializer,
    EndpointSerializer,
    ExchangeSerializer,
    HotlineOrdersSerializer,
)
from chuangcheng.exchange.services import endpoints, hotline, inbound, outbox


class EndpointViewSet(ScopedModelViewSet):
    """对接系统（创建办）。共享密钥只在创建和 ``rotate-secret`` 时返回一次。"""

    queryset = Endpoint.objects.select_related("unit").prefetch_related("rule_categories", "rule_areas", "rule_units")
    serializer_class = EndpointSerializer
    token_scopes = TokenScope.EXCHANGE
    update_service = staticmethod(endpoints.update_endpoint)
    object_arg = "endpoint"
    http_method_names = ("get", "post", "patch", "head", "options")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint, secret = endpoints.create_endpoint(actor=request.user, **serializer.validated_data)
        endpoint.secret = secret
        return Response(EndpointCreatedSerializer(endpoint).data, status=201)

    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint, secret = endpoints.rotate_secret(actor=request.user, endpoint=self.get_object())
        endpoint.secret = secret
        return Response(EndpointCreatedSerializer(endpoint).data)


class ExchangeViewSet(ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """交换记录（双向）：方向、报文摘要、状态、尝试次数、响应码、错误。案件的记录随案件可见。"""

    queryset = Exchange.objects.select_related("case", "endpoint").order_by("-id")
    serializer_class = ExchangeSerializer
    filterset_class = ExchangeFilter
    token_scopes = TokenScope.EXCHANGE

    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        return Response(ExchangeSerializer(outbox.retry_message(actor=request.user, message=self.get_object())).data)


def _headers(request) -> dict:
    names = (signing.HEADER_ENDPOINT, signing.HEADER_TIMESTAMP, signing.HEADER_NONCE, signing.HEADER_SIGNATURE,
             signing.HEADER_IDEMPOTENCY)  # fmt: skip
    return {name: request.headers.get(name, "") for name in names if request.headers.get(name) is not None}


class InboundStatusView(APIView):
    """另一系统回传案件状态（已受理/处理中/已办结/退回），须按对接文档签名。"""

    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    throttle_classes = ()

    def post(self, request, code: str):
        body = request.body
        try:
            endpoint = inbound.authenticate(code=code, headers=_headers(request), body=body)
        except inbound.Refused as refused:
            known = selectors.endpoint_by_code(code)
            inbound.log_refusal(endpoint=known, kind=ExchangeKind.STATUS, body=body, status=refused.status,
                                message=refused.message, key=request.headers.get(signing.HEADER_NONCE, ""))  # fmt: skip
            return Response({"detail": refused.message, "code": "refused"}, status=refused.status)
        try:
            data = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            data = None
        try:
            outcome = inbound.receive_status(
                endpoint=endpoint, data=data, body=body, key=request.headers.get(signing.HEADER_IDEMPOTENCY, "")
            )
        except DomainError as exc:
            event = str(data.get("event_id", "")) if isinstance(data, dict) else ""
            inbound.log_refusal(
                endpoint=endpoint,
                kind=ExchangeKind.STATUS,
                body=body,
                status=exc.status_code,
                message=exc.message,
                key=event,
            )
            raise
        return Response(
            {
                "exchange": outcome.exchange.pk,
                "duplicate": outcome.duplicate,
                "case_status": outcome.exchange.case.status,
            }
        )


class HotlineOrdersView(APIView):
    """12345 工单推入（按工单编号幂等，字段同 12345 工单导入）；案件在提交后立案。"""

    token_scopes = TokenScope.HOTLINE_PUSH

    def post(self, request):
        serializer = HotlineOrdersSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = selectors.hotline_endpoint()
        result = hotline.receive_orders(
            actor=request.user, orders=serializer.validated_data["orders"], endpoint=endpoint
        )
        numbers = [order["number"] for order in result["orders"]]
        cases = hotline.open_order_cases(numbers=numbers, actor=request.user)
        for order in result["orders"]:
            order["case"] = cases.get(order["number"])
        return Response(result, status=201 if result["created"] else 200)


router = routers.DefaultRouter()
router.register("exchange/endpoints", EndpointViewSet, basename="exchange-endpoint")
router.register("exchange/log", ExchangeViewSet, basename="exchange-log")
urlpatterns = [
    path("exchange/inbound/<slug:code>/status/", InboundStatusView.as_view(), name="exchange-inbound-status"),
    path("exchange/hotline/orders/", HotlineOrdersView.as_view(), name="exchange-hotline-orders"),
]
