from rest_framework import mixins, routers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from chuangcheng.core.api import ScopedModelViewSet, ScopedQuerysetMixin
from chuangcheng.notifications import selectors, services
from chuangcheng.notifications.models import Notification, Webhook
from chuangcheng.notifications.serializers import NotificationSerializer, PreferenceSerializer, WebhookSerializer


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


router = routers.DefaultRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("webhooks", WebhookViewSet, basename="webhook")
