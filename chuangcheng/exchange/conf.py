"""Exchange settings with defaults; a deployment overrides any of them in Django settings."""

from django.conf import settings

DEFAULTS = {
    # Where the other system fetches photos and sends status updates (this site's public address).
    "EXCHANGE_BASE_URL": "http://127.0.0.1:8000",
    # Attempts before an outbound message is 失败, and the backoff: base × 2^(attempt-1), capped, full jitter.
    "EXCHANGE_MAX_ATTEMPTS": 8,
    "EXCHANGE_BACKOFF_BASE_SECONDS": 30.0,
    "EXCHANGE_BACKOFF_MAX_SECONDS": 3600.0,
    "EXCHANGE_TIMEOUT_SECONDS": 10.0,
    # A claimed message not finished within this lease is due again (the worker crashed mid-send).
    "EXCHANGE_LEASE_SECONDS": 120.0,
    "EXCHANGE_WORKERS": 8,
    # Send right after the commit that queued a message (else only the periodic worker sends).
    "EXCHANGE_SEND_ON_COMMIT": True,
    "EXCHANGE_BATCH": 500,
    # How long a signed photo link in an outbound case stays valid.
    "EXCHANGE_PHOTO_LINK_SECONDS": 7 * 86400,
    # Inbound photos (base64 in the JSON): at most this many per update; each is size- and content-checked.
    "EXCHANGE_INBOUND_MAX_PHOTOS": 6,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
