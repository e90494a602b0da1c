"""/api/v1/: one router per app, composed here. An app exposes ``router`` in its ``api.py``."""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers

root = routers.DefaultRouter()
extra_urls = []
for app in settings.DOMAIN_APPS:
    if find_spec(f"{app}.api") is None:
        continue
    module = import_module(f"{app}.api")
    app_router = getattr(module, "router", None)
    if app_router is not None:
        root.registry.extend(app_router.registry)
    extra_urls.extend(getattr(module, "urlpatterns", []))

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves its start-up script as a file (?script=): no inline script under the CSP
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    *extra_urls,
    path("", include(root.urls)),
]
