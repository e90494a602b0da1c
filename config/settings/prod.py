"""Production: PostgreSQL via DATABASE_URL, Redis cache and Celery broker, HTTPS only, secure cookies.

``manage.py check --deploy`` is clean with these settings (tested in core/tests/test_deploy_settings.py).
The Content-Security-Policy comes from ``core.csp`` in every environment. Behind a TLS-terminating proxy,
the proxy must set ``X-Forwarded-Proto`` (and ``REMOTE_ADDR`` to the client's address, for the throttles).
"""

from config import env
from config.settings.base import *  # noqa: F403

DEBUG = False
SESSION_COOKIE_SECURE = env.get_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env.get_bool("SECURE_COOKIES", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only: plain-HTTP requests are redirected (the load balancer's /healthz probe may stay on HTTP).
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS: a year, for subdomains too, and eligible for the browsers' preload list. A city whose other
# subdomains still serve plain HTTP sets HSTS_INCLUDE_SUBDOMAINS=false / HSTS_PRELOAD=false.
SECURE_HSTS_SECONDS = env.get_int("HSTS_SECONDS", 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.get_bool("HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The API schema's naming hints (drf-spectacular W001/W002) are for developers (core/tests/test_schema.py),
# not a deployment problem: keep them out of ``check --deploy`` on the servers.
SILENCED_SYSTEM_CHECKS = ["drf_spectacular.W001", "drf_spectacular.W002"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
