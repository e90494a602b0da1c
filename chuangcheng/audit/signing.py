"""The application's signatures on the audit log: a MAC per pending row and one on the chain's head.

Both are HMAC-SHA256 with ``settings.AUDIT_HMAC_KEY`` (``config.env.audit_key``: from the environment, or
generated once into var/). Whoever can write SQL but not read the key cannot forge a row that sealing
accepts, nor move the recorded head of the chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings

from chuangcheng.core.hashchain import canonical


def _sign(text: str) -> str:
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def row_mac(payload: dict) -> str:
    """The MAC of a row's chain payload, as it reads back from the database (JSON round trip applied)."""
    return _sign("row:" + canonical(json.loads(canonical(payload))))


def head_mac(seq: int, digest: str) -> str:
    return _sign(f"head:{seq}:{digest}")


def valid(expected: str, given: str) -> bool:
    return bool(given) and hmac.compare_digest(expected, given)
