"""Pages: each app's ``urls.py`` is mounted under its prefix; the API under /api/v1/."""

from importlib.util import find_spec

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from chuangcheng.core.health import healthz

PAGE_PREFIXES = {
    "chuangcheng.accounts": "",
    "chuangcheng.org": "units/",
    "chuangcheng.places": "places/",
    "chuangcheng.standards": "standards/",
    "chuangcheng.programs": "programs/",
    "chuangcheng.cases": "cases/",
    "chuangcheng.inspections": "inspections/",
    "chuangcheng.assessments": "assessments/",
    "chuangcheng.readiness": "readiness/",
    "chuangcheng.dossiers": "dossiers/",
    "chuangcheng.campaigns": "campaigns/",
    "chuangcheng.public": "public/",
    "chuangcheng.public.open311": "open311/",
    "chuangcheng.dashboard": "dashboard/",
    "chuangcheng.notifications": "notifications/",
    "chuangcheng.exchange": "exchange/",
    "chuangcheng.volunteers": "volunteers/",
    "chuangcheng.civility": "civility/",
    "chuangcheng.audit": "audit/",
    "chuangcheng.core": "calendar/",
}

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # One sign-in for people and administrators: the product's login page, with its throttling and lockout.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True), name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api")),
]
for app, prefix in PAGE_PREFIXES.items():
    if find_spec(f"{app}.urls") is not None:
        urlpatterns.append(path(prefix, include(f"{app}.urls")))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
