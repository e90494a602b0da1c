from rest_framework import mixins, permissions, routers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chuangcheng.core.api import ScopedModelViewSet, ScopedQuerysetMixin
from chuangcheng.notifications import outbox, reminders, selectors, services
from chuangcheng.notifications.models import Delivery, Notification, Webhook
from chuangcheng.notifications.permissions import can_configure_channels
from chuangcheng.notifications.serializers import (
    DeliverySerializer,
    NotificationSerializer,
    PreferenceSerializer,
    WebhookSerializer,
)


class NotificationViewSet(
    ScopedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """本人的站内通知；``read``、``read-all`` 标记已读；``preferences`` 通知偏好。"""

    queryset = Notification.objects.order_by("-id")
    serializer_class = NotificationSerializer
    filterset_fields = ("kind",)

    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.mark_read(actor=request.user, notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """确认收到：须确认的通知（督办、抄告单等）确认后不再重复提醒。"""
        notification = reminders.acknowledge(actor=request.user, notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.mark_all_read(actor=request.user)})

    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": selectors.unread_count(request.user)})

    @action(detail=False, methods=["get", "put"], url_path="preferences")
    def preferences(self, request):
        if request.method == "PUT":
            serializer = PreferenceSerializer(data=request.data, many=True)
            serializer.is_valid(raise_exception=True)
            for row in serializer.validated_data:
                services.set_preference(actor=request.user, **row)
        return Response(selectors.preferences_of(request.user))


class WebhookViewSet(ScopedModelViewSet):
    """单位群机器人（钉钉/企业微信）。"""

    queryset = Webhook.objects.select_related("unit").order_by("id")
    serializer_class = WebhookSerializer
    create_service = staticmethod(services.create_webhook)
    update_service = staticmethod(services.update_webhook)
    delete_service = staticmethod(services.delete_webhook)
    object_arg = "webhook"

    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """发送测试消息（经发送队列，结果见发送记录）。"""
        delivery = outbox.send_test_message(actor=request.user, webhook=self.get_object())
        return Response(DeliverySerializer(delivery).data, status=201)


class IsChannelOffice(permissions.BasePermission):
    message = "只有创建办可以查看发送记录"

    def has_permission(self, request, view):
        return can_configure_channels(request.user)


class DeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    """发送记录（仅创建办）：渠道、接收方（已脱敏）、状态、尝试次数、最近错误；``retry`` 重发失败的消息。"""

    queryset = Delivery.objects.order_by("-id")
    serializer_class = DeliverySerializer
    permission_classes = [permissions.IsAuthenticated, IsChannelOffice]
    filterset_fields = ("channel", "status")

    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        delivery = outbox.retry_delivery(actor=request.user, delivery=self.get_object())
        return Response(DeliverySerializer(delivery).data)


router = routers.DefaultRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("notification-deliveries", DeliveryViewSet, basename="notification-delivery")
