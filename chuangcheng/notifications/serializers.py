from rest_framework import serializers

from chuangcheng.notifications.models import Notification, NotificationKind, Webhook, WebhookKind
from chuangcheng.org.models import Unit


class NotificationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Notification
        fields = ("id", "kind", "kind_display", "title", "body", "url", "case", "created_at", "read_at")


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()


class WebhookSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=NotificationKind.choices), required=False)
    kind = serializers.ChoiceField(choices=WebhookKind.choices)
    secret = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = Webhook
        fields = ("id", "unit", "name", "kind", "url", "secret", "kinds", "is_active", "created_at")
        read_only_fields = ("created_at",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["unit"].queryset = Unit.objects.visible_to(request.user)
