"""Listeners told of every workflow transition, inside its transaction.

Another domain that must record something in the same transaction as a case change (the exchange
outbox: a push to another system when a case is dispatched, the 12345 reply when it closes) registers
a listener here from its ``AppConfig.ready``; ``workflow.transition`` calls each one after the
transition's own rows are written. A listener writes rows only (no I/O: that belongs after commit),
and its failure fails the transition, so the case change and the listener's record commit together.
"""

from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable] = []


def on_transition(listener: Callable) -> Callable:
    """Register ``listener(case, action, from_status, to_status, actor)`` (once)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def transitioned(case, action: str, from_status: str, to_status: str, actor) -> None:
    for listener in _listeners:
        listener(case, action, from_status, to_status, actor)
