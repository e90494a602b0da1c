"""Every page and API endpoint needs a signed-in user, except the few meant for citizens and clients.

The routes are read from the URL configuration, so a page added later is checked without being listed.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Prefixes meant for people without an account: the login page, citizens' pages, Open311 and the
# inspectors' offline service worker (a script file, no data).
PUBLIC = (
    "/login/",
    "/public/report/",
    "/public/follow/",
    "/public/photo/",
    "/public/board/",
    "/public/s/",
    "/public/praise/",  # residents praise a unit
    "/public/elder/",  # 长辈模式 on/off (a cookie)
    "/public/after-photo/",  # public copies of a closed problem's after photos, 404 unless closed and public
    "/open311/",
    "/exchange/photos/",  # signed, expiring photo links for other systems (exchange), 404 without a valid one
    "/volunteers/checkin/",  # volunteers sign in with an activity's short code (no account)
    "/inspections/sw.js",
    "/api/v1/schema/",
    "/healthz",
)
PUBLIC_EXACT = {"/public/"}  # the citizens' landing page
SKIP = ("/admin/", "/static/", "/media/")
# Parameters that must take one of a few values for the route to exist at all.
SAMPLES = {"<slug:what>": "decisions", "<drf_format_suffix:format>": ".json"}


def routes(patterns=None, prefix=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def concrete(route: str) -> str:
    """A path for a route: parameters become 1 (numbers) or x (text); regex routes get sample values."""
    path = route
    for parameter, value in SAMPLES.items():
        path = path.replace(parameter, value)
    path = re.sub(r"<int:[^>]+>", "1", path)
    path = re.sub(r"<(?:str|slug|path):[^>]+>|<[^>:]+>", "x", path)
    path = path.replace("^", "").replace("$", "").replace("\\.", ".")
    path = re.sub(r"\(\?P<fmt>[^)]*\)", "json", path)
    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", path)
    path = path.replace("services?", "services").replace("requests?", "requests").replace("tokens?", "tokens")
    return "/" + path


def test_every_page_and_endpoint_requires_login(client):
    checked, leaks = 0, []
    for route in routes():
        path = concrete(route)
        if path.startswith(SKIP) or path.startswith(PUBLIC) or path in PUBLIC_EXACT or "(" in path:
            continue
        response = client.get(path)
        checked += 1
        if response.status_code == 302:
            if not response.url.startswith("/login/"):
                leaks.append(f"{path}: redirects to {response.url}")
        elif response.status_code not in (401, 403, 405):
            leaks.append(f"{path}: anonymous got {response.status_code}")
    assert checked > 150
    assert not leaks, "\n".join(leaks)
