from rest_framework import serializers

from chuangcheng.notifications import channels, outbox
from chuangcheng.notifications.models import (
    Delivery,
    MessageFormat,
    Notification,
    NotificationKind,
    Webhook,
    WebhookKind,
)
from chuangcheng.org.models import Unit


class NotificationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Notification
        fields = (
            "id",
            "kind",
            "kind_display",
            "title",
            "body",
            "url",
            "case",
            "created_at",
            "read_at",
            "requires_ack",
            "urgent",
            "acknowledged_at",
            "reminders_sent",
            "next_reminder_at",
        )


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()
    sms = serializers.BooleanField(required=False, default=False)


class WebhookSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    kinds = serializers.ListField(child=serializers.ChoiceField(choices=NotificationKind.choices), required=False)
    kind = serializers.ChoiceField(choices=WebhookKind.choices)
    secret = serializers.CharField(write_only=True, required=False, allow_blank=True)
    msg_format = serializers.ChoiceField(choices=MessageFormat.choices, required=False, default="markdown")
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = Webhook
        fields = ("id", "unit", "name", "kind", "url", "secret", "has_secret", "msg_format", "kinds", "is_active",
                  "created_at")  # fmt: skip
        read_only_fields = ("created_at",)

    def get_has_secret(self, webhook) -> bool:
        return bool(webhook.secret)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["url"] = channels.mask_url(instance.url)  # the token/key in the address is never shown back
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["unit"].queryset = Unit.objects.visible_to(request.user)


class DeliverySerializer(serializers.ModelSerializer):
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    recipient = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = ("id", "channel", "channel_display", "recipient", "subject", "status", "status_display", "attempts",
                  "last_error", "next_attempt_at", "is_test", "notification", "created_at", "sent_at")  # fmt: skip
        read_only_fields = fields

    def get_recipient(self, delivery) -> str:
        return outbox.display_recipient(delivery)
