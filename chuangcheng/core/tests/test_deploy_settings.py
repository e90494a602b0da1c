"""Production settings: ``check --deploy`` is clean, HTTPS and HSTS are on, CSP is sent (issue 14, item 8)."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, override_settings

from config.settings import prod

pytestmark = pytest.mark.django_db

PROD_SECURITY = {
    name: getattr(prod, name)
    for name in (
        "SECURE_SSL_REDIRECT",
        "SECURE_REDIRECT_EXEMPT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    )
}


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "HSTS_", "DATABASE_URL", "REDIS_URL", "DEBUG"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CHUANGCHENG_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_redirects_to_https_and_sends_hsts_and_csp():
    with override_settings(**PROD_SECURITY):
        client = Client()
        plain = client.get("/login/")
        assert plain.status_code == 301 and plain.url.startswith("https://")
        assert client.get("/healthz").status_code == 200  # the load balancer's probe stays on HTTP
        secure = client.get("/login/", secure=True)
        assert secure.status_code == 200
        assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert "script-src" in secure["Content-Security-Policy"]
        assert "'unsafe-inline'" not in secure["Content-Security-Policy"].split("script-src", 1)[1].split(";")[0]


def test_postgres_connections_are_checked_before_reuse(monkeypatch):
    """After a database restart, a kept connection is dead: checked at the start of each request, not used."""
    from config import env

    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db1:5432/chuangcheng")
    config = env.database()
    assert config["CONN_MAX_AGE"] > 0 and config["CONN_HEALTH_CHECKS"] is True
