"""Registry of hash chains that ``manage.py verify_audit`` checks besides the audit log.

An app registers ``(label, verify_function)`` in its ``AppConfig.ready``; the
function returns the ids of rows that fail verification.
"""

from __future__ import annotations

from collections.abc import Callable

_CHAINS: list[tuple[str, Callable[[], list]]] = []


def register_chain(label: str, verify: Callable[[], list]) -> None:
    if all(existing != label for existing, _ in _CHAINS):
        _CHAINS.append((label, verify))


def registered_chains() -> list[tuple[str, Callable[[], list]]]:
    return list(_CHAINS)
