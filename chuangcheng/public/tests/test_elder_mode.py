"""长辈模式: a cookie the resident turns on and off from any public page; large type and numbered steps."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_elder_mode_is_switched_on_and_off_and_returns_to_the_page():
    client = Client()
    page = client.get("/public/report/").content.decode()
    assert 'class="public"' in page and 'id="elder-on"' in page
    on = client.get("/public/elder/", {"on": "1", "next": "/public/report/"})
    assert on.status_code == 302 and on["Location"] == "/public/report/" and on.cookies["cc_elder"].value == "1"
    page = client.get("/public/report/").content.decode()
    assert 'class="public elder"' in page and "第1步" in page and 'id="elder-off"' in page
    off = client.get("/public/elder/", {"on": "0", "next": "/public/board/"})
    assert off.status_code == 302 and off["Location"] == "/public/board/"
    assert 'class="public"' in client.get("/public/report/").content.decode()


def test_elder_mode_never_redirects_off_site():
    response = Client().get("/public/elder/", {"on": "1", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/public/"
