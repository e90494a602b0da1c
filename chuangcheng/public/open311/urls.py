"""GeoReport v2 routes; the singular variants (``service/``, ``request/``) are accepted too."""

from django.urls import re_path

from chuangcheng.public.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^v2/discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.services, name="services"),
    re_path(r"^v2/services?/(?P<code>[\w\-]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^v2/requests" + FMT, views.requests_view, name="requests"),
    re_path(r"^v2/requests?/(?P<request_id>[\w\-]+)" + FMT, views.single_request, name="request"),
    re_path(r"^v2/tokens?/(?P<token>[\w\-]+)" + FMT, views.token_view, name="token"),
]
