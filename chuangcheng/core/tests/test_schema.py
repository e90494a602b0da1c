"""The OpenAPI schema is generated from the code and must stay valid as the API grows."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_openapi_schema_generates_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--file", str(target), verbosity=0)
    text = target.read_text(encoding="utf-8")
    assert "/api/v1/units/" in text
    assert "创城 API" in text


def test_api_docs_page_requires_login(client):
    assert client.get("/api/v1/docs/").status_code in (401, 403)


def test_api_docs_page_serves_local_assets_only(client, django_user_model):
    user = django_user_model.objects.create_user(username="docs", password="x-Long-pass-1")
    client.force_login(user)
    html = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html
