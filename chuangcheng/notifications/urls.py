from django.urls import path

from chuangcheng.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("read-all/", views.ReadAllView.as_view(), name="read_all"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("<int:pk>/", views.NotificationDetailView.as_view(), name="detail"),
    path("<int:pk>/read/", views.ReadView.as_view(), name="read"),
    path("<int:pk>/ack/", views.AcknowledgeView.as_view(), name="acknowledge"),
    path("channels/", views.ChannelsView.as_view(), name="channels"),
    path("channels/robots/new/", views.WebhookCreateView.as_view(), name="webhook_create"),
    path("channels/robots/<int:pk>/", views.WebhookEditView.as_view(), name="webhook_edit"),
    path("channels/robots/<int:pk>/delete/", views.WebhookDeleteView.as_view(), name="webhook_delete"),
    path("channels/robots/<int:pk>/test/", views.WebhookTestView.as_view(), name="webhook_test"),
    path("channels/sms-test/", views.SmsTestView.as_view(), name="sms_test"),
    path("channels/policy/", views.PolicyView.as_view(), name="policy"),
    path("deliveries/", views.DeliveryLogView.as_view(), name="deliveries"),
    path("deliveries/<int:pk>/retry/", views.DeliveryRetryView.as_view(), name="delivery_retry"),
]
