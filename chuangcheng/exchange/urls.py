from django.urls import path

from chuangcheng.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.ExchangeLogView.as_view(), name="log"),
    path("endpoints/", views.EndpointListView.as_view(), name="endpoint_list"),
    path("endpoints/new/", views.EndpointFormView.as_view(), name="endpoint_create"),
    path("endpoints/<int:pk>/", views.EndpointFormView.as_view(), name="endpoint_update"),
    path("log/<int:pk>/retry/", views.RetryView.as_view(), name="retry"),
    path("cases/<int:pk>/send/", views.SendCaseView.as_view(), name="send_case"),
    path("photos/<str:token>/", views.photo, name="photo"),
]
