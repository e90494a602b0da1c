"""Content-Security-Policy on every response: no inline script, so one missed escape cannot run.

Pages pass data to their scripts with ``json_script`` or ``data-`` attributes; every script is a file
under /static/. Style attributes stay allowed (templates, Leaflet and ECharts use them). Map tiles may
come from the configured ``MAP_TILE_URL`` host. A view that needs another policy sets the header itself;
the middleware never overwrites one.
"""

from urllib.parse import urlsplit

from django.conf import settings

HEADER = "Content-Security-Policy"


def tile_source(url: str) -> str:
    """The CSP source for a Leaflet tile URL template: ``https://{s}.tile.example/{z}/…`` -> ``https://*.tile.example``.

    A placeholder in a host label (``{s}``, ``webrd0{s}``) widens that label and those left of it to ``*``.
    """
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.netloc.rsplit("@", 1)[-1]
    labels = host.split(".")
    templated = [i for i, label in enumerate(labels) if "{" in label or "}" in label]
    if templated:
        labels = ["*", *labels[templated[-1] + 1 :]]
        if len(labels) < 3:  # "*.com" would open the whole top-level domain
            return ""
    return f"{parts.scheme}://{'.'.join(labels)}"


def policy() -> str:
    images = ["'self'", "data:", "blob:"]
    tiles = tile_source(getattr(settings, "MAP_TILE_URL", ""))
    if tiles:
        images.append(tiles)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "connect-src": ["'self'"],
        "font-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy()
        return response
