"""Content-Security-Policy: every response forbids inline script, and no template needs one."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.core.csp import HEADER, tile_source
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def directives(response) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in response[HEADER].split(";") if d.strip()}


@pytest.fixture
def office_client():
    city = UnitFactory(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = UnitFactory(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    client = Client()
    client.force_login(user_with_role(Role.OFFICE_ADMIN, office))
    return client


def test_pages_carry_a_policy_without_inline_script(office_client):
    for url in ("/login/", reverse("dashboard:index"), reverse("places:map")):
        response = (Client() if url == "/login/" else office_client).get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"] and policy["connect-src"] == ["'self'"]
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not HANDLER.search(re.sub(r"<script[^>]*type=\"application/json\".*?</script>", "", html, flags=re.S))


def test_tile_host_is_allowed_for_images(office_client, settings):
    settings.MAP_TILE_URL = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    policy = directives(office_client.get(reverse("dashboard:index")))
    assert policy["img-src"] == ["'self'", "data:", "blob:", "https://*.tile.example.org"]


def test_tile_source_from_url_templates():
    assert tile_source("") == ""
    assert tile_source("https://tiles.example/{z}/{x}/{y}.png") == "https://tiles.example"
    assert tile_source("https://webrd0{s}.is.autonavi.com/appmaptile?x={x}") == "https://*.is.autonavi.com"
    assert tile_source("http://tiles.example:8080/{z}/{x}/{y}.png") == "http://tiles.example:8080"
    assert tile_source("https://{s}.com/{z}.png") == ""  # never a whole top-level domain
    assert tile_source("/tiles/{z}/{x}/{y}.png") == ""  # same origin: 'self' covers it


def test_swagger_ui_starts_from_a_script_file(office_client):
    response = office_client.get(reverse("api-docs"))
    html = response.content.decode()
    assert response.status_code == 200 and not INLINE_SCRIPT.search(html)
    script = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    served = office_client.get(script)
    assert served.status_code == 200 and b"SwaggerUIBundle" in served.content


def test_no_template_has_inline_script_or_handlers():
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR, "chuangcheng").glob("*/templates")]
    found = []
    for path in (p for root in roots for p in root.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, re.compile(r"javascript:", re.I)):
            found += [f"{path}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not found, "\n".join(found)
