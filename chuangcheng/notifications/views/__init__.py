"""Pages of the notifications app: the inbox and preferences (everyone), channel configuration and the
delivery log (the office; unit heads for their own robots)."""

from chuangcheng.notifications.views.channels import (
    ChannelsView,
    DeliveryLogView,
    DeliveryRetryView,
    PolicyView,
    SmsTestView,
    WebhookCreateView,
    WebhookDeleteView,
    WebhookEditView,
    WebhookTestView,
)
from chuangcheng.notifications.views.inbox import (
    AcknowledgeView,
    InboxView,
    NotificationDetailView,
    PreferencesView,
    ReadAllView,
    ReadView,
)

__all__ = [
    "AcknowledgeView",
    "ChannelsView",
    "DeliveryLogView",
    "DeliveryRetryView",
    "InboxView",
    "NotificationDetailView",
    "PolicyView",
    "PreferencesView",
    "ReadAllView",
    "ReadView",
    "SmsTestView",
    "WebhookCreateView",
    "WebhookDeleteView",
    "WebhookEditView",
    "WebhookTestView",
]
